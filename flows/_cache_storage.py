"""Where step results are kept: Redis (prefect-redis) or local files, never failing a run.

Caching is an optimisation and must never fail a job: a backend failing mid-run turns every
later read into a miss and every write into a no-op, with one warning (``_Health``, shared
with the run's lock manager).
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from prefect.filesystems import WritableFileSystem
from pydantic import PrivateAttr

from core.files import write_atomic

__all__ = ["GuardedStorage"]

logger = logging.getLogger("studio.cache")


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
