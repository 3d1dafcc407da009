"""What the gateway enforces, read from settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.settings import Settings, get_settings
from inference.gateway.keys import load_keys

__all__ = ["GatewayConfig"]


@dataclass(frozen=True)
class GatewayConfig:
    """Keys, limits, cache and Redis; ``from_settings`` reads them from ``Settings``."""

    keys: tuple[str, ...] = field(repr=False)
    rate_limit: int = 60
    rate_window_s: float = 60.0
    cache_ttl_s: int = 3600
    redis_url: str | None = None
    redis_prefix: str = "studio:gateway"
    health_interval_s: float = 5.0

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> GatewayConfig:
        """Build the config from settings (keys from env and the keys file)."""
        settings = settings or get_settings()
        return cls(
            keys=load_keys(settings),
            rate_limit=settings.gateway_rpm,
            rate_window_s=settings.gateway_rate_window_s,
            cache_ttl_s=settings.gateway_cache_ttl_s,
            redis_url=settings.redis_url or None,
            redis_prefix=f"{settings.cache_prefix}:gateway",
        )
