"""The gateway's routes, one small function each.

Each finds the :class:`~inference.gateway.app.Gateway` on ``request.app.state.gateway``;
:func:`_served` is the frame every model route shares (auth, body, metrics, request log and
the OpenAI error shape).
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from core.formats import canonical_json
from inference.gateway.disconnect import ClientGone, until_disconnected
from inference.gateway.errors import GatewayError, upstream_error
from inference.gateway.schema import ChatRequest, EmbeddingRequest, held_to_caps, validate

if TYPE_CHECKING:
    from inference.gateway.app import Gateway
    from inference.gateway.keys import Caller
    from inference.gateway.limits import Verdict

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

_Answer = Callable[["Gateway", "Caller", dict[str, Any], dict[str, str]], Awaitable[Response]]


def _gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def _error_response(
    gw: Gateway, err: GatewayError, route: str, model: str, request_id: str
) -> Response:
    gw.metrics.errors.labels(err.kind).inc()
    gw.metrics.requests.labels(route, model, str(err.status)).inc()
    headers = {**err.headers, "x-request-id": request_id}
    return JSONResponse(err.body(request_id), status_code=err.status, headers=headers)


async def _served(
    route: str, request: Request, allowed: frozenset[str], answer: _Answer
) -> Response:
    gw = _gateway(request)
    request_id = "req-" + uuid.uuid4().hex[:16]
    started = time.perf_counter()
    model = "-"
    try:
        caller, headers = await gw.authorize(request)
        body = await gw.read_body(request, allowed)
        model = body["model"]
        response = await answer(gw, caller, body, headers)
    except GatewayError as err:
        log.info("%s %s %s -> %d %s", request_id, route, model, err.status, err.kind)
        return _error_response(gw, err, route, model, request_id)
    except ClientGone:
        # Nobody to answer: the upstream call was cancelled and nothing was cached.
        log.info("%s %s %s -> client gone, upstream call cancelled", request_id, route, model)
        gw.metrics.requests.labels(route, model, "499").inc()
        return Response(status_code=499)
    except Exception as exc:
        # A gateway bug: answer in the OpenAI error shape and log only the type and where it
        # happened (an exception's message may quote the prompt), at every log level.
        where = traceback.extract_tb(exc.__traceback__)[-1:]
        place = f"{where[0].filename}:{where[0].lineno}" if where else "?"
        log.error(
            "%s %s %s -> 500 internal error %s at %s",
            request_id,
            route,
            model,
            type(exc).__name__,
            place,
        )
        internal = GatewayError(500, "internal", "internal gateway error")
        return _error_response(gw, internal, route, model, request_id)
    elapsed = time.perf_counter() - started
    response.headers["x-request-id"] = request_id
    gw.metrics.latency.labels(route, model).observe(elapsed)
    gw.metrics.requests.labels(route, model, str(response.status_code)).inc()
    log.info(
        "%s %s %s key=%s -> %d in %.1f ms (cache %s)",
        request_id,
        route,
        model,
        caller.ident,
        response.status_code,
        elapsed * 1000,
        response.headers.get("x-cache", "-"),
    )
    return response


async def health(request: Request) -> dict[str, Any]:
    """Liveness, Redis state and the probe's view of every deployment (no key needed)."""
    gw = _gateway(request)
    redis_state = "off"
    use = gw.link.client()
    if use is not None:
        redis, began = use
        try:
            await redis.ping()
        except Exception as exc:
            gw.link.failed(exc, began)
        else:
            gw.link.succeeded(began)
    if gw.link.configured:
        redis_state = "ok" if gw.link.up else "down"
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
        return _error_response(gw, err, "models", "-", "req-" + uuid.uuid4().hex[:16])
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
    """``/v1/chat/completions``: validated, held to caps and limits, cached or streamed."""

    async def answer(
        gw: Gateway, caller: Caller, body: dict[str, Any], headers: dict[str, str]
    ) -> Response:
        chat = validate(ChatRequest, body)
        assert isinstance(chat, ChatRequest)
        if body["model"] in gw.embedding_groups:
            raise GatewayError(400, "unsupported", "this model serves embeddings, not chat")
        cost = held_to_caps(chat, body, gw.caps[body["model"]])
        reservation = await gw.reserve(caller, cost, headers)
        if body.get("stream"):
            return await _stream(request, gw, caller, reservation, body, headers)
        try:
            data, cache, served_by, usage = await gw.answer_cached(
                "chat", request, caller, body, "acompletion"
            )
        except GatewayError:
            await gw.limits.settle(caller.scope, reservation, 0)  # nothing was generated
            raise
        await gw.limits.settle(caller.scope, reservation, _total(usage))
        return Response(
            data,
            media_type="application/json",
            headers={**headers, "x-cache": cache, "x-served-by": served_by},
        )

    return await _served("chat", request, _CHAT_PARAMS, answer)


def _total(usage: dict[str, Any]) -> int:
    total = usage.get("total_tokens")
    return total if isinstance(total, int) else 0


async def _stream(
    request: Request,
    gw: Gateway,
    caller: Caller,
    reservation: Verdict,
    body: dict[str, Any],
    headers: dict[str, str],
) -> Response:
    # Ask for the final usage chunk so streamed tokens are counted too.
    options = dict(body.get("stream_options") or {})
    wants_usage = bool(options.get("include_usage"))
    body = {**body, "stream_options": {**options, "include_usage": True}}
    # Until the first byte the client may leave too: the call is cancelled then as well.
    upstream, served_by = await until_disconnected(request, gw.upstream.call("acompletion", body))
    model = body["model"]

    async def events() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream:
                payload = chunk.model_dump(exclude_none=True)
                usage = payload.get("usage")
                if usage:
                    gw.metrics.count_usage(model, usage)
                    await gw.limits.settle(caller.scope, reservation, _total(usage))
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

    async def answer(
        gw: Gateway, caller: Caller, body: dict[str, Any], headers: dict[str, str]
    ) -> Response:
        validate(EmbeddingRequest, body)
        if body["model"] not in gw.embedding_groups:
            served = ", ".join(sorted(gw.embedding_groups)) or "none in this profile"
            raise GatewayError(
                400,
                "unsupported",
                f"model {body['model']!r} does not serve embeddings (embedding models: {served})",
            )
        data, cache, served_by, _ = await gw.answer_cached(
            "embeddings", request, caller, body, "aembedding"
        )
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
