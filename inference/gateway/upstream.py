"""The deployments behind the gateway: their probed health and the walk of a fallback chain.

The active probe (``inference.health.probe_url`` on every deployment, every
``interval_s``) marks deployments up or down; :meth:`Upstream.call` walks the routing file's
fallback chain (:func:`inference.fallback.fallback_chain`, as the typed client does) and skips
what the probe saw down instead of waiting for timeouts.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from inference.fallback import Hop, fallback_chain, without_images
from inference.gateway.errors import RETRYABLE_KINDS, GatewayError, upstream_error

if TYPE_CHECKING:
    from inference.gateway.metrics import GatewayMetrics
    from inference.routing import Routing

__all__ = ["Upstream"]

log = logging.getLogger(__name__)


class Upstream:
    """The litellm router plus the gateway's view of which deployments are up."""

    def __init__(self, routing: Routing, metrics: GatewayMetrics) -> None:
        self.routing = routing
        self.metrics = metrics
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

        Raises:
            GatewayError: No healthy target, or the last failure (non-retryable ones at once).
        """
        params = {k: v for k, v in body.items() if k != "model"}
        model = body["model"]
        order = self.targets(model)
        if not order:
            raise GatewayError(
                503,
                "upstream_unavailable",
                f"no healthy deployment for model {model!r} or its fallbacks",
            )
        last: GatewayError | None = None
        for target, hop in order:
            sent = params
            if hop.text_only:
                messages, dropped = without_images(params.get("messages"), target)
                if dropped:
                    log.info("%s is text-only: %d image part(s) replaced", target, dropped)
                    sent = {**params, "messages": messages}
            try:
                # We walk the fallback chain ourselves (above) so the probe's view applies.
                if (
                    method == "acompletion"
                    and not sent.get("stream")
                    and self._stream_only & {d.id for d in hop.members}
                ):
                    return await self._assembled(target, sent), hop.group
                response = await getattr(self.router, method)(
                    model=target, disable_fallbacks=True, **sent
                )
                return response, hop.group
            except Exception as exc:
                err = upstream_error(exc)
                log.warning("%s for %s via %s: %s", err.kind, model, target, type(exc).__name__)
                if err.kind not in RETRYABLE_KINDS:
                    raise err from None
                last = err
        assert last is not None
        raise last from None

    async def _assembled(self, target: str, params: dict[str, Any]) -> Any:
        """A non-streaming answer read as a stream, so cancelling it closes the stream."""
        import litellm

        options = {**(params.get("stream_options") or {}), "include_usage": True}
        sent = {**params, "stream": True, "stream_options": options}
        stream = await self.router.acompletion(model=target, disable_fallbacks=True, **sent)
        chunks = [chunk async for chunk in stream]
        return litellm.stream_chunk_builder(chunks, messages=params.get("messages"))
