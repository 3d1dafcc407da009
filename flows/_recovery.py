"""The bound on re-runs after crashes (``studio.recovery`` re-schedules a crashed run).

A run that crashes every time it starts (a clip that kills the decoder, a machine that runs
out of memory on it) must not be re-run forever: its ``MAX_RUNS``-th start is its last.
"""

from __future__ import annotations

from core.exceptions import JobError

__all__ = ["MAX_RUNS", "refuse_endless_reruns"]

MAX_RUNS = 3


def refuse_endless_reruns(flow_name: str) -> None:
    """Fail this flow run when it has already been started ``MAX_RUNS`` times.

    Raises:
        JobError: The run was re-run after crashes too often.
    """
    from prefect.runtime import flow_run

    count = int(flow_run.run_count or 1)
    if count > MAX_RUNS:
        raise JobError(
            f"{flow_name} run {flow_run.name} started {count} times (it crashed each time); "
            "not re-running it again"
        )
