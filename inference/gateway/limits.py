"""Per-key limits over a sliding window: requests and tokens, plus failed auth per address.

Each admitted request is an entry of a sorted set scored by its time; a request is admitted
only when fewer than ``limit`` entries lie in the last ``window_s`` (and the tokens of the
entries there, plus its own worst case, stay within ``token_limit``). So no window of that
length ever holds more than the limit, whatever the alignment (a fixed window lets through
twice the limit around its edge). In Redis the check-and-add is one Lua script, atomic across
replicas and timed by Redis's own clock; in memory the same rule runs per process.

Request counts are always kept in memory too, and a request must pass both: so when Redis
dies mid-window (or comes back empty) this replica's own admissions still count, and a key
never gets more than its limit from one replica in any window.

A token reservation is the request's worst case (prompt estimate plus ``max_tokens``);
:meth:`settle` replaces it with the usage the deployment reported.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inference.gateway.redis_link import RedisLink

__all__ = ["Limits", "Verdict"]

# KEYS: requests zset, tokens zset. ARGV: window ms, limit, token limit, cost, member, mode
# (req: count a request; peek: check only; tok: reserve tokens).
# Returns {allowed, remaining requests, ms until a slot frees, reason}.
_ADMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local win, limit, tlimit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local cost, mode = tonumber(ARGV[4]), ARGV[6]
if mode ~= 'tok' then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - win)
  local n = redis.call('ZCARD', KEYS[1])
  if n >= limit then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {0, 0, tonumber(oldest[2]) + win - now, 'requests'}
  end
  if mode == 'peek' then return {1, limit - n, 0, ''} end
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], win)
  return {1, limit - n - 1, 0, ''}
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - win)
local used = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  used = used + tonumber(string.match(m, ':(%d+)$'))
end
if used + cost > tlimit then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  local wait = win
  if oldest[2] then wait = tonumber(oldest[2]) + win - now end
  return {0, 0, wait, 'tokens'}
end
redis.call('ZADD', KEYS[2], now, ARGV[5] .. ':' .. cost)
redis.call('PEXPIRE', KEYS[2], win)
return {1, 0, 0, ''}
"""
# KEYS: tokens zset. ARGV: member, reserved, actual.
_SETTLE = """
local old = ARGV[1] .. ':' .. ARGV[2]
local score = redis.call('ZSCORE', KEYS[1], old)
if score then
  redis.call('ZREM', KEYS[1], old)
  redis.call('ZADD', KEYS[1], score, ARGV[1] .. ':' .. ARGV[3])
end
return 1
"""


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go ahead, and if not why and for how long.

    Attributes:
        allowed: Within every limit (and now counted).
        remaining: Requests left in the window.
        reset_s: Seconds until the limit that refused it admits again.
        reason: ``requests`` or ``tokens`` when refused.
        ticket: Names the token reservation for :meth:`Limits.settle`.
        cost: Tokens reserved.
    """

    allowed: bool
    remaining: int
    reset_s: float
    reason: str = ""
    ticket: str = ""
    cost: int = 0


class _Memory:
    """The sliding-window rule in this process."""

    def __init__(self) -> None:
        self._requests: dict[str, deque[float]] = {}
        self._tokens: dict[str, dict[str, tuple[float, int]]] = {}

    def admit(
        self, scope: str, window_s: float, limit: int, tlimit: int, cost: int, mode: str
    ) -> Verdict:
        now = time.monotonic()
        if mode != "tok":
            times = self._requests.get(scope) or deque()
            while times and times[0] <= now - window_s:
                times.popleft()
            # Only scopes with requests in the window are kept (many addresses may knock).
            if times or mode == "req":
                self._requests[scope] = times
            else:
                self._requests.pop(scope, None)
            if len(times) >= limit:
                return Verdict(False, 0, times[0] + window_s - now, "requests")
            if mode == "req":
                times.append(now)
            return Verdict(True, limit - len(times), 0.0)
        tokens = self._tokens.setdefault(scope, {})
        for member in [m for m, (t, _) in tokens.items() if t <= now - window_s]:
            del tokens[member]
        if sum(c for _, c in tokens.values()) + cost > tlimit:
            first = min((t for t, _ in tokens.values()), default=now)
            return Verdict(False, 0, first + window_s - now, "tokens")
        ticket = uuid.uuid4().hex
        tokens[ticket] = (now, cost)
        return Verdict(True, 0, 0.0, ticket=ticket, cost=cost)

    def withdraw(self, scope: str) -> None:
        """Take back the newest admission of ``scope`` (Redis refused the request)."""
        times = self._requests.get(scope)
        if times:
            times.pop()

    def settle(self, scope: str, ticket: str, actual: int) -> None:
        tokens = self._tokens.get(scope, {})
        if ticket in tokens:
            tokens[ticket] = (tokens[ticket][0], actual)


class Limits:
    """Request and token limits per key, failed-auth limits per address."""

    def __init__(
        self,
        prefix: str,
        window_s: float,
        limit: int,
        token_limit: int,
        auth_failures: int,
        link: RedisLink | None = None,
    ) -> None:
        self.prefix = prefix
        self.window_s = window_s
        self.limit = limit
        self.token_limit = token_limit
        self.auth_failures = auth_failures
        self.link = link
        # Always counted (see the module's doc); the only count without Redis.
        self._memory = _Memory()
        self._scripts: dict[str, Any] = {}

    async def admit(self, scope: str) -> Verdict:
        """Count a request of ``scope`` if fewer than ``limit`` lie in the window."""
        return await self._admit(f"rl:{scope}", self.limit, 0, "req")

    async def reserve(self, scope: str, cost: int) -> Verdict:
        """Reserve ``cost`` tokens for ``scope`` if the window's tokens stay within limit."""
        if self.token_limit <= 0:
            return Verdict(True, 0, 0.0)
        return await self._admit(f"rl:{scope}", 0, cost, "tok")

    async def settle(self, scope: str, verdict: Verdict, actual: int) -> None:
        """Replace a request's token reservation with what it used."""
        if not verdict.ticket or self.token_limit <= 0:
            return
        use = self.link.client() if self.link is not None else None
        if use is not None:
            redis, began = use
            try:
                script = self._script(redis, "settle", _SETTLE)
                await script(
                    keys=[f"{self.prefix}:rl:{scope}:tok"],
                    args=[verdict.ticket, verdict.cost, max(actual, 0)],
                )
            except Exception as exc:
                self._failed(exc, began)
            else:
                return
        self._memory.settle(f"rl:{scope}", verdict.ticket, max(actual, 0))

    async def auth_blocked(self, address: str) -> Verdict:
        """Whether ``address`` already failed auth too often (nothing is counted)."""
        return await self._admit(f"af:{address}", self.auth_failures, 0, "peek")

    async def auth_failed(self, address: str) -> None:
        """Count one failed auth of ``address``."""
        await self._admit(f"af:{address}", self.auth_failures, 0, "req")

    async def _admit(self, name: str, limit: int, cost: int, mode: str) -> Verdict:
        local: Verdict | None = None
        if mode != "tok":
            # In memory first: atomic in this process, and it holds when Redis fails.
            local = self._memory.admit(name, self.window_s, limit, self.token_limit, cost, mode)
            if not local.allowed:
                return local
        use = self.link.client() if self.link is not None else None
        if use is None:
            return local or self._memory.admit(
                name, self.window_s, limit, self.token_limit, cost, mode
            )
        redis, began = use
        ticket = uuid.uuid4().hex
        try:
            script = self._script(redis, "admit", _ADMIT)
            raw = await script(
                keys=[f"{self.prefix}:{name}", f"{self.prefix}:{name}:tok"],
                args=[int(self.window_s * 1000), limit, self.token_limit, cost, ticket, mode],
            )
        except Exception as exc:
            self._failed(exc, began)
            return local or self._memory.admit(
                name, self.window_s, limit, self.token_limit, cost, mode
            )
        if self.link is not None:
            self.link.succeeded(began)
        allowed, remaining, wait_ms, reason = raw
        reason = reason.decode() if isinstance(reason, bytes) else str(reason)
        ok = bool(int(allowed))
        if not ok and mode == "req":
            self._memory.withdraw(name)
        return Verdict(
            ok,
            int(remaining),
            int(wait_ms) / 1000,
            reason,
            ticket if ok and mode == "tok" else "",
            cost if ok and mode == "tok" else 0,
        )

    def _failed(self, exc: BaseException, began: float) -> None:
        if self.link is not None:
            self.link.failed(exc, began)

    def _script(self, redis: Any, name: str, source: str) -> Any:
        if name not in self._scripts:
            self._scripts[name] = redis.register_script(source)
        return self._scripts[name]
