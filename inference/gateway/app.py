"""The gateway app: what every request goes through, and the wiring of the routes.

:class:`Gateway` holds the services (keys, limiter, cache, upstream, metrics) and the steps
every route shares: authorize, read the body, answer through the cache. The routes themselves
are small functions in :mod:`inference.gateway.handlers`, which find the gateway on
``request.app.state.gateway``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request

from core.formats import canonical_json
from core.settings import Settings, get_settings
from inference._litellm import offline
from inference.gateway.cache import ResponseCache, fingerprint
from inference.gateway.config import GatewayConfig
from inference.gateway.disconnect import until_disconnected
from inference.gateway.errors import GatewayError
from inference.gateway.keys import Caller, KeyRing
from inference.gateway.limits import Limits, Verdict
from inference.gateway.metrics import GatewayMetrics
from inference.gateway.quiet import quiet_litellm
from inference.gateway.redis_link import RedisLink
from inference.gateway.schema import GroupCaps, parse_json
from inference.gateway.upstream import Upstream

if TYPE_CHECKING:
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
        self.keyring = KeyRing(cfg.keys, cfg.hmac_secret)
        self.groups = routing.groups
        self.entries: dict[str, list[dict[str, Any]]] = {
            g: [e for e in routing.model_list if e["model_name"] == g] for g in self.groups
        }
        self.embedding_groups = {
            g
            for g, entries in self.entries.items()
            if all(e.get("model_info", {}).get("mode") == "embedding" for e in entries)
        }
        self.caps = {
            g: GroupCaps.of(entries, cfg.max_tokens) for g, entries in self.entries.items()
        }
        self.upstream = Upstream(routing, self.metrics, cfg.first_token_s)
        self.link = RedisLink(cfg.redis_url, cfg.redis_retry_s)
        self.limits = Limits(
            cfg.redis_prefix,
            cfg.rate_window_s,
            cfg.rate_limit,
            cfg.token_limit,
            cfg.auth_failures,
            self.link,
        )
        fingerprints = {g: fingerprint(entries) for g, entries in self.entries.items()}
        self.cache = ResponseCache(self.link, cfg.redis_prefix, cfg.cache_ttl_s, fingerprints)

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
        await self.link.connect()
        log.info(
            "gateway ready: profile %r, groups %s, %d key(s), redis %s",
            self.routing.profile,
            ",".join(self.groups),
            len(self.cfg.keys),
            ("on" if self.link.up else "down") if self.link.configured else "off",
        )
        try:
            yield
        finally:
            if probe is not None:
                probe.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await probe
            await self.link.aclose()

    # --- steps every route shares -------------------------------------------------------

    async def authorize(self, request: Request) -> tuple[Caller, dict[str, str]]:
        """Who sent the request, and the rate-limit headers.

        Raises:
            GatewayError: 401 for a missing or unknown key; 429 past the key's request limit,
                or for an address that failed auth too often (checked before the key).
        """
        address = self.keyring.scope_of(request.client.host if request.client else "-")
        blocked = await self.limits.auth_blocked(address)
        if not blocked.allowed:
            log.info("failed-auth limit reached for an address")
            raise GatewayError(
                429,
                "rate_limited",
                "too many failed authentications from this address",
                {"Retry-After": _retry_after(blocked)},
            )
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        caller = self.keyring.identify(token.strip()) if scheme.lower() == "bearer" else None
        if caller is None:
            await self.limits.auth_failed(address)
            raise GatewayError(
                401, "unauthorized", "missing or invalid bearer key", {"WWW-Authenticate": "Bearer"}
            )
        verdict = await self.limits.admit(caller.scope)
        headers = {
            "x-ratelimit-limit": str(self.cfg.rate_limit),
            "x-ratelimit-remaining": str(verdict.remaining),
        }
        if not verdict.allowed:
            log.info("rate limit reached for key %s", caller.ident)
            raise GatewayError(
                429,
                "rate_limited",
                f"rate limit of {self.cfg.rate_limit} requests per "
                f"{self.cfg.rate_window_s:g}s reached for this key",
                {**headers, "Retry-After": _retry_after(verdict)},
            )
        return caller, headers

    async def reserve(self, caller: Caller, cost: int, headers: dict[str, str]) -> Verdict:
        """Reserve a request's worst-case tokens against the key's token limit.

        Raises:
            GatewayError: 400 when the request alone exceeds the limit, 429 past it.
        """
        if 0 < self.cfg.token_limit < cost:
            raise GatewayError(
                400,
                "invalid_request",
                f"the request may cost {cost} tokens, more than this key's limit of "
                f"{self.cfg.token_limit} per {self.cfg.rate_window_s:g}s; lower max_tokens",
            )
        verdict = await self.limits.reserve(caller.scope, cost)
        if not verdict.allowed:
            log.info("token limit reached for key %s", caller.ident)
            raise GatewayError(
                429,
                "rate_limited",
                f"token limit of {self.cfg.token_limit} per {self.cfg.rate_window_s:g}s "
                "reached for this key",
                {**headers, "Retry-After": _retry_after(verdict)},
            )
        return verdict

    async def read_body(self, request: Request, allowed: frozenset[str]) -> dict[str, Any]:
        """The JSON body, bounded in size and depth, with known parameters and a served model.

        Raises:
            GatewayError: 413 past the size limit, 400 for a malformed body, 404 for a model
                not served here (the name is not echoed).
        """
        limit = self.cfg.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise GatewayError(413, "request_too_large", f"the body exceeds {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise GatewayError(413, "request_too_large", f"the body exceeds {limit} bytes")
            chunks.append(chunk)
        body = parse_json(b"".join(chunks))
        if not isinstance(body, dict):
            raise GatewayError(400, "bad_request", "the body must be a JSON object")
        unknown = sorted(str(k)[:40] for k in set(body) - allowed)
        if unknown:
            raise GatewayError(
                400, "bad_request", f"unsupported parameter(s): {', '.join(unknown[:5])}"
            )
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise GatewayError(400, "bad_request", "'model' must name a model (see /v1/models)")
        if model not in self.entries:
            raise GatewayError(
                404,
                "model_not_found",
                f"the model is not served here (available: {', '.join(self.groups)})",
            )
        return body

    async def answer_cached(
        self, route: str, request: Request, caller: Caller, body: dict[str, Any], method: str
    ) -> tuple[bytes, str, str, dict[str, Any]]:
        """The answer's bytes, ``x-cache`` result, the group that served it and its usage.

        The upstream call is cancelled when the client goes away (nothing is cached then).

        Raises:
            ClientGone: The client disconnected before the answer.
        """
        cache = self.cache
        use_cache = cache.usable(request.headers.get("cache-control", ""))
        scope = "shared" if self.cfg.cache_scope == "shared" else caller.scope
        key = cache.key(route, body, scope) if use_cache else ""
        if use_cache:
            hit = await cache.get(key)
            if hit is not None:
                self.metrics.cache.labels(route, "hit").inc()
                return hit, "hit", body["model"], {}
            self.metrics.cache.labels(route, "miss").inc()
        response, served_by = await until_disconnected(request, self.upstream.call(method, body))
        payload = dict(response.model_dump(exclude_none=True))
        usage = payload.get("usage") or {}
        self.metrics.count_usage(body["model"], usage)
        data = canonical_json(payload)
        if served_by != body["model"]:
            # A fallback's answer (often the CPU tier's) must not outlive the outage.
            return data, "bypass", served_by, usage
        if use_cache:
            await cache.put(key, data)
        return data, ("miss" if use_cache else "bypass"), served_by, usage


def _retry_after(verdict: Verdict) -> str:
    return str(max(1, math.ceil(verdict.reset_s)))


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
    quiet_litellm()
    from inference.gateway import handlers
    from inference.routing import load_routing

    settings = settings or get_settings()
    cfg = config or GatewayConfig.from_settings(settings)
    gateway = Gateway(cfg, routing or load_routing(settings=settings), router_overrides)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with gateway.running():
            yield

    # No /docs, /redoc or /openapi.json: they would describe the service to anyone, keyless.
    app = FastAPI(
        title="Animation AI Studio gateway",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.gateway = gateway
    app.state.metrics = gateway.metrics
    handlers.register(app)
    return app
