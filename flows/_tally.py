"""Cache hits and call rows gathered while the creative job runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prefect.client.schemas.objects import State

from core import metrics
from flows._steps import ModelStep
from inference.messages import CallRecord

__all__ = ["Tally"]


def _is_cached(state: State[Any]) -> bool:
    return state.name == "Cached"


@dataclass
class Tally:
    """Cache hits and call rows gathered while the flow runs."""

    steps: list[str] = field(default_factory=list)  # every step taken, cached or not
    cache_hits: int = 0
    cached_steps: list[str] = field(default_factory=list)
    cached_calls: list[CallRecord] = field(default_factory=list)

    def run(self, task: Any, step: str, **inputs: Any) -> Any:
        """Run ``task`` now (timed for metrics) and take its result."""
        with metrics.step_timer(step):
            return self.take(step, task(**inputs, return_state=True))

    def take(self, step: str, state: State[Any]) -> Any:
        """The value of a finished task's ``state``, counting it when it came from the cache."""
        value = state.result()
        self.steps.append(step)
        if _is_cached(state):
            self.cache_hits += 1
            self.cached_steps.append(step)
            if isinstance(value, ModelStep):
                self.cached_calls += [c.model_copy(update={"cache_hit": True}) for c in value.calls]
        return value

    def reuse(self, steps: list[str], calls: list[CallRecord]) -> None:
        """Count ``steps`` as cache hits, with the ``calls`` behind them (a recorded run)."""
        self.steps += steps
        self.cache_hits += len(steps)
        self.cached_steps += steps
        self.cached_calls += calls
