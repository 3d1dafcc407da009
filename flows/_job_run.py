"""One creative job run's working set: its client, result cache, Prefect tasks and tally."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from core.settings import Settings
from flows._analysis import analyze_all
from flows._caching import setup_cache
from flows._progress import say
from flows._run_refs import register_run, unregister_run
from flows._steps import SampledClip, build_tasks
from flows._tally import Tally
from flows.spec import JobSpec
from tasks.analyze_frames import FrameAnalysis

__all__ = ["JobRun"]


class _ThreadTimeoutNotice(logging.Filter):
    """Drop Prefect's per-task notice that timeouts cannot interrupt worker threads.

    Scene analyses run in worker threads by design; the timeout still bounds them once the
    model call returns (and the client has its own request timeout), so the notice would
    only repeat once per scene.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "is running in a worker thread" not in record.getMessage()


def _install_log_filter() -> None:
    logger = logging.getLogger("prefect.task_runs")
    if not any(isinstance(f, _ThreadTimeoutNotice) for f in logger.filters):
        logger.addFilter(_ThreadTimeoutNotice())


class JobRun:
    """One run's client, result cache, Prefect tasks and tally of cache hits.

    While the ``with`` block runs, the step tasks reach the client through ``ref`` (a handle
    that is not content, so it stays out of cache keys).

    Args:
        client: The run's inference client (``complete``, ``recording``, ``deployment_id``).
        settings: The settings the run uses.
    """

    def __init__(self, client: Any, settings: Settings) -> None:
        _install_log_filter()  # here, not in the flow: every user of the tasks runs them in threads
        self.client = client
        self.settings = settings
        self.cache = setup_cache(settings, announce=say)
        self.tally = Tally()
        self.ref = f"{id(client)}-{time.monotonic_ns()}"

    @cached_property
    def tasks(self) -> dict[str, Any]:
        """This run's Prefect tasks, made on first use: a run found up to date needs none."""
        return build_tasks(self.cache)

    def __enter__(self) -> JobRun:
        register_run(self.ref, self.client, self.settings)
        return self

    def __exit__(self, *_: object) -> None:
        unregister_run(self.ref)

    def analyze(
        self, spec: JobSpec, clips: Sequence[SampledClip]
    ) -> dict[tuple[int, int], FrameAnalysis]:
        """Analyse every scene of ``clips``, at most the tier's capacity at once."""
        return analyze_all(
            spec, self.client, self.settings, clips, self.tasks, self.tally, self.ref
        )
