"""Content-addressed caching for the creative-job steps: one run's setup.

A step's cache key is built from *content* only (``flows._cache_keys``): file paths and run
ids never enter a key, so a renamed clip or a new run reuses results while an edited prompt
or a swapped model busts exactly the steps that use them.

Results go to Redis through prefect-redis when ``Settings.redis_url`` answers (with the
configured TTL and key prefix), to local files under the studio home otherwise. Either way
the storage is wrapped so that a backend failing mid-run turns every later read into a miss
and every write into a no-op, with one warning: caching is an optimisation and must never
fail a job (``flows._cache_storage``). Steps run under ``SERIALIZABLE`` isolation with a lock
manager (Redis locks or lock files) so two runs of the same job compute a step once and the
second reuses it (``flows._cache_locks``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from prefect.locking.protocol import LockManager

from core.formats import redact_url
from core.settings import Settings
from flows._cache_keys import ContentPolicy
from flows._cache_locks import FileLockManager, GuardedLockManager
from flows._cache_storage import GuardedStorage, _Health

__all__ = ["CacheSetup", "setup_cache"]

logger = logging.getLogger("studio.cache")


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
