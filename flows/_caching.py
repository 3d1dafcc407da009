"""Content-addressed caching for the creative-job steps.

A step's cache key is built from *content* only: the bytes of the clips it reads, the
version of the prompt it renders, the id of the deployment that serves its role and its
parameters. File paths and run ids never enter a key, so a renamed clip or a new run reuses
results while an edited prompt or a swapped model busts exactly the steps that use them.

Results go to Redis through prefect-redis when ``Settings.redis_url`` answers (with the
configured TTL and key prefix), to local files under the studio home otherwise. Either way
the storage is wrapped so that a backend failing mid-run turns every later read into a miss
and every write into a no-op, with one warning: caching is an optimisation and must never
fail a job. Steps run under ``SERIALIZABLE`` isolation with a lock manager (Redis locks or
lock files) so two runs of the same job compute a step once and the second reuses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect.cache_policies import CachePolicy
from prefect.context import TaskRunContext
from prefect.filesystems import WritableFileSystem
from prefect.locking.protocol import LockManager
from pydantic import BaseModel, PrivateAttr

from core.files import sha256_file, write_atomic
from core.formats import canonical_json, redact_url
from core.settings import Settings

__all__ = [
    "CACHE_SCHEMA",
    "CacheSetup",
    "ContentPolicy",
    "GuardedStorage",
    "content_digest",
    "file_sha256",
    "setup_cache",
]

logger = logging.getLogger("studio.cache")

# Bump when a step returns something else for the same inputs (a new shape, or code that
# computes it differently): old entries then stop matching. 2: faces by the alt2 cascade,
# intent strings cut on a whole word. 3: frames decoded by PyAV (codec labels, detector
# copies from the YUV planes), faces by BlazeFace with the detector named. 4: the answer and
# manifest types moved (tasks.understand_intent, tasks.analyze_frames, tasks.footage), so
# entries pickled under the old class paths could not be read back. 5: the intent step
# returns an ``Understanding`` (intent + brief), the edit step takes a plan and feedback.
# 6: ``Understanding`` keeps the model's proposed brief (the flow re-settles the brief).
# 7: the footage manifest holds audio and on-screen text. 8: measured shots carry their
# scene (long takes) and faces.
CACHE_SCHEMA = 8

# A lock must outlive the slowest step but not a crashed process forever.
_LOCK_HOLD_S = 30 * 60.0

_sha_memo: dict[tuple[str, int, int], str] = {}
_sha_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, memoised on (path, size, mtime) within the process."""
    stat = path.stat()
    memo_key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _sha_lock:
        if memo_key in _sha_memo:
            return _sha_memo[memo_key]
    value = sha256_file(path)
    with _sha_lock:
        _sha_memo[memo_key] = value
    return value


def _canonical(value: Any) -> Any:
    """Turn a step input into JSON-able content: paths become their file's hash."""
    if isinstance(value, Path):
        return {"sha256": file_sha256(value)} if value.is_file() else {"missing": value.name}
    if isinstance(value, bytes | bytearray):
        return {"bytes_sha256": hashlib.sha256(value).hexdigest()}
    if isinstance(value, BaseModel):
        return _canonical(value.model_dump(mode="python"))
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def content_digest(*parts: Any) -> str:
    """A stable hex digest of ``parts`` by content (see ``_canonical``)."""
    return hashlib.sha256(canonical_json([_canonical(p) for p in parts])).hexdigest()


@dataclass
class ContentPolicy(CachePolicy):
    """Cache key = step name + schema version + the content of the task's inputs.

    Paths among the inputs are replaced by their file's SHA-256 and pydantic models by their
    data, so keys depend on what a step reads, never on where it lives. Inputs named in
    ``ignore`` (e.g. an output folder) are left out.
    """

    step: str = ""
    ignore: tuple[str, ...] = ()
    on_key: Callable[[str, str], None] | None = field(default=None, repr=False)

    def compute_key(
        self,
        task_ctx: TaskRunContext,
        inputs: dict[str, Any],
        flow_parameters: dict[str, Any],
        **kwargs: Any,
    ) -> str | None:
        """Hash the step's content inputs into a storage-safe key."""
        material = {k: v for k, v in inputs.items() if k not in self.ignore}
        key = f"{self.step}-{content_digest(CACHE_SCHEMA, self.step, material)[:40]}"
        if self.on_key is not None:
            self.on_key(self.step, key)
        return key


