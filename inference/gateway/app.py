"""The gateway app: what every request goes through, and the wiring of the routes.

:class:`Gateway` holds the services (keys, limiter, cache, upstream, metrics) and the steps
every route shares: authorize, read the body, answer through the cache. The routes themselves
are small functions in :mod:`inference.gateway.handlers`, which find the gateway on
``request.app.state.gateway``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request

from core.formats import canonical_json, redact_url
from core.settings import Settings, get_settings
from inference._litellm import offline
from inference.gateway.cache import ResponseCache, fingerprint
from inference.gateway.config import GatewayConfig
from inference.gateway.errors import GatewayError
from inference.gateway.keys import KeyRing
from inference.gateway.limits import Limiter, MemoryLimiter, RedisLimiter
from inference.gateway.metrics import GatewayMetrics
from inference.gateway.upstream import Upstream

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from inference.routing import Routing

__all__ = ["Gateway", "create_app"]

log = logging.getLogger(__name__)


class Gateway:
    """The gateway's services and the steps its routes share."""

    def __init__(
        self, cfg: GatewayConfig, routing: Routing, router_overrides: dict[str, Any] | None
    ) -> None:
        self.cfg = cfg
        self.routing = routing
        self.router_overrides = router_overrides or {}
        self.metrics = GatewayMetrics()
        self.keyring = KeyRing(cfg.keys)
        self.groups = routing.groups
        self.entries: dict[str, list[dict[str, Any]]] = {
            g: [e for e in routing.model_list if e["model_name"] == g] for g in self.groups
        }
        self.embedding_groups = {
            g
            for g, entries in self.entries.items()
            if all(e.get("model_info", {}).get("mode") == "embedding" for e in entries)
        }
        self.upstream = Upstream(routing, self.metrics)
        self.limiter: Limiter = MemoryLimiter(cfg.rate_limit, cfg.rate_window_s)
        fingerprints = {g: fingerprint(entries) for g, entries in self.entries.items()}
        self.cache = ResponseCache(None, cfg.redis_prefix, cfg.cache_ttl_s, fingerprints)
        self.redis: Redis | None = None

    # --- lifecycle ----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Build the router, start the probe, connect Redis; undo it all on the way out."""
        from inference.routing import build_router

        self.upstream.router = build_router(self.routing, **self.router_overrides)
        probe: asyncio.Task[None] | None = None
        if self.cfg.health_interval_s > 0:
            await self.upstream.probe_all()  # the first request already avoids dead ones
            probe = asyncio.create_task(
                self.upstream.probe_loop(self.cfg.health_interval_s), name="gateway-health-probe"
            )
        await self._connect_redis()
        log.info(
            "gateway ready: profile %r, groups %s, %d key(s), redis %s",
            self.routing.profile,
            ",".join(self.groups),
            len(self.cfg.keys),
            "on" if self.redis else "off",
        )
        try:
            yield
        finally:
            if probe is not None:
                probe.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await probe
            if self.redis is not None:
                await self.redis.aclose()

    async def _connect_redis(self) -> None:
        if not self.cfg.redis_url:
            return
        from redis.asyncio import Redis

        client: Redis = Redis.from_url(
            self.cfg.redis_url, socket_connect_timeout=1.0, socket_timeout=2.0
        )
        try:
            await client.ping()
        except Exception as exc:
            log.warning(
                "redis at %s unreachable (%s): rate limits in memory, response cache off",
                redact_url(self.cfg.redis_url),
                type(exc).__name__,
            )
            await client.aclose()
            return
        self.redis = client
        self.cache.redis = client
        self.limiter = RedisLimiter(
            client, self.cfg.redis_prefix, self.cfg.rate_limit, self.cfg.rate_window_s
        )

    # --- steps every route shares -------------------------------------------------------

    async def authorize(self, request: Request) -> tuple[str, dict[str, str]]:
        """The key's id and the rate-limit headers.

        Raises:
            GatewayError: 401 for a missing or unknown key, 429 past the key's limit.
        """
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        ident = self.keyring.identify(token.strip()) if scheme.lower() == "bearer" else None
        if ident is None:
            raise GatewayError(
                401, "unauthorized", "missing or invalid bearer key", {"WWW-Authenticate": "Bearer"}
            )
        verdict = await self.limiter.hit(ident)
        headers = {
            "x-ratelimit-limit": str(self.cfg.rate_limit),
            "x-ratelimit-remaining": str(verdict.remaining),
        }
        if not verdict.allowed:
            log.info("rate limit reached for key %s", ident)
            raise GatewayError(
                429,
                "rate_limited",
                f"rate limit of {self.cfg.rate_limit} requests per "
                f"{self.cfg.rate_window_s:g}s reached for this key",
                {**headers, "Retry-After": str(max(1, math.ceil(verdict.reset_s)))},
            )
        return ident, headers

    async def read_body(self, request: Request, allowed: frozenset[str]) -> dict[str, Any]:
        """The JSON body, checked for shape, known parameters and a served model.

        Raises:
            GatewayError: 400 for a malformed body, 404 for a model not served here.
        """
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise GatewayError(400, "bad_request", "the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise GatewayError(400, "bad_request", "the body must be a JSON object")
        unknown = sorted(set(body) - allowed)
        if unknown:
            raise GatewayError(
                400, "bad_request", f"unsupported parameter(s): {', '.join(unknown)}"
            )
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise GatewayError(400, "bad_request", "'model' must name a model (see /v1/models)")
        if model not in self.entries:
            raise GatewayError(
                404,
                "model_not_found",
                f"model {model!r} is not served here (available: {', '.join(self.groups)})",
            )
        return body

    async def answer_cached(
        self, route: str, request: Request, body: dict[str, Any], method: str
    ) -> tuple[bytes, str, str]:
        """The answer's bytes, the ``x-cache`` result and the group that served it."""
        cache = self.cache
        use_cache = cache.usable(request.headers.get("cache-control", ""))
        key = cache.key(route, body) if use_cache else ""
        if use_cache:
            hit = await cache.get(key)
            if hit is not None:
                self.metrics.cache.labels(route, "hit").inc()
                return hit, "hit", body["model"]
            self.metrics.cache.labels(route, "miss").inc()
        response, served_by = await self.upstream.call(method, body)
        payload = dict(response.model_dump(exclude_none=True))
        self.metrics.count_usage(body["model"], payload.get("usage"))
        data = canonical_json(payload)
        if served_by != body["model"]:
            # A fallback's answer (often the CPU tier's) must not outlive the outage.
            return data, "bypass", served_by
        if use_cache:
            await cache.put(key, data)
        return data, ("miss" if use_cache else "bypass"), served_by


def create_app(
    settings: Settings | None = None,
    *,
    config: GatewayConfig | None = None,
    routing: Routing | None = None,
    router_overrides: dict[str, Any] | None = None,
) -> FastAPI:
    """Build the gateway app.

    Args:
        settings: Settings for the routing profile/file and defaults; default the process's.
        config: Keys, limits, cache and Redis; default ``GatewayConfig.from_settings``.
        routing: A loaded routing profile; default ``load_routing`` from ``settings``.
        router_overrides: Extra ``litellm.Router`` keyword arguments (tests, benchmarks).

    Returns:
        A FastAPI app; its lifespan builds the router and connects Redis.

    Raises:
        ConfigError: No keys, or an invalid routing file.
    """
    offline()
    from inference.gateway import handlers
    from inference.routing import load_routing

    settings = settings or get_settings()
    cfg = config or GatewayConfig.from_settings(settings)
    gateway = Gateway(cfg, routing or load_routing(settings=settings), router_overrides)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with gateway.running():
            yield

    app = FastAPI(title="Animation AI Studio gateway", lifespan=lifespan, docs_url=None)
    app.state.gateway = gateway
    app.state.metrics = gateway.metrics
    handlers.register(app)
    return app
