"""The gateway's routes, one small function each.

Each finds the :class:`~inference.gateway.app.Gateway` on ``request.app.state.gateway``;
:func:`_served` is the frame every model route shares (auth, body, metrics, request log and
the OpenAI error shape).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from core.formats import canonical_json
from inference.gateway.errors import GatewayError, upstream_error

if TYPE_CHECKING:
    from inference.gateway.app import Gateway

__all__ = ["register"]

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

_Answer = Callable[["Gateway", dict[str, Any], dict[str, str]], Awaitable[Response]]


def _gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def _error_response(gw: Gateway, err: GatewayError, route: str, model: str) -> Response:
    gw.metrics.errors.labels(err.kind).inc()
    gw.metrics.requests.labels(route, model, str(err.status)).inc()
    return JSONResponse(err.body(), status_code=err.status, headers=err.headers)


async def _served(
    route: str, request: Request, allowed: frozenset[str], answer: _Answer
) -> Response:
    gw = _gateway(request)
    started = time.perf_counter()
    model = "-"
    try:
        ident, headers = await gw.authorize(request)
        body = await gw.read_body(request, allowed)
        model = body["model"]
        response = await answer(gw, body, headers)
    except GatewayError as err:
        log.info("%s %s -> %d %s", route, model, err.status, err.kind)
        return _error_response(gw, err, route, model)
    except Exception as exc:
        # A gateway bug: answer in the OpenAI error shape, log the type (the message may
        # quote request data) and keep the traceback for --debug runs only.
        log.error("%s %s -> 500 internal error %s", route, model, type(exc).__name__)
        log.debug("internal error", exc_info=True)
        internal = GatewayError(500, "internal", "internal gateway error")
        return _error_response(gw, internal, route, model)
    elapsed = time.perf_counter() - started
    gw.metrics.latency.labels(route, model).observe(elapsed)
    gw.metrics.requests.labels(route, model, str(response.status_code)).inc()
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


async def health(request: Request) -> dict[str, Any]:
    """Liveness, Redis state and the probe's view of every deployment (no key needed)."""
    gw = _gateway(request)
    redis_state = "off"
    if gw.redis is not None:
        try:
            await gw.redis.ping()
            redis_state = "ok"
        except Exception:
            redis_state = "down"
    return {
        "status": "ok",
        "profile": gw.routing.profile,
        "models": gw.groups,
        "redis": redis_state,
        "deployments": gw.upstream.health(),
    }


async def metrics(request: Request) -> Response:
    """Prometheus exposition of the gateway's series."""
    from prometheus_client import CONTENT_TYPE_LATEST

    return Response(_gateway(request).metrics.render(), media_type=CONTENT_TYPE_LATEST)


async def models(request: Request) -> Response:
    """The model groups of the routing profile, OpenAI style."""
    gw = _gateway(request)
    try:
        await gw.authorize(request)
    except GatewayError as err:
        return _error_response(gw, err, "models", "-")
    data = [
        {
            "id": group,
            "object": "model",
            "created": 0,
            "owned_by": "studio",
            "deployments": [e["model_info"]["id"] for e in gw.entries[group]],
            "mode": "embedding" if group in gw.embedding_groups else "chat",
        }
        for group in gw.groups
    ]
    gw.metrics.requests.labels("models", "-", "200").inc()
    return JSONResponse({"object": "list", "data": data})


async def chat_completions(request: Request) -> Response:
    """``/v1/chat/completions``: cached when identical, streamed when asked."""

    async def answer(gw: Gateway, body: dict[str, Any], headers: dict[str, str]) -> Response:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise GatewayError(400, "bad_request", "'messages' must be a non-empty list")
        if body["model"] in gw.embedding_groups:
            raise GatewayError(
                400, "unsupported", f"model {body['model']!r} serves embeddings, not chat"
            )
        if body.get("stream"):
            return await _stream(gw, body, headers)
        data, cache, served_by = await gw.answer_cached("chat", request, body, "acompletion")
        return Response(
            data,
            media_type="application/json",
            headers={**headers, "x-cache": cache, "x-served-by": served_by},
        )

    return await _served("chat", request, _CHAT_PARAMS, answer)


async def _stream(gw: Gateway, body: dict[str, Any], headers: dict[str, str]) -> Response:
    # Ask for the final usage chunk so streamed tokens are counted too.
    options = dict(body.get("stream_options") or {})
    wants_usage = bool(options.get("include_usage"))
    body = {**body, "stream_options": {**options, "include_usage": True}}
    upstream, served_by = await gw.upstream.call("acompletion", body)
    model = body["model"]

    async def events() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream:
                payload = chunk.model_dump(exclude_none=True)
                usage = payload.get("usage")
                if usage:
                    gw.metrics.count_usage(model, usage)
                    if not wants_usage:
                        payload.pop("usage")
                        if not payload.get("choices"):
                            continue
                yield b"data: " + canonical_json(payload) + b"\n\n"
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            err = upstream_error(exc)
            gw.metrics.errors.labels(err.kind).inc()
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


async def embeddings(request: Request) -> Response:
    """``/v1/embeddings`` for the groups whose deployments serve embeddings."""

    async def answer(gw: Gateway, body: dict[str, Any], headers: dict[str, str]) -> Response:
        if body["model"] not in gw.embedding_groups:
            served = ", ".join(sorted(gw.embedding_groups)) or "none in this profile"
            raise GatewayError(
                400,
                "unsupported",
                f"model {body['model']!r} does not serve embeddings (embedding models: {served})",
            )
        if not isinstance(body.get("input"), str | list):
            raise GatewayError(400, "bad_request", "'input' must be a string or a list")
        data, cache, served_by = await gw.answer_cached("embeddings", request, body, "aembedding")
        return Response(
            data,
            media_type="application/json",
            headers={**headers, "x-cache": cache, "x-served-by": served_by},
        )

    return await _served("embeddings", request, _EMBEDDING_PARAMS, answer)


def register(app: FastAPI) -> None:
    """Add every route to ``app``."""
    app.add_api_route("/health", health, methods=["GET"])
    app.add_api_route("/metrics", metrics, methods=["GET"])
    app.add_api_route("/v1/models", models, methods=["GET"])
    app.add_api_route("/v1/chat/completions", chat_completions, methods=["POST"])
    app.add_api_route("/v1/embeddings", embeddings, methods=["POST"])
