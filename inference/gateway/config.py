"""What the gateway enforces, read from settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from core.settings import Settings, get_settings
from inference.gateway.keys import load_keys

__all__ = ["KEEP_ALIVE_S", "GatewayConfig"]

# How long the gateway's HTTP server keeps an idle client connection. Longer than clients keep
# one (httpx and the openai SDK: 5 s, aiohttp: 15 s), so a client never reuses a connection
# the server is closing at that moment (uvicorn's default, 5 s, races httpx's 5 s: under
# load a few requests then fail with a dropped connection).
KEEP_ALIVE_S = 75


@dataclass(frozen=True)
class GatewayConfig:
    """Keys, limits, caps, cache and Redis; ``from_settings`` reads them from ``Settings``.

    Attributes:
        keys: The bearer keys (each at least 24 characters; see :func:`load_keys`).
        rate_limit: Requests per key in any ``rate_window_s``.
        rate_window_s: Length of the sliding window of every limit.
        token_limit: Tokens per key in any window (0: no token limit).
        auth_failures: Failed-auth requests per client address in any window.
        max_body_bytes: Largest body read; a bigger one is refused unparsed.
        max_tokens: ``max_tokens`` cap where the routing file gives none.
        cache_ttl_s: Life of a cached answer (0: no cache).
        cache_scope: ``key``: answers are cached per key; ``shared``: across keys.
        first_token_s: Seconds to wait for a deployment's first output (then the next hop,
            or a 503 with ``Retry-After``).
        redis_retry_s: While Redis is down, how often a request may try it again.
        secret: HMAC secret for the names of per-key counters and cache entries; default
            derived from the keys, so replicas with the same keys agree.
    """

    keys: tuple[str, ...] = field(repr=False)
    rate_limit: int = 60
    rate_window_s: float = 60.0
    token_limit: int = 200_000
    auth_failures: int = 20
    max_body_bytes: int = 4_000_000
    max_tokens: int = 2048
    cache_ttl_s: int = 3600
    cache_scope: Literal["key", "shared"] = "key"
    redis_url: str | None = None
    redis_prefix: str = "studio:gateway"
    health_interval_s: float = 5.0
    first_token_s: float = 60.0
    redis_retry_s: float = 1.0
    secret: bytes | None = field(default=None, repr=False)

    @property
    def hmac_secret(self) -> bytes:
        """The secret that names counters: the configured one, or one derived from the keys."""
        if self.secret:
            return self.secret
        return hashlib.sha256(b"studio-gateway\0" + "\0".join(sorted(self.keys)).encode()).digest()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> GatewayConfig:
        """Build the config from settings (keys from env and the keys file)."""
        settings = settings or get_settings()
        secret = settings.gateway_secret
        return cls(
            keys=load_keys(settings),
            rate_limit=settings.gateway_rpm,
            rate_window_s=settings.gateway_rate_window_s,
            token_limit=settings.gateway_tokens_per_window,
            auth_failures=settings.gateway_auth_failures,
            max_body_bytes=settings.gateway_max_body_bytes,
            max_tokens=settings.gateway_max_tokens,
            cache_ttl_s=settings.gateway_cache_ttl_s,
            cache_scope=settings.gateway_cache_scope,
            redis_url=settings.redis_url or None,
            redis_prefix=f"{settings.cache_prefix}:gateway",
            first_token_s=settings.gateway_first_token_s,
            secret=secret.get_secret_value().encode() if secret else None,
        )
