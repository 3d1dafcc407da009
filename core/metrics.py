"""Prometheus metrics of the pipeline: jobs, step durations, model calls, tokens, cache hits.

Flow runs on a process work pool each run in their own short-lived process, so the metrics
use prometheus_client's multiprocess mode: ``studio worker`` sets ``PROMETHEUS_MULTIPROC_DIR``
(under ``<home>/metrics``) before it starts the Prefect worker, every flow-run process it
spawns writes its samples there, and the worker serves the merged view with
``start_http_server`` on ``Settings.metrics_port`` (0 disables it). In a single process
without that variable (``studio analyze``, tests) the same calls update the default registry.

Names (all prefixed ``studio_``)::

    studio_jobs_total{flow,state}                       finished flow runs
    studio_step_duration_seconds{step}                  histogram of step wall time
    studio_model_calls_total{role,deployment,outcome}   requests actually sent (ok|error)
    studio_model_call_duration_seconds{role,deployment} histogram of model call latency
    studio_tokens_total{role,deployment,direction}      prompt (in) / completion (out) tokens
    studio_cache_hits_total{step}                       work answered from a cache
    studio_failures_total{step,kind}                    failures by exception class

The metric objects are created on first use, not at import, so the environment variable can
still be set by the time anything records.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from prometheus_client import Counter, Histogram


__all__ = [
    "MULTIPROC_ENV",
    "count_cache_hits",
    "count_failure",
    "count_job",
    "exposition",
    "observe_calls",
    "start_exporter",
    "step_timer",
]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_STEP_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800)
_CALL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160, 300)


@dataclass(frozen=True)
class _Metrics:
    jobs: Counter
    step_duration: Histogram
    model_calls: Counter
    model_call_duration: Histogram
    tokens: Counter
    cache_hits: Counter
    failures: Counter


@cache
def _metrics() -> _Metrics:
    from prometheus_client import Counter, Histogram

    return _Metrics(
        jobs=Counter("studio_jobs", "Finished flow runs.", ["flow", "state"]),
        step_duration=Histogram(
            "studio_step_duration_seconds",
            "Wall time of pipeline steps.",
            ["step"],
            buckets=_STEP_BUCKETS,
        ),
        model_calls=Counter(
            "studio_model_calls",
            "Model requests actually sent.",
            ["role", "deployment", "outcome"],
        ),
        model_call_duration=Histogram(
            "studio_model_call_duration_seconds",
            "Latency of model requests.",
            ["role", "deployment"],
            buckets=_CALL_BUCKETS,
        ),
        tokens=Counter(
            "studio_tokens", "Tokens sent and received.", ["role", "deployment", "direction"]
        ),
        cache_hits=Counter("studio_cache_hits", "Work answered from a cache.", ["step"]),
        failures=Counter("studio_failures", "Failures by exception class.", ["step", "kind"]),
    )


def count_job(flow: str, state: str) -> None:
    """Count one finished flow run (``state`` is the Prefect state name)."""
    _metrics().jobs.labels(flow=flow, state=state).inc()


@contextmanager
def step_timer(step: str) -> Iterator[None]:
    """Time a step; a failure is also counted under ``studio_failures_total``."""
    start = time.perf_counter()
    try:
        yield
    except BaseException as exc:
        count_failure(step, exc)
        raise
    finally:
        _metrics().step_duration.labels(step=step).observe(time.perf_counter() - start)


class CallLike(Protocol):
    """The fields of a call record that metrics read (``inference.messages.CallRecord``)."""

    @property
    def role(self) -> str: ...

    @property
    def deployment(self) -> str: ...

    @property
    def cache_hit(self) -> bool: ...

    @property
    def ok(self) -> bool: ...

    @property
    def latency_s(self) -> float: ...

    @property
    def tokens_in(self) -> int: ...

    @property
    def tokens_out(self) -> int: ...


def observe_calls(records: Iterable[CallLike]) -> None:
    """Record model calls (``InferenceClient.records`` entries) and their tokens."""
    m = _metrics()
    for record in records:
        labels = {"role": record.role, "deployment": record.deployment or "unknown"}
        if record.cache_hit:
            m.cache_hits.labels(step=f"model:{record.role}").inc()
            continue
        m.model_calls.labels(**labels, outcome="ok" if record.ok else "error").inc()
        m.model_call_duration.labels(**labels).observe(record.latency_s)
        m.tokens.labels(**labels, direction="in").inc(record.tokens_in)
        m.tokens.labels(**labels, direction="out").inc(record.tokens_out)


def count_cache_hits(step: str, n: int = 1) -> None:
    """Count work a step did not redo because a cached result existed."""
    if n:
        _metrics().cache_hits.labels(step=step).inc(n)


def count_failure(step: str, kind: BaseException | str) -> None:
    """Count a failure of ``step``; ``kind`` is an exception (its class name) or a label."""
    label = kind if isinstance(kind, str) else type(kind).__name__
    _metrics().failures.labels(step=step, kind=label).inc()


def _registry(directory: Path | None) -> Any:
    from prometheus_client import REGISTRY, CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    if directory is None:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    return registry


def exposition(directory: Path | None = None) -> str:
    """Render the current metrics in the Prometheus text format.

    Args:
        directory: A multiprocess directory to merge; None for this process's registry.
    """
    from prometheus_client import generate_latest

    return generate_latest(_registry(directory)).decode()


def start_exporter(port: int, *, host: str = "0.0.0.0", directory: Path | None = None) -> bool:
    """Serve ``/metrics`` on ``port`` from a background thread.

    Args:
        port: TCP port; 0 means disabled and nothing starts.
        host: Bind address (all interfaces, so Prometheus in another container can scrape).
        directory: The multiprocess directory to merge (the worker's flow runs write there);
            None serves this process's own registry.

    Returns:
        True when the exporter was started.
    """
    if port <= 0:
        return False
    from prometheus_client import start_http_server

    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        # Samples of processes from a previous worker life would be merged forever.
        for stale in directory.glob("*.db"):
            stale.unlink(missing_ok=True)
        os.environ[MULTIPROC_ENV] = str(directory)
    start_http_server(port, addr=host, registry=_registry(directory))
    return True
