"""The OpenAI-compatible gateway: one HTTP front door over the routing file.

``create_app`` builds a FastAPI app that answers ``/v1/chat/completions`` (streaming too),
``/v1/embeddings`` (for groups whose deployments declare ``model_info.mode: embedding``),
``/v1/models``, ``/health`` and ``/metrics``. Every model call goes through the tier's one
``litellm.Router`` (``build_router(load_routing(...))``): the gateway adds what a shared
service needs on top of it and nothing else:

* bearer-key auth (401), keys from ``STUDIO_GATEWAY_KEYS`` and/or ``gateway_keys_file``;
  logs and metrics only ever see a key's short SHA-256 id, never the key;
* a per-key fixed-window rate limit (429 with ``Retry-After``), counted in Redis so several
  gateway replicas share it, or in memory when Redis is absent;
* a Redis response cache for identical non-streaming requests (``x-cache: hit|miss``;
  ``Cache-Control: no-cache`` skips it), keyed by the canonical request and a fingerprint
  of the deployments that would answer it, so a routing change never serves stale answers;
* an active health probe (``inference.health.probe_url`` on every deployment, in the
  background every ``health_interval_s``): the gateway walks the routing file's fallback
  chain itself and skips deployments the probe saw down, instead of waiting for timeouts;
* Prometheus metrics in a registry of its own (requests, latency, tokens, cache, errors,
  deployment health).

Requests the gateway cannot reshape: a vision request that falls back to a text-only
deployment is sent as is (the typed ``InferenceClient`` rewrites images to descriptors; a raw
OpenAI request has no descriptors to fall back on). The cache is shared by all keys: an
identical request from another key is a hit.

litellm's own proxy was considered: ``litellm[proxy]`` could not be installed in this
environment at litellm 1.110.2, and its per-key limits need a Prisma database. This app is the
small part of it the studio needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response

from core.exceptions import ConfigError
from core.formats import canonical_json, redact_url
from core.settings import Settings, get_settings
from inference._litellm import offline
from inference.fallback import Hop, fallback_chain, without_images

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from redis.asyncio import Redis

    from inference.routing import Routing

__all__ = [
    "GatewayConfig",
    "GatewayMetrics",
    "create_app",
    "key_id",
    "load_keys",
]

log = logging.getLogger(__name__)

# OpenAI request fields the gateway forwards. Anything else is refused: litellm also reads
# routing kwargs (api_base, api_key, base_url, mock_response...) from the same call, and a
# client must never be able to redirect a request carrying a backend key.
_CHAT_PARAMS = frozenset(
    {
        "model",
        "messages",
        "temperature",
        "top_p",
        "n",
        "stop",
        "max_tokens",
        "max_completion_tokens",
        "presence_penalty",
        "frequency_penalty",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "user",
        "seed",
        "response_format",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "stream",
        "stream_options",
    }
)
_EMBEDDING_PARAMS = frozenset({"model", "input", "encoding_format", "dimensions", "user"})
# Upstream failures worth trying the next target for (the client's request was fine).
_RETRYABLE_KINDS = frozenset({"upstream_timeout", "upstream_busy", "upstream_unavailable"})
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


def key_id(key: str) -> str:
    """Short, non-reversible name of a key for logs, metrics and rate-limit counters."""
    return "k-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def load_keys(settings: Settings) -> tuple[str, ...]:
    """Collect the gateway's bearer keys from the environment and the keys file.

    ``STUDIO_GATEWAY_KEYS`` is comma-separated; the file holds one key per line (blank
    lines and ``#`` comments ignored).

    Raises:
        ConfigError: No key configured (the gateway never runs open), or an unreadable file.
    """
    keys: list[str] = []
    if settings.gateway_keys is not None:
        keys += [k.strip() for k in settings.gateway_keys.get_secret_value().split(",")]
    path = settings.gateway_keys_file
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"gateway keys file {path} is unreadable: {exc.strerror}") from None
        keys += [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    keys = [k for k in dict.fromkeys(keys) if k]
    if not keys:
        raise ConfigError(
            "the gateway has no keys: set STUDIO_GATEWAY_KEYS or STUDIO_GATEWAY_KEYS_FILE"
        )
    return tuple(keys)


@dataclass(frozen=True)
class GatewayConfig:
    """What the gateway enforces; ``from_settings`` reads it from ``Settings``."""

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


class _KeyRing:
    """Constant-time lookup of a presented key among the configured ones."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._digests = [(hashlib.sha256(k.encode()).digest(), key_id(k)) for k in keys]

    def identify(self, presented: str) -> str | None:
        digest = hashlib.sha256(presented.encode()).digest()
        found = None
        for known, ident in self._digests:
            # No early exit: every configured key is compared, whatever matches.
            if hmac.compare_digest(digest, known):
                found = ident
        return found


class GatewayMetrics:
    """The gateway's Prometheus series, in a registry of their own."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry: CollectorRegistry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "studio_gateway_requests",
            "Requests answered, by route, model group and HTTP status.",
            ["route", "model", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "studio_gateway_request_latency_seconds",
            "Time from request to full response (first byte for streams), by route and model.",
            ["route", "model"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.tokens = Counter(
            "studio_gateway_tokens",
            "Tokens reported by the deployments, by model group and kind (prompt|completion).",
            ["model", "kind"],
            registry=self.registry,
        )
        self.cache = Counter(
            "studio_gateway_cache",
            "Response-cache lookups by route and result (hit|miss).",
            ["route", "result"],
            registry=self.registry,
        )
        self.errors = Counter(
            "studio_gateway_errors",
            "Failed requests by kind (unauthorized, rate_limited, bad_request, ...).",
            ["kind"],
            registry=self.registry,
        )
        self.deployment_up = Gauge(
            "studio_gateway_deployment_up",
            "1 if the last active health probe of a deployment succeeded, else 0.",
            ["deployment"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        """The exposition text of every series."""
        from prometheus_client import generate_latest

        return bytes(generate_latest(self.registry))


class _GatewayError(Exception):
    """An OpenAI-style error answer: status, ``error.type`` and a safe one-line message."""

    def __init__(
        self, status: int, kind: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.kind, "code": self.status}}


# --- rate limiting ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    allowed: bool
    remaining: int
    reset_s: float


class _MemoryLimiter:
    """Fixed-window counters in this process (used when Redis is absent)."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._counts: dict[tuple[str, int], int] = {}

    async def hit(self, ident: str) -> _Verdict:
        now = time.time()
        window = int(now // self.window_s)
        # Drop finished windows so the dict stays one entry per active key.
        for stale in [k for k in self._counts if k[1] < window]:
            del self._counts[stale]
        count = self._counts.get((ident, window), 0) + 1
        self._counts[(ident, window)] = count
        reset = (window + 1) * self.window_s - now
        return _Verdict(count <= self.limit, max(self.limit - count, 0), reset)


class _RedisLimiter:
    """Fixed-window counters in Redis, shared by every gateway replica."""

    def __init__(self, redis: Redis, prefix: str, limit: int, window_s: float) -> None:
        self.redis = redis
        self.prefix = prefix
        self.limit = limit
        self.window_s = window_s
        # Used while Redis is unreachable: limits stay enforced, per replica.
        self._fallback = _MemoryLimiter(limit, window_s)

    async def hit(self, ident: str) -> _Verdict:
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
        return _Verdict(int(count) <= self.limit, max(self.limit - int(count), 0), reset)


# --- the app ------------------------------------------------------------------------------


def _fingerprint(entries: list[dict[str, Any]]) -> str:
    # What would answer the request, minus secrets: changing a deployment changes the key.
    stripped = []
    for entry in entries:
        params = {k: v for k, v in entry.get("litellm_params", {}).items() if k != "api_key"}
        stripped.append({"params": params, "id": entry.get("model_info", {}).get("id")})
    return hashlib.sha256(canonical_json(stripped)).hexdigest()[:16]


def _upstream_error(exc: Exception) -> _GatewayError:
    """Map a litellm/Router failure to the answer the client gets (no backend details)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if name == "Timeout" or status == 408:
        return _GatewayError(504, "upstream_timeout", f"the model deployment timed out ({name})")
    if status in (400, 413, 422) or name in ("BadRequestError", "ContextWindowExceededError"):
        detail = str(getattr(exc, "message", "") or exc).splitlines()[0][:300]
        return _GatewayError(400, "bad_request", f"the model refused the request: {detail}")
    if status == 429 or name in ("RateLimitError", "RouterRateLimitError"):
        return _GatewayError(
            503, "upstream_busy", f"every deployment is busy or cooling down ({name})"
        )
    if status in (401, 403):
        # The backend refused *our* credentials: a gateway misconfiguration, not the client's.
        return _GatewayError(502, "upstream_auth", "the gateway's backend credentials were refused")
    return _GatewayError(502, "upstream_unavailable", f"no model deployment answered ({name})")


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
    from fastapi.responses import JSONResponse, StreamingResponse

    from inference.routing import build_router, load_routing

    settings = settings or get_settings()
    cfg = config or GatewayConfig.from_settings(settings)
    routing = routing or load_routing(settings=settings)
    keyring = _KeyRing(cfg.keys)
    metrics = GatewayMetrics()
    groups = routing.groups
    entries_by_group: dict[str, list[dict[str, Any]]] = {
        g: [e for e in routing.model_list if e["model_name"] == g] for g in groups
    }
    embedding_groups = {
        g
        for g, entries in entries_by_group.items()
        if all(e.get("model_info", {}).get("mode") == "embedding" for e in entries)
    }
    fingerprints = {g: _fingerprint(entries) for g, entries in entries_by_group.items()}
    deployments = routing.all_deployments

    @dataclass
    class _State:
        router: Any = None
        up: dict[str, bool] = field(default_factory=dict)
        timeouts: dict[str, int] = field(default_factory=dict)
        probe_task: asyncio.Task[None] | None = None
        redis: Redis | None = None
        limiter: _MemoryLimiter | _RedisLimiter = field(
            default_factory=lambda: _MemoryLimiter(cfg.rate_limit, cfg.rate_window_s)
        )

    state = _State()

    async def probe_all() -> None:
        from inference.health import probe_url

        # One probe per health URL: the embedded profile serves every role from one server.
        urls = sorted({d.health_url for d in deployments})
        results = await asyncio.gather(
            *(asyncio.to_thread(probe_url, url, 1.0) for url in urls), return_exceptions=True
        )
        by_url = {
            url: (r.up, r.detail) if not isinstance(r, BaseException) else (False, "probe error")
            for url, r in zip(urls, results, strict=True)
        }
        for d in deployments:
            up, detail = by_url[d.health_url]
            # A timeout is ambiguous on a busy host: it takes a deployment out only when the
            # next round times out too. Refusals and 5xx (vLLM loading) count at once.
            if not up and "Timeout" in detail:
                state.timeouts[d.id] = state.timeouts.get(d.id, 0) + 1
                if state.timeouts[d.id] < 2:
                    up = state.up.get(d.id, True)
            else:
                state.timeouts.pop(d.id, None)
            if state.up.get(d.id) != up:
                log.log(
                    logging.INFO if up else logging.WARNING,
                    "deployment %s is %s (%s)",
                    d.id,
                    "up" if up else "down",
                    detail,
                )
            state.up[d.id] = up
            metrics.deployment_up.labels(d.id).set(1 if up else 0)

    async def probe_loop() -> None:
        while True:
            await asyncio.sleep(cfg.health_interval_s)
            try:
                await probe_all()
            except Exception as exc:  # a probe bug must not kill the loop
                log.warning("health probe round failed: %s", type(exc).__name__)

    def targets(group: str) -> list[tuple[str, Hop]]:
        """Router targets for ``group`` in order: its chain minus what the probe saw down."""
        out: list[tuple[str, Hop]] = []
        for hop in fallback_chain(routing, group):
            up = [d for d in hop.members if state.up.get(d.id, True)]
            if len(up) == len(hop.members):
                out.append((hop.group, hop))  # all up: the router balances and cools down
            else:
                out.extend((d.id, hop) for d in up)
        return out

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.router = build_router(routing, **(router_overrides or {}))
        if cfg.health_interval_s > 0:
            await probe_all()  # so the first request already routes around dead deployments
            state.probe_task = asyncio.create_task(probe_loop(), name="gateway-health-probe")
        if cfg.redis_url:
            from redis.asyncio import Redis

            client: Redis = Redis.from_url(
                cfg.redis_url, socket_connect_timeout=1.0, socket_timeout=2.0
            )
            try:
                await client.ping()
            except Exception as exc:
                log.warning(
                    "redis at %s unreachable (%s): rate limits in memory, response cache off",
                    redact_url(cfg.redis_url),
                    type(exc).__name__,
                )
                await client.aclose()
            else:
                state.redis = client
                state.limiter = _RedisLimiter(
                    client, cfg.redis_prefix, cfg.rate_limit, cfg.rate_window_s
                )
        log.info(
            "gateway ready: profile %r, groups %s, %d key(s), redis %s",
            routing.profile,
            ",".join(groups),
            len(cfg.keys),
            "on" if state.redis else "off",
        )
        try:
            yield
        finally:
            if state.probe_task is not None:
                state.probe_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await state.probe_task
            if state.redis is not None:
                await state.redis.aclose()

    app = FastAPI(title="Animation AI Studio gateway", lifespan=lifespan, docs_url=None)
    app.state.metrics = metrics

    def error_response(err: _GatewayError, route: str, model: str) -> Response:
        metrics.errors.labels(err.kind).inc()
        metrics.requests.labels(route, model, str(err.status)).inc()
        return JSONResponse(err.body(), status_code=err.status, headers=err.headers)

    async def authorize(request: Request) -> tuple[str, dict[str, str]]:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        ident = keyring.identify(token.strip()) if scheme.lower() == "bearer" else None
        if ident is None:
            raise _GatewayError(
                401,
                "unauthorized",
                "missing or invalid bearer key",
                {"WWW-Authenticate": "Bearer"},
            )
        verdict = await state.limiter.hit(ident)
        headers = {
            "x-ratelimit-limit": str(cfg.rate_limit),
            "x-ratelimit-remaining": str(verdict.remaining),
        }
        if not verdict.allowed:
            log.info("rate limit reached for key %s", ident)
            raise _GatewayError(
                429,
                "rate_limited",
                f"rate limit of {cfg.rate_limit} requests per "
                f"{cfg.rate_window_s:g}s reached for this key",
                {**headers, "Retry-After": str(max(1, math.ceil(verdict.reset_s)))},
            )
        return ident, headers

    async def read_body(request: Request, allowed: frozenset[str]) -> dict[str, Any]:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise _GatewayError(400, "bad_request", "the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise _GatewayError(400, "bad_request", "the body must be a JSON object")
        unknown = sorted(set(body) - allowed)
        if unknown:
            raise _GatewayError(
                400, "bad_request", f"unsupported parameter(s): {', '.join(unknown)}"
            )
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise _GatewayError(400, "bad_request", "'model' must name a model (see /v1/models)")
        if model not in entries_by_group:
            raise _GatewayError(
                404,
                "model_not_found",
                f"model {model!r} is not served here (available: {', '.join(groups)})",
            )
        return body

    def cache_key(route: str, body: dict[str, Any]) -> str:
        material = {"route": route, "body": body, "routing": fingerprints[body["model"]]}
        return f"{cfg.redis_prefix}:cache:{hashlib.sha256(canonical_json(material)).hexdigest()}"

    def cacheable(request: Request) -> bool:
        directives = request.headers.get("cache-control", "").lower()
        no_cache = "no-cache" in directives or "no-store" in directives
        return state.redis is not None and cfg.cache_ttl_s > 0 and not no_cache

    async def cached_call(
        route: str,
        request: Request,
        body: dict[str, Any],
        call: Callable[[], Awaitable[tuple[dict[str, Any], str]]],
    ) -> tuple[bytes, str, str]:
        use_cache = cacheable(request)
        key = cache_key(route, body) if use_cache else ""
        if use_cache and state.redis is not None:
            try:
                hit = await state.redis.get(key)
            except Exception as exc:
                log.warning(
                    "response cache read failed (%s); answering uncached", type(exc).__name__
                )
                hit = None
            if hit is not None:
                metrics.cache.labels(route, "hit").inc()
                return hit if isinstance(hit, bytes) else hit.encode(), "hit", body["model"]
            metrics.cache.labels(route, "miss").inc()
        payload, served_by = await call()
        usage = payload.get("usage") or {}
        for kind in ("prompt", "completion"):
            count = usage.get(f"{kind}_tokens")
            if isinstance(count, int) and count > 0:
                metrics.tokens.labels(body["model"], kind).inc(count)
        data = canonical_json(payload)
        if served_by != body["model"]:
            # A fallback's answer (often the CPU tier's) must not outlive the outage.
            return data, "bypass", served_by
        if use_cache and state.redis is not None:
            try:
                await state.redis.set(key, data, ex=cfg.cache_ttl_s)
            except Exception as exc:
                log.warning("response cache write failed (%s)", type(exc).__name__)
        return data, ("miss" if use_cache else "bypass"), served_by

    async def handle(
        route: str,
        request: Request,
        allowed: frozenset[str],
        answer: Callable[[dict[str, Any], dict[str, str]], Awaitable[Response]],
    ) -> Response:
        started = time.perf_counter()
        model = "-"
        try:
            ident, headers = await authorize(request)
            body = await read_body(request, allowed)
            model = body["model"]
            response = await answer(body, headers)
        except _GatewayError as err:
            log.info("%s %s -> %d %s", route, model, err.status, err.kind)
            return error_response(err, route, model)
        except Exception as exc:
            # A gateway bug: answer in the OpenAI error shape, log the type (the message may
            # quote request data) and keep the traceback for --debug runs only.
            log.error("%s %s -> 500 internal error %s", route, model, type(exc).__name__)
            log.debug("internal error", exc_info=True)
            return error_response(
                _GatewayError(500, "internal", "internal gateway error"), route, model
            )
        elapsed = time.perf_counter() - started
        metrics.latency.labels(route, model).observe(elapsed)
        metrics.requests.labels(route, model, str(response.status_code)).inc()
        log.info(
            "%s %s key=%s -> %d in %.1f ms (cache %s)",
            route,
            model,
            ident,
            response.status_code,
            elapsed * 1000,
            response.headers.get("x-cache", "-"),
        )
        return response

    async def call_router(method: str, body: dict[str, Any]) -> tuple[Any, str]:
        """Send through the router; return the response and the group that answered."""
        params = {k: v for k, v in body.items() if k != "model"}
        model = body["model"]
        order = targets(model)
        if not order:
            raise _GatewayError(
                503,
                "upstream_unavailable",
                f"no healthy deployment for model {model!r} or its fallbacks",
            )
        last: _GatewayError | None = None
        for target, hop in order:
            sent = params
            if hop.text_only:
                messages, dropped = without_images(params.get("messages"), target)
                if dropped:
                    log.info("%s is text-only: %d image part(s) replaced", target, dropped)
                    sent = {**params, "messages": messages}
            try:
                # We walk the fallback chain ourselves (above) so the probe's view applies.
                response = await getattr(state.router, method)(
                    model=target, disable_fallbacks=True, **sent
                )
                return response, hop.group
            except Exception as exc:
                err = _upstream_error(exc)
                log.warning("%s for %s via %s: %s", err.kind, model, target, type(exc).__name__)
                if err.kind not in _RETRYABLE_KINDS:
                    raise err from None
                last = err
        assert last is not None
        raise last from None

    @app.get("/health")
    async def health() -> dict[str, Any]:
        redis_state = "off"
        if state.redis is not None:
            try:
                await state.redis.ping()
                redis_state = "ok"
            except Exception:
                redis_state = "down"
        probed = {
            d.id: ("up" if state.up[d.id] else "down") if d.id in state.up else "unknown"
            for d in deployments
        }
        return {
            "status": "ok",
            "profile": routing.profile,
            "models": groups,
            "redis": redis_state,
            "deployments": probed,
        }

    @app.get("/metrics")
    async def metrics_endpoint() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/v1/models")
    async def models(request: Request) -> Response:
        try:
            await authorize(request)
        except _GatewayError as err:
            return error_response(err, "models", "-")
        data = [
            {
                "id": group,
                "object": "model",
                "created": 0,
                "owned_by": "studio",
                "deployments": [e["model_info"]["id"] for e in entries_by_group[group]],
                "mode": "embedding" if group in embedding_groups else "chat",
            }
            for group in groups
        ]
        metrics.requests.labels("models", "-", "200").inc()
        return JSONResponse({"object": "list", "data": data})

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> Response:
        async def answer(body: dict[str, Any], headers: dict[str, str]) -> Response:
            messages = body.get("messages")
            if not isinstance(messages, list) or not messages:
                raise _GatewayError(400, "bad_request", "'messages' must be a non-empty list")
            if body["model"] in embedding_groups:
                raise _GatewayError(
                    400, "unsupported", f"model {body['model']!r} serves embeddings, not chat"
                )
            if body.get("stream"):
                return await stream(body, headers)

            async def call() -> tuple[dict[str, Any], str]:
                response, served_by = await call_router("acompletion", body)
                return dict(response.model_dump(exclude_none=True)), served_by

            data, cache, served_by = await cached_call("chat", request, body, call)
            return Response(
                data,
                media_type="application/json",
                headers={**headers, "x-cache": cache, "x-served-by": served_by},
            )

        return await handle("chat", request, _CHAT_PARAMS, answer)

    async def stream(body: dict[str, Any], headers: dict[str, str]) -> Response:
        # Ask for the final usage chunk so streamed tokens are counted too.
        options = dict(body.get("stream_options") or {})
        wants_usage = bool(options.get("include_usage"))
        body = {**body, "stream_options": {**options, "include_usage": True}}
        upstream, served_by = await call_router("acompletion", body)
        model = body["model"]

        async def events() -> AsyncIterator[bytes]:
            try:
                async for chunk in upstream:
                    payload = chunk.model_dump(exclude_none=True)
                    usage = payload.get("usage")
                    if usage:
                        for kind in ("prompt", "completion"):
                            count = usage.get(f"{kind}_tokens")
                            if isinstance(count, int) and count > 0:
                                metrics.tokens.labels(model, kind).inc(count)
                        if not wants_usage:
                            payload.pop("usage")
                            if not payload.get("choices"):
                                continue
                    yield b"data: " + canonical_json(payload) + b"\n\n"
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                err = _upstream_error(exc)
                metrics.errors.labels(err.kind).inc()
                log.warning("stream for %s broke: %s", model, type(exc).__name__)
                yield b"data: " + canonical_json(err.body()) + b"\n\n"
            yield b"data: [DONE]\n\n"

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={
                **headers,
                "x-cache": "bypass",
                "x-served-by": served_by,
                "cache-control": "no-cache",
            },
        )

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Response:
        async def answer(body: dict[str, Any], headers: dict[str, str]) -> Response:
            if body["model"] not in embedding_groups:
                served = ", ".join(sorted(embedding_groups)) or "none in this profile"
                raise _GatewayError(
                    400,
                    "unsupported",
                    f"model {body['model']!r} does not serve embeddings (embedding models: "
                    f"{served})",
                )
            if not isinstance(body.get("input"), str | list):
                raise _GatewayError(400, "bad_request", "'input' must be a string or a list")

            async def call() -> tuple[dict[str, Any], str]:
                response, served_by = await call_router("aembedding", body)
                return dict(response.model_dump(exclude_none=True)), served_by

            data, cache, served_by = await cached_call("embeddings", request, body, call)
            return Response(
                data,
                media_type="application/json",
                headers={**headers, "x-cache": cache, "x-served-by": served_by},
            )

        return await handle("embeddings", request, _EMBEDDING_PARAMS, answer)

    return app
