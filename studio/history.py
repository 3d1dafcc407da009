"""Recent flow runs, with the numbers a user asks about: calls, cache hits, cost, output.

The numbers come from each run's summary: the flow's persisted return value (the creative
job's summary dict, the batch's summary, or the ``BatchFailure`` carrying it). A run whose
result cannot be read (still running, crashed, results not persisted) still gets a row,
with blanks where the summary would have been.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

__all__ = ["RunRow", "recent_runs", "summary_fields"]


@dataclass(frozen=True)
class RunRow:
    """One flow run as ``studio history`` shows it."""

    id: str
    flow: str
    name: str
    deployment: str | None
    state: str
    start: str | None
    duration_s: float | None
    llm_calls: int | None
    cache_hits: int | None
    cost_usd: float | None
    output: str | None
    message: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (``--json``)."""
        return asdict(self)


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, list | tuple | dict):
        return len(value)
    return None


def summary_fields(summary: Any) -> dict[str, Any]:
    """Pick calls, cache hits, cost and output out of a flow's summary.

    Args:
        summary: A summary dict, an exception carrying ``summary``, or anything else.

    Returns:
        ``llm_calls``, ``cache_hits``, ``cost_usd`` and ``output`` (None when unknown).
    """
    if isinstance(summary, BaseException):
        summary = getattr(summary, "summary", None)
    if not isinstance(summary, dict):
        return {"llm_calls": None, "cache_hits": None, "cost_usd": None, "output": None}
    cost = summary.get("cost_usd", summary.get("cost"))
    if isinstance(cost, dict):  # the creative job's CostLine: usd is None without a price
        cost = cost.get("usd")
    output = summary.get("output_video") or summary.get("report") or summary.get("output")
    return {
        "llm_calls": _count(summary.get("llm_calls")),
        "cache_hits": _count(summary.get("cache_hits")),
        "cost_usd": float(cost) if isinstance(cost, int | float) else None,
        "output": str(output) if output else None,
    }


def _result(state: Any) -> Any:
    if state is None or not (state.is_completed() or state.is_failed()):
        return None
    try:
        return state.result(raise_on_failure=False)
    except Exception:
        return None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def recent_runs(limit: int = 20) -> list[RunRow]:
    """Read the most recent flow runs from the Prefect API in the current settings.

    Args:
        limit: Most runs to return, newest first.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            # Future scheduled runs are not history.
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(not_any_=[StateType.SCHEDULED])
                )
            ),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC,
            limit=limit,
        )
        flow_ids = list({run.flow_id for run in runs})
        flows = (
            {
                f.id: f.name
                for f in client.read_flows(flow_filter=FlowFilter(id=FlowFilterId(any_=flow_ids)))
            }
            if flow_ids
            else {}
        )
        deployments: dict[Any, str] = {}
        for run in runs:
            if run.deployment_id and run.deployment_id not in deployments:
                try:
                    deployments[run.deployment_id] = client.read_deployment(run.deployment_id).name
                except Exception:
                    deployments[run.deployment_id] = "?"
    rows = []
    for run in runs:
        fields = summary_fields(_result(run.state))
        duration = run.total_run_time.total_seconds() if run.total_run_time else None
        if not duration and run.start_time and run.end_time:
            duration = (run.end_time - run.start_time).total_seconds()
        rows.append(
            RunRow(
                id=str(run.id),
                flow=flows.get(run.flow_id, "?"),
                name=run.name,
                deployment=deployments.get(run.deployment_id) if run.deployment_id else None,
                state=(run.state.name or "?") if run.state else "?",
                start=_iso(run.start_time or run.expected_start_time),
                duration_s=round(duration, 2) if duration else None,
                message=(run.state.message or None) if run.state else None,
                **fields,
            )
        )
    return rows
