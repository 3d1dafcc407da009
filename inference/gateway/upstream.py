"""The deployments behind the gateway: their probed health and the walk of a fallback chain.

The active probe (``inference.health.probe_url`` on every deployment, every
``interval_s``) marks deployments up or down; :meth:`Upstream.call` walks the routing file's
fallback chain (:func:`inference.fallback.fallback_chain`, as the typed client does) and skips
what the probe saw down instead of waiting for timeouts.

Per hop, a ``response_format`` is translated to what the hop's servers take
(:func:`inference.structured.translated_format`). An answer is only ever a success once it
holds output: a stream is read up to its first chunk with content (or a tool call) before the
gateway commits to a 200, within ``first_token_s``; a deployment that cannot start in time
(a CPU tier busy with another job queues requests for minutes) or that ends with no output is
the next hop's turn, and past the last one a 503 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from inference.fallback import Hop, fallback_chain, without_images
from inference.gateway.errors import RETRYABLE_KINDS, GatewayError, upstream_error
from inference.structured import translated_format

if TYPE_CHECKING:
    from inference.gateway.metrics import GatewayMetrics
    from inference.routing import Routing

__all__ = ["Upstream"]

log = logging.getLogger(__name__)


class Upstream:
    """The litellm router plus the gateway's view of which deployments are up."""

    def __init__(
        self, routing: Routing, metrics: GatewayMetrics, first_token_s: float = 60.0
    ) -> None:
        self.routing = routing
        self.metrics = metrics
        self.first_token_s = first_token_s
        # What a 503 tells a client to wait: about one cooldown of the busy deployment.
        self.retry_after = str(max(1, math.ceil(routing.setting("cooldown_time"))))
        self.router: Any = None
        self.up: dict[str, bool] = {}
        self._timeouts: dict[str, int] = {}
        # Deployments that stop generating only when a *stream* is closed (llama-cpp-python
        # runs a non-streaming request to its end): the gateway streams from them always.
        self._stream_only = {
            str(e["model_info"]["id"])
            for e in routing.model_list
            if e.get("model_info", {}).get("cancel_needs_stream") is True
        }

    async def probe_all(self) -> None:
        """One probe round over every deployment."""
        from inference.health import probe_url

        deployments = self.routing.all_deployments
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
                self._timeouts[d.id] = self._timeouts.get(d.id, 0) + 1
                if self._timeouts[d.id] < 2:
                    up = self.up.get(d.id, True)
            else:
                self._timeouts.pop(d.id, None)
            if self.up.get(d.id) != up:
                log.log(
                    logging.INFO if up else logging.WARNING,
                    "deployment %s is %s (%s)",
                    d.id,
                    "up" if up else "down",
                    detail,
                )
            self.up[d.id] = up
            self.metrics.deployment_up.labels(d.id).set(1 if up else 0)

    async def probe_loop(self, interval_s: float) -> None:
        """Probe every ``interval_s`` until cancelled."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.probe_all()
            except Exception as exc:  # a probe bug must not kill the loop
                log.warning("health probe round failed: %s", type(exc).__name__)

    def health(self) -> dict[str, str]:
        """Deployment id -> ``up``, ``down`` or ``unknown`` (not probed yet)."""
        return {
            d.id: ("up" if self.up[d.id] else "down") if d.id in self.up else "unknown"
            for d in self.routing.all_deployments
        }

    def targets(self, group: str) -> list[tuple[str, Hop]]:
        """Router targets for ``group`` in order: its chain minus what the probe saw down."""
        out: list[tuple[str, Hop]] = []
        for hop in fallback_chain(self.routing, group):
            up = [d for d in hop.members if self.up.get(d.id, True)]
            if len(up) == len(hop.members):
                out.append((hop.group, hop))  # all up: the router balances and cools down
            else:
                out.extend((d.id, hop) for d in up)
        return out

    async def call(self, method: str, body: dict[str, Any]) -> tuple[Any, str]:
        """Send through the router; return the response and the group that answered.

        A stream comes back primed: its first chunk with output was read already.

        Raises:
            GatewayError: No healthy target, or the last failure (non-retryable ones at once);
                a 503 always carries ``Retry-After``.
        """
        params = {k: v for k, v in body.items() if k != "model"}
        model = body["model"]
        order = self.targets(model)
        if not order:
            raise self._later(
                GatewayError(
                    503,
                    "upstream_unavailable",
                    f"no healthy deployment for model {model!r} or its fallbacks",
                )
            )
        last: GatewayError | None = None
        for target, hop in order:
            try:
                return await self._send(method, target, hop, params), hop.group
            except Exception as exc:
                err = exc if isinstance(exc, GatewayError) else upstream_error(exc)
                log.warning("%s for %s via %s: %s", err.kind, model, target, type(exc).__name__)
                if err.kind not in RETRYABLE_KINDS:
                    raise self._later(err) from None
                last = err
        assert last is not None
        raise self._later(last) from None

    def _later(self, err: GatewayError) -> GatewayError:
        if err.status == 503 and "Retry-After" not in err.headers:
            err.headers = {**err.headers, "Retry-After": self.retry_after}
        return err

    def _shaped(self, target: str, hop: Hop, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` as ``hop``'s servers take them: images and ``response_format``."""
        sent = params
        if hop.text_only:
            messages, dropped = without_images(params.get("messages"), target)
            if dropped:
                log.info("%s is text-only: %d image part(s) replaced", target, dropped)
                sent = {**sent, "messages": messages}
        requested = params.get("response_format")
        if isinstance(requested, dict):
            budget = params.get("max_completion_tokens") or params.get("max_tokens") or 1024
            mode = hop.members[0].structured_output  # one mode per group (routing checks)
            sent = {**sent, "response_format": translated_format(mode, requested, int(budget))}
        return sent

    async def _send(self, method: str, target: str, hop: Hop, params: dict[str, Any]) -> Any:
        sent = self._shaped(target, hop, params)
        # We walk the fallback chain ourselves (above) so the probe's view applies.
        if method != "acompletion":
            return await getattr(self.router, method)(model=target, disable_fallbacks=True, **sent)
        if not sent.get("stream") and self._stream_only & {d.id for d in hop.members}:
            return await self._assembled(target, sent)
        if sent.get("stream"):
            return await self._started(target, sent)
        response = await self.router.acompletion(model=target, disable_fallbacks=True, **sent)
        if not any(_has_output(choice.message) for choice in response.choices):
            raise _empty()
        return response

    async def _started(self, target: str, params: dict[str, Any]) -> AsyncIterator[Any]:
        """A stream opened and read up to its first chunk with output, within ``first_token_s``.

        The deadline covers opening it too: a busy llama.cpp server answers nothing, not
        even headers, until its slot is free.

        Raises:
            GatewayError: 503 ``upstream_busy`` when no output came in time (the request is
                cancelled, which closes its connection and makes the server drop it), 503
                ``upstream_empty`` when the stream ended without output.
        """

        async def first() -> tuple[list[Any], AsyncIterator[Any]]:
            stream = await self.router.acompletion(model=target, disable_fallbacks=True, **params)
            chunks = aiter(stream)
            head: list[Any] = []
            async for chunk in chunks:
                head.append(chunk)
                if any(_has_output(choice.delta) for choice in chunk.choices or []):
                    return head, chunks
            raise _empty()

        try:
            head, chunks = await asyncio.wait_for(first(), self.first_token_s)
        except TimeoutError:
            raise GatewayError(
                503,
                "upstream_busy",
                f"the model deployment did not start answering within {self.first_token_s:g} s",
            ) from None
        return _chained(head, chunks)

    async def _assembled(self, target: str, params: dict[str, Any]) -> Any:
        """A non-streaming answer read as a stream, so cancelling it closes the stream."""
        import litellm

        options = {**(params.get("stream_options") or {}), "include_usage": True}
        sent = {**params, "stream": True, "stream_options": options}
        chunks = [chunk async for chunk in await self._started(target, sent)]
        return litellm.stream_chunk_builder(chunks, messages=params.get("messages"))


def _has_output(message: Any) -> bool:
    """A message or delta that says something: text, a tool call or reasoning."""
    return bool(
        getattr(message, "content", None)
        or getattr(message, "tool_calls", None)
        or getattr(message, "function_call", None)
        or getattr(message, "reasoning_content", None)
    )


def _empty() -> GatewayError:
    return GatewayError(
        503, "upstream_empty", "the model deployment ended its answer without any output"
    )


async def _chained(head: list[Any], rest: AsyncIterator[Any]) -> AsyncIterator[Any]:
    for chunk in head:
        yield chunk
    async for chunk in rest:
        yield chunk