class _Health:
    """Shared up/down flag for one run's cache backend; warns once when it goes down."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.down = False
        self._lock = threading.Lock()

    def fail(self, exc: BaseException) -> None:
        with self._lock:
            if self.down:
                return
            self.down = True
        message = (
            f"result cache ({self.backend}) became unavailable: {type(exc).__name__}: {exc}; "
            "continuing without caching for the rest of this run"
        )
        logger.warning(message)
        warnings.warn(message, RuntimeWarning, stacklevel=2)


class GuardedStorage(WritableFileSystem):
    """Result storage that never fails a run: Redis (prefect-redis) or local files.

    Read errors become misses and write errors are dropped once the backend is marked down.
    ``_resolve_path`` returns None so Prefect keeps keys as given (no filesystem semantics).
    """

    _block_type_name = "Studio Guarded Result Storage"
    _inner: Any = PrivateAttr(default=None)
    _root: Path | None = PrivateAttr(default=None)
    _ttl_s: int = PrivateAttr(default=0)
    _prefix: str = PrivateAttr(default="")
    _health: _Health = PrivateAttr(default_factory=lambda: _Health("local"))
    _recent: dict[str, bytes] = PrivateAttr(default_factory=dict)
    _recent_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def redis(cls, url: str, prefix: str, ttl_s: int, health: _Health) -> GuardedStorage:
        """Storage in Redis via prefect-redis' ``RedisDatabase`` block."""
        from prefect_redis import RedisDatabase

        inner = RedisDatabase.from_connection_string(url)
        inner.key_ttl = ttl_s if ttl_s > 0 else None
        storage = cls()
        storage._inner = inner
        storage._prefix = f"{prefix}:result:"
        storage._health = health
        return storage

    @classmethod
    def local(cls, root: Path, health: _Health, ttl_s: int = 0) -> GuardedStorage:
        """Storage in files under ``root``; a file older than ``ttl_s`` (0: never) is a miss."""
        storage = cls()
        storage._root = root
        storage._health = health
        storage._ttl_s = ttl_s
        return storage

    @property
    def health(self) -> _Health:
        """The shared up/down flag."""
        return self._health

    def _resolve_path(self, path: str) -> None:
        return None

    def _read(self, path: str) -> bytes | None:
        if self._health.down:
            raise KeyError(path)
        # Prefect reads a record twice (exists, then read): serve the second from memory so a
        # backend dying in between cannot turn a hit into a failed task.
        with self._recent_lock:
            if path in self._recent:
                return self._recent.pop(path)
        try:
            if self._root is not None:
                file = self._root / path
                if not file.is_file() or self._expired(file):
                    raise KeyError(path)
                content: bytes | None = file.read_bytes()
            else:
                content = self._inner.read_path(self._prefix + path, _sync=True)
        except KeyError:
            raise
        except Exception as exc:
            self._health.fail(exc)
            raise KeyError(path) from exc
        if content is None:
            raise KeyError(path)
        with self._recent_lock:
            if len(self._recent) > 64:
                self._recent.clear()
            self._recent[path] = content
        return content

    def _expired(self, file: Path) -> bool:
        """Whether a local record outlived the TTL (it is removed: Redis would drop it too)."""
        if self._ttl_s <= 0 or time.time() - file.stat().st_mtime <= self._ttl_s:
            return False
        file.unlink(missing_ok=True)
        return True

    def _write(self, path: str, content: bytes) -> None:
        if self._health.down:
            return
        try:
            if self._root is not None:
                write_atomic(self._root / path, content)
            else:
                self._inner.write_path(self._prefix + path, content, _sync=True)
        except Exception as exc:
            self._health.fail(exc)

    def read_path(self, path: str, _sync: bool | None = None) -> bytes:  # type: ignore[override]
        """Read a record; a missing or unreachable one raises ``KeyError`` (a miss)."""
        content = self._read(path)
        assert content is not None
        return content

    async def aread_path(self, path: str) -> bytes:
        """Async twin of ``read_path`` (the work is short and local)."""
        return self.read_path(path)

    def write_path(self, path: str, content: bytes, _sync: bool | None = None) -> None:  # type: ignore[override]
        """Write a record; failures are swallowed after marking the backend down."""
        self._write(path, content)

    async def awrite_path(self, path: str, content: bytes) -> None:
        """Async twin of ``write_path``."""
        self._write(path, content)


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
        self._inner = inner
        self._health = health
        self._prefix = prefix

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
        """Acquire, waiting for a concurrent computation of the same step to finish."""
        hold = hold_timeout or _LOCK_HOLD_S
        wait = acquire_timeout if acquire_timeout is not None else hold
        return bool(
            self._guard(
                lambda: self._inner.acquire_lock(self._prefix + key, holder, wait, hold), True
            )
        )

    def release_lock(self, key: str, holder: str) -> None:
        """Release; a lock already gone or an unreachable backend is fine."""

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


