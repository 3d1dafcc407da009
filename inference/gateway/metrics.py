"""The gateway's Prometheus series, in a registry of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

__all__ = ["GatewayMetrics"]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class GatewayMetrics:
    """Requests, latency, tokens, cache, errors and deployment health."""

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

    def count_usage(self, model: str, usage: object) -> None:
        """Add a response's ``usage`` (prompt and completion tokens) to the token series."""
        if not isinstance(usage, dict):
            return
        for kind in ("prompt", "completion"):
            count = usage.get(f"{kind}_tokens")
            if isinstance(count, int) and count > 0:
                self.tokens.labels(model, kind).inc(count)

    def render(self) -> bytes:
        """The exposition text of every series."""
        from prometheus_client import generate_latest

        return bytes(generate_latest(self.registry))
