"""The gateway's one link to Redis, and what it knows about Redis being up.

Rate limits and the response cache share it. While Redis works every request uses it; the
first failure logs ONE warning (limits count in memory, answers go uncached) and marks the
link down; from then on requests skip Redis, except one request every ``retry_s`` that tries
it again. When a try succeeds the link is up again (one info line) and the cache fills again.
A dead Redis thus costs the gateway neither a warning per request nor a connection attempt
per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.formats import redact_url

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisLink"]

log = logging.getLogger(__name__)


class RedisLink:
    """The Redis client (None without a URL) and whether it is usable now."""

    def __init__(
        self, url: str | None, retry_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.url = url or None
        self.retry_s = retry_s
        self.redis: Redis | None = None
        self.up = False
        self._clock = clock
        self._next_try = 0.0
        self._outage_logged = False

    @property
    def configured(self) -> bool:
        """A Redis URL was given (the link may still be down)."""
        return self.url is not None

    async def connect(self) -> None:
        """Create the client and try it once; a failure leaves the link down (one warning)."""
        if self.url is None:
            return
        from redis.asyncio import Redis

        self.redis = Redis.from_url(self.url, socket_connect_timeout=1.0, socket_timeout=2.0)
        try:
            await self.redis.ping()
        except Exception as exc:
            self.failed(exc)
        else:
            self.up = True

    def usable(self) -> bool:
        """Whether a request may use Redis now: it is up, or a new try is due."""
        return self.redis is not None and (self.up or self._clock() >= self._next_try)

    def client(self) -> Redis | None:
        """The client when it may be used now (taking the try when one is due), else None."""
        if self.redis is None:
            return None
        if self.up:
            return self.redis
        now = self._clock()
        if now < self._next_try:
            return None
        self._next_try = now + self.retry_s  # this request tries; the others skip Redis
        return self.redis

    def failed(self, exc: BaseException) -> None:
        """Redis failed a command: mark it down, warning once per outage."""
        self._next_try = self._clock() + self.retry_s
        if not self._outage_logged:
            log.warning(
                "redis at %s unreachable (%s): rate limits in memory, response cache off "
                "until it returns",
                redact_url(self.url or ""),
                type(exc).__name__,
            )
            self._outage_logged = True
        self.up = False

    def succeeded(self) -> None:
        """Redis answered a command: the link is up (one info line when it comes back)."""
        if not self.up:
            url = redact_url(self.url or "")
            log.info("redis at %s is back: limits and cache in redis again", url)
            self.up = True
            self._outage_logged = False

    async def aclose(self) -> None:
        """Close the client."""
        if self.redis is not None:
            await self.redis.aclose()
