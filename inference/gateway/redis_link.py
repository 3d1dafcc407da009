"""The gateway's one link to Redis, and what it knows about Redis being up.

Rate limits and the response cache share it. While Redis works every request uses it; the
first failure logs ONE warning (limits count in memory, answers go uncached) and marks the
link down; from then on requests skip Redis, except one request every ``retry_s`` that tries
it again. When a try succeeds the link is up again (one info line) and the cache fills again.
A dead Redis thus costs the gateway neither a warning per request nor a connection attempt
per request. Each use carries the time it began: a command that began before the latest
change of state (one that was in flight when Redis died, or that fails on a connection left
over from before it came back) does not flip the state again.

The client retries a failed command once, at once (a pooled connection to a Redis that
restarted reconnects), instead of redis-py's default ten retries with backoff, which hold a
request for seconds while Redis is down.
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
        self._changed = float("-inf")  # when the link last went up or down

    @property
    def configured(self) -> bool:
        """A Redis URL was given (the link may still be down)."""
        return self.url is not None

    async def connect(self) -> None:
        """Create the client and try it once; a failure leaves the link down (one warning)."""
        if self.url is None:
            return
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        self.redis = Redis.from_url(
            self.url,
            socket_connect_timeout=1.0,
            socket_timeout=5.0,  # a loaded host's Redis may be slow: slow is not down
            retry=Retry(NoBackoff(), 1),
        )
        began = self._clock()
        try:
            await self.redis.ping()
        except Exception as exc:
            self.failed(exc, began)
        else:
            self.up = True

    def usable(self) -> bool:
        """Whether a request may use Redis now: it is up, or a new try is due."""
        return self.redis is not None and (self.up or self._clock() >= self._next_try)

    def client(self) -> tuple[Redis, float] | None:
        """The client and when this use begins, if Redis may be used now; else None.

        While Redis is down, the one request whose try is due gets it.
        """
        if self.redis is None:
            return None
        now = self._clock()
        if self.up:
            return self.redis, now
        if now < self._next_try:
            return None
        self._next_try = now + self.retry_s  # this request tries; the others skip Redis
        return self.redis, now

    def failed(self, exc: BaseException, began: float) -> None:
        """A command begun at ``began`` failed: mark Redis down, warning once per outage."""
        if began < self._changed:
            return  # begun before Redis came back: a leftover, not news
        self._next_try = self._clock() + self.retry_s
        if self.up:
            self._changed = self._clock()
        if not self._outage_logged:
            log.warning(
                "redis at %s unreachable (%s): rate limits in memory, response cache off "
                "until it returns",
                redact_url(self.url or ""),
                type(exc).__name__,
            )
            self._outage_logged = True
        self.up = False

    def succeeded(self, began: float) -> None:
        """A command begun at ``began`` succeeded: Redis is up (one info line when back)."""
        if began < self._changed:
            return  # begun before Redis went down
        if not self.up:
            self._changed = self._clock()
            url = redact_url(self.url or "")
            log.info("redis at %s is back: limits and cache in redis again", url)
            self.up = True
            self._outage_logged = False

    async def aclose(self) -> None:
        """Close the client."""
        if self.redis is not None:
            await self.redis.aclose()