@dataclass
class CacheSetup:
    """What one run caches into: storage, lock manager and the policy factory."""

    backend: str
    storage: GuardedStorage
    lock_manager: LockManager
    keys: dict[str, list[str]] = field(default_factory=dict)

    def policy(self, step: str, ignore: Iterable[str] = ()) -> ContentPolicy:
        """The cache policy for ``step``: content keys, SERIALIZABLE, this run's locks."""
        return ContentPolicy(
            step=step,
            ignore=tuple(ignore),
            isolation_level="SERIALIZABLE",
            lock_manager=self.lock_manager,
            on_key=self._remember,
        )

    def _remember(self, step: str, key: str) -> None:
        self.keys.setdefault(step, []).append(key)

    @property
    def degraded(self) -> bool:
        """True once the backend failed during this run."""
        return self.storage.health.down


_announced: set[str] = set()


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def setup_cache(settings: Settings, announce: Callable[[str], None] | None = None) -> CacheSetup:
    """Choose Redis or local storage for this run and say which, once per process.

    Args:
        settings: Supplies ``redis_url``, ``cache_ttl_s``, ``cache_prefix`` and ``home``.
        announce: Where to say it (default: the ``studio.cache`` logger).

    Returns:
        The run's cache setup.
    """
    say = announce or logger.info
    url = (settings.redis_url or "").strip()
    if url and _redis_reachable(url):
        from prefect_redis import RedisDatabase, RedisLockManager

        health = _Health("redis")
        storage = GuardedStorage.redis(url, settings.cache_prefix, settings.cache_ttl_s, health)
        params = RedisDatabase.from_connection_string(url).as_connection_params()
        inner_locks = RedisLockManager(**params)
        locks = GuardedLockManager(inner_locks, health, prefix=f"{settings.cache_prefix}:")
        message = f"caching step results in Redis ({redact_url(url)}, ttl {settings.cache_ttl_s}s)"
        backend = "redis"
    else:
        health = _Health("local")
        root = settings.home / "results"
        storage = GuardedStorage.local(root, health, settings.cache_ttl_s)
        locks = GuardedLockManager(FileLockManager(settings.home / "locks"), health)
        reason = "no redis_url configured" if not url else f"Redis at {redact_url(url)} unreachable"
        message = f"caching step results locally in {root} ({reason})"
        backend = "local"
    if message not in _announced:
        _announced.add(message)
        say(message)
    return CacheSetup(backend=backend, storage=storage, lock_manager=locks)
