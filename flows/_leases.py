"""Step locks as leases: held for ``LEASE_S`` and renewed while their process lives.

A step computed under a lock (``flows._cache_locks``: two runs of one job compute a step once)
used to hold it for half an hour, so a run whose process was SIGKILLed mid-step left the
lock behind and its own re-run waited up to thirty minutes on it. Now a lock expires
``LEASE_S`` seconds after its last renewal; a daemon thread renews every lock this process
holds every ``LEASE_S / 3`` seconds, so a live holder keeps it as long as the step takes,
and a dead one loses it within ``LEASE_S``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["LEASE_S", "LeaseKeeper", "extend_lock"]

LEASE_S = 90.0


def extend_lock(inner: Any, key: str, holder: str, hold_s: float) -> None:
    """Push the expiry of ``holder``'s lock on ``key`` to ``hold_s`` seconds from now.

    Works with the studio's lock files (``extend_lock``) and prefect-redis' lock manager
    (the redis-py lock it keeps per key); a lock no longer held is left alone.
    """
    own = getattr(inner, "extend_lock", None)
    if callable(own):
        own(key, holder, hold_s)
        return
    locks = getattr(inner, "_locks", None)
    lock = locks.get(f"lock:{key}") if isinstance(locks, dict) else None
    if lock is not None and inner.is_lock_holder(key, holder):
        lock.extend(hold_s, replace_ttl=True)


class LeaseKeeper:
    """Renews the locks one lock manager holds, from one daemon thread.

    Args:
        renew: Called as ``renew(key, holder)`` for every held lock, every ``LEASE_S / 3`` s.
    """

    def __init__(self, renew: Callable[[str, str], None]) -> None:
        self._renew = renew
        self._held: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def held(self, key: str, holder: str) -> None:
        """Start renewing ``holder``'s lock on ``key``."""
        with self._lock:
            self._held.add((key, holder))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="studio-lock-leases", daemon=True
                )
                self._thread.start()

    def released(self, key: str, holder: str) -> None:
        """Stop renewing it."""
        with self._lock:
            self._held.discard((key, holder))

    def _loop(self) -> None:
        stop = threading.Event()
        while not stop.wait(LEASE_S / 3):
            with self._lock:
                held = sorted(self._held)
                if not held:
                    self._thread = None
                    return
            for key, holder in held:
                with contextlib.suppress(Exception):  # the guard counts backend failures
                    self._renew(key, holder)
