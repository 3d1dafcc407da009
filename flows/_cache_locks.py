"""Step locks: two runs of one job compute a step once, and the second reuses it.

Steps run under ``SERIALIZABLE`` isolation with a lock manager: Redis locks (prefect-redis)
or lock files. Either is wrapped so that a cache backend gone down makes locking a no-op
rather than failing the run, and every lock is a lease (``flows._leases``).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect.locking.protocol import LockManager

from core.files import write_atomic
from flows._cache_storage import _Health

__all__ = ["FileLockManager", "GuardedLockManager"]

# How long a run waits for a concurrent run computing the same step (whose lock is a lease
# renewed while it lives: flows._leases).
_LOCK_HOLD_S = 30 * 60.0


class _SyncLockManager(LockManager):
    """A lock manager whose async methods run the sync ones: lock calls are short."""

    async def aacquire_lock(
        self,
        key: str,
        holder: str,
        acquire_timeout: float | None = None,
        hold_timeout: float | None = None,
    ) -> bool:
        """Async twin of ``acquire_lock``."""
        return self.acquire_lock(key, holder, acquire_timeout, hold_timeout)

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """Async twin of ``wait_for_lock``."""
        return self.wait_for_lock(key, timeout)


class GuardedLockManager(_SyncLockManager):
    """Delegates to a real lock manager; once the cache is down, locking becomes a no-op.

    Also gives every lock a hold timeout so a crashed run cannot block the step forever,
    and namespaces Redis lock names under the studio's key prefix.
    """

    def __init__(self, inner: LockManager, health: _Health, prefix: str = "") -> None:
        from flows._leases import LeaseKeeper

        self._inner = inner
        self._health = health
        self._prefix = prefix
        self._leases = LeaseKeeper(self._extend)

    def _extend(self, key: str, holder: str) -> None:
        from flows._leases import LEASE_S, extend_lock

        self._guard(lambda: extend_lock(self._inner, key, holder, LEASE_S), None)

    def _guard(self, call: Callable[[], Any], fallback: Any) -> Any:
        if self._health.down:
            return fallback
        try:
            return call()
        except Exception as exc:
            self._health.fail(exc)
            return fallback

    def acquire_lock(
        self,
        key: str,
        holder: str,
        acquire_timeout: float | None = None,
        hold_timeout: float | None = None,
    ) -> bool:
        """Acquire, waiting for a concurrent computation of the same step to finish.

        The lock is a lease (``flows._leases``): renewed while this process lives, lost
        ``LEASE_S`` after it dies, so a killed run's re-run does not wait on its lock.
        """
        from flows._leases import LEASE_S

        hold = hold_timeout or LEASE_S
        wait = acquire_timeout if acquire_timeout is not None else _LOCK_HOLD_S
        name = self._prefix + key
        got = bool(self._guard(lambda: self._inner.acquire_lock(name, holder, wait, hold), True))
        if got and not self._health.down:
            self._leases.held(name, holder)
        return got

    def release_lock(self, key: str, holder: str) -> None:
        """Release; a lock already gone or an unreachable backend is fine."""
        self._leases.released(self._prefix + key, holder)

        def release() -> None:
            # ValueError: expired and taken by someone else, so nothing is left to release.
            with contextlib.suppress(ValueError):
                self._inner.release_lock(self._prefix + key, holder)

        self._guard(release, None)

    def is_locked(self, key: str) -> bool:
        """Tell whether someone holds the lock."""
        return bool(self._guard(lambda: self._inner.is_locked(self._prefix + key), False))

    def is_lock_holder(self, key: str, holder: str) -> bool:
        """Tell whether ``holder`` holds the lock."""
        return bool(
            self._guard(lambda: self._inner.is_lock_holder(self._prefix + key, holder), True)
        )

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """Wait until the lock is free."""
        return bool(
            self._guard(
                lambda: self._inner.wait_for_lock(self._prefix + key, timeout or _LOCK_HOLD_S),
                True,
            )
        )


class FileLockManager(_SyncLockManager):
    """Lock files that are created atomically (a hard link of a complete file).

    Prefect's ``FileSystemLockManager`` creates an empty lock file and fills it afterwards,
    so a second process racing for the same step can read the empty file as "unlocked" and
    compute the step twice; linking a fully written file closes that window.
    """

    def __init__(self, directory: Path, poll_s: float = 0.05) -> None:
        self._dir = directory
        self._poll = poll_s

    def _path(self, key: str) -> Path:
        return self._dir / f"{key}.lock"

    def _read(self, key: str) -> tuple[str, float] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return str(data["holder"]), float(data["expires"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _try_create(self, key: str, holder: str, hold_s: float) -> bool:
        self._dir.mkdir(parents=True, exist_ok=True)
        partial = self._dir / f".{key}.{uuid.uuid4().hex}.tmp"
        partial.write_text(json.dumps({"holder": holder, "expires": time.time() + hold_s}))
        try:
            os.link(partial, self._path(key))
            return True
        except FileExistsError:
            return False
        finally:
            partial.unlink(missing_ok=True)

    def acquire_lock(
        self,
        key: str,
        holder: str,
        acquire_timeout: float | None = None,
        hold_timeout: float | None = None,
    ) -> bool:
        """Take the lock, waiting up to ``acquire_timeout`` (None: until it expires)."""
        hold = hold_timeout or _LOCK_HOLD_S
        deadline = time.monotonic() + (acquire_timeout if acquire_timeout is not None else hold)
        while True:
            if self._try_create(key, holder, hold):
                return True
            current = self._read(key)
            if current is not None and current[0] == holder:
                return True
            if current is not None and current[1] < time.time():
                # A crashed holder's lock: remove it, then race for it like everyone else.
                self._path(key).unlink(missing_ok=True)
                continue
            if time.monotonic() >= deadline:
                return False
            time.sleep(self._poll)

    def extend_lock(self, key: str, holder: str, hold_s: float) -> None:
        """Renew ``holder``'s lock for ``hold_s`` more seconds (nothing if not held)."""
        current = self._read(key)
        if current is not None and current[0] == holder:
            data = json.dumps({"holder": holder, "expires": time.time() + hold_s})
            write_atomic(self._path(key), data.encode("utf-8"))

    def release_lock(self, key: str, holder: str) -> None:
        """Release the lock if ``holder`` holds it."""
        current = self._read(key)
        if current is not None and current[0] == holder:
            self._path(key).unlink(missing_ok=True)

    def is_locked(self, key: str) -> bool:
        """Tell whether an unexpired lock exists."""
        current = self._read(key)
        return current is not None and current[1] >= time.time()

    def is_lock_holder(self, key: str, holder: str) -> bool:
        """Tell whether ``holder`` holds the lock."""
        current = self._read(key)
        return current is not None and current[0] == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """Wait until the lock is free (or ``timeout`` passes)."""
        deadline = time.monotonic() + (timeout if timeout is not None else _LOCK_HOLD_S)
        while self.is_locked(key):
            if time.monotonic() >= deadline:
                return False
            time.sleep(self._poll)
        return True
