"""Active health probes of deployments, cached so the hot path pays ~nothing.

Before a call is routed the client asks :meth:`HealthProbe.is_up` for each deployment of the
group. A fresh cached answer is returned immediately; a stale "up" is returned immediately
too while one background thread refreshes it; only a deployment never probed, or one last
seen down, is probed inline (a refused connection answers in about a millisecond, so a dead
deployment is taken out without waiting for a request timeout).

:func:`health_report` probes every deployment of every role's chain at once, uncached
(``InferenceClient.health``, ``studio tier status``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from core.once import locked_cache
from inference._tls import tls_context
from inference.routing import ROLES, Deployment, Routing

__all__ = ["DeploymentHealth", "HealthProbe", "ProbeResult", "health_report"]


@dataclass(frozen=True)
class ProbeResult:
    """Outcome of one probe.

    Attributes:
        up: Whether the deployment can take requests.
        detail: ``ok``, the HTTP status, or the connection error, in a few words.
        latency_s: Probe round trip, in seconds.
        at: ``time.monotonic()`` of the probe.
    """

    up: bool
    detail: str
    latency_s: float
    at: float


def probe_url(url: str, timeout: float = 1.0) -> ProbeResult:
    """GET ``url`` once and classify the answer.

    A 2xx is up. 404/405 means a live HTTP server without that route, which we count as up:
    the call itself will tell; so is a server that accepts the connection but is too busy to
    answer in time. Anything 5xx (vLLM and llama.cpp answer 503 while loading) or a refused
    or unreachable connection is down.
    """
    start = time.monotonic()
    try:
        response = _prober().get(url, timeout=timeout)
    except httpx.ReadTimeout:
        # It accepted the connection but is slow to answer: alive and busy (a CPU tier deep
        # in a generation). Routing elsewhere would not help; the call's own timeout will.
        return ProbeResult(True, "busy (slow to answer)", time.monotonic() - start, start)
    except httpx.HTTPError as exc:
        return ProbeResult(False, type(exc).__name__, time.monotonic() - start, start)
    latency = time.monotonic() - start
    status = response.status_code
    if status < 300 or status in (404, 405):
        return ProbeResult(True, "ok" if status < 300 else f"HTTP {status}", latency, start)
    return ProbeResult(False, f"HTTP {status}", latency, start)


@locked_cache()
def _prober() -> httpx.Client:
    """One client for every probe, keeping no connection.

    ``httpx.get`` builds a new TLS context each time (~35 ms of CPU loading the CA store, for a
    probe that takes ~2 ms). No connection is kept, so each probe still dials the server
    afresh, as a restarted or dead one must be seen.
    """
    return httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), verify=tls_context())


class HealthProbe:
    """A thread-safe cache of probe results, keyed by health URL.

    Args:
        ttl_s: How long a result counts as fresh.
        timeout_s: Timeout of one probe request.
    """

    def __init__(self, ttl_s: float = 5.0, timeout_s: float = 1.0) -> None:
        self.ttl_s = ttl_s
        self.timeout_s = timeout_s
        self._results: dict[str, ProbeResult] = {}
        self._refreshing: set[str] = set()
        self._lock = threading.Lock()

    def check(self, deployment: Deployment) -> ProbeResult:
        """Probe now (no cache read) and remember the answer."""
        result = probe_url(deployment.health_url, self.timeout_s)
        with self._lock:
            self._results[deployment.health_url] = result
        return result

    def is_up(self, deployment: Deployment) -> bool:
        """Whether to route to ``deployment``, from cache when possible (see module doc)."""
        url = deployment.health_url
        with self._lock:
            cached = self._results.get(url)
            if cached is not None and cached.up:
                if time.monotonic() - cached.at > self.ttl_s and url not in self._refreshing:
                    self._refreshing.add(url)
                    threading.Thread(
                        target=self._refresh, args=(deployment,), daemon=True, name="probe"
                    ).start()
                return True
            if cached is not None and time.monotonic() - cached.at <= self.ttl_s:
                return False
        return self.check(deployment).up

    def invalidate(self, deployment: Deployment) -> None:
        """Forget the cached answer (after a transient failure) so the next call re-probes."""
        with self._lock:
            self._results.pop(deployment.health_url, None)

    def _refresh(self, deployment: Deployment) -> None:
        try:
            self.check(deployment)
        finally:
            with self._lock:
                self._refreshing.discard(deployment.health_url)


@dataclass(frozen=True)
class DeploymentHealth:
    """One line of :meth:`InferenceClient.health`."""

    role: str
    group: str
    id: str
    model: str
    api_base: str
    healthy: bool
    detail: str
    fallback: bool
    supports_vision: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return dict(self.__dict__)


def health_report(routing: Routing, probe: HealthProbe) -> list[DeploymentHealth]:
    """Probe every deployment of every role's chain now (no cache), each health URL once."""
    lines: list[DeploymentHealth] = []
    seen: dict[str, tuple[bool, str]] = {}
    for role in ROLES:
        if not routing.group_deployments(role):
            continue
        for position, group in enumerate(routing.chain(role)):
            for d in routing.group_deployments(group):
                if d.health_url not in seen:
                    result = probe.check(d)
                    seen[d.health_url] = (result.up, result.detail)
                up, detail = seen[d.health_url]
                lines.append(
                    DeploymentHealth(
                        role=role,
                        group=group,
                        id=d.id,
                        model=d.model,
                        api_base=d.api_base,
                        healthy=up,
                        detail=detail,
                        fallback=position > 0,
                        supports_vision=d.supports_vision,
                    )
                )
    return lines
