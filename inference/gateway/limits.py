"""Per-key request limits: fixed windows in Redis (shared by replicas) or in memory."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["Limiter", "MemoryLimiter", "RedisLimiter", "Verdict"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go ahead, what is left, and when the limit resets."""

    allowed: bool
    remaining: int
    reset_s: float


class Limiter(Protocol):
    """Counts one request of ``ident`` and says whether it is within the limit."""

    limit: int
    window_s: float

    async def hit(self, ident: str) -> Verdict:
        """Count one request of ``ident``."""
        ...


class MemoryLimiter:
    """Fixed-window counters in this process (used when Redis is absent)."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._counts: dict[tuple[str, int], int] = {}

    async def hit(self, ident: str) -> Verdict:
        """Count one request of ``ident``."""
        now = time.time()
        window = int(now // self.window_s)
        # Drop finished windows so the dict stays one entry per active key.
        for stale in [k for k in self._counts if k[1] < window]:
            del self._counts[stale]
        count = self._counts.get((ident, window), 0) + 1
        self._counts[(ident, window)] = count
        reset = (window + 1) * self.window_s - now
        return Verdict(count <= self.limit, max(self.limit - count, 0), reset)


class RedisLimiter:
    """Fixed-window counters in Redis, shared by every gateway replica."""

    def __init__(self, redis: Redis, prefix: str, limit: int, window_s: float) -> None:
        self.redis = redis
        self.prefix = prefix
        self.limit = limit
        self.window_s = window_s
        # Used while Redis is unreachable: limits stay enforced, per replica.
        self._fallback = MemoryLimiter(limit, window_s)

    async def hit(self, ident: str) -> Verdict:
        """Count one request of ``ident``."""
        now = time.time()
        window = int(now // self.window_s)
        counter = f"{self.prefix}:rl:{ident}:{window}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(counter)
                pipe.expire(counter, math.ceil(self.window_s) + 1)
                count, _ = await pipe.execute()
        except Exception as exc:
            log.warning(
                "rate limit counter in redis failed (%s); counting in memory", type(exc).__name__
            )
            return await self._fallback.hit(ident)
        reset = (window + 1) * self.window_s - now
        return Verdict(int(count) <= self.limit, max(self.limit - int(count), 0), reset)
