"""Crash recovery of deployment runs: two Prefect automations the stack installs.

A flow run whose process dies with its machine (a SIGKILLed worker, an evicted pod) cannot
report its own end, so Prefect would show it Running forever. Every run started by the
worker, or in a process talking to the server (``studio run``, ``studio analyze``), emits a
heartbeat event every ``HEARTBEAT_S`` seconds (``studio.heartbeat`` holds that policy; runs
under Prefect's temporary server send none), and:

1. **crash unresponsive runs**: a run that sent a heartbeat and then nothing (no heartbeat,
   no final state) for ``GRACE_S`` seconds is marked **Crashed**;
2. **re-run crashed runs**: a Crashed run of ``creative-job`` or ``footage-batch-analysis``
   is set back to Scheduled (``AwaitingRetry``), so a worker runs it again with the same
   parameters. The steps it had finished come from the step cache (creative job) or the
   library (batch), so no model call is repeated for them. A run that keeps crashing stops
   after ``flows._recovery.MAX_RUNS`` starts (it fails with a message that says so).

This is the issue-13 recovery path; the README's "Recovery" section explains it to users.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.settings import Settings
from studio.heartbeat import HEARTBEAT_S

__all__ = ["CRASH_AUTOMATION", "GRACE_S", "RERUN_AUTOMATION", "ensure_recovery"]

GRACE_S = 3.0 * HEARTBEAT_S  # three missed heartbeats: 90 s
CRASH_AUTOMATION = "studio: crash flow runs that stopped sending heartbeats"
RERUN_AUTOMATION = "studio: re-run crashed studio jobs"
RERUN_FLOWS = ("creative-job", "footage-batch-analysis")


def _automations(grace_s: float) -> list[Any]:
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    crash = AutomationCore(
        name=CRASH_AUTOMATION,
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={
                "prefect.flow-run.heartbeat",
                "prefect.flow-run.Completed",
                "prefect.flow-run.Failed",
                "prefect.flow-run.Cancelled",
                "prefect.flow-run.Crashed",
            },
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=grace_s),
        ),
        actions=[
            ChangeFlowRunState(
                name="Crashed",
                state=StateType.CRASHED,
                message=f"no heartbeat for {grace_s:.0f}s: the process running it is gone",
                force=False,
            )
        ],
    )
    rerun = AutomationCore(
        name=RERUN_AUTOMATION,
        trigger=EventTrigger(
            expect={"prefect.flow-run.Crashed"},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            match_related=ResourceSpecification(
                {"prefect.resource.role": "flow", "prefect.resource.name": list(RERUN_FLOWS)}
            ),
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.SCHEDULED,
                name="AwaitingRetry",
                message="re-run after a crash; finished steps come from the cache",
                force=False,
            )
        ],
    )
    return [crash, rerun]


def ensure_recovery(settings: Settings, *, grace_s: float = GRACE_S) -> str:
    """Create (or replace) the two recovery automations on the stack's server.

    Args:
        settings: The studio settings (which server).
        grace_s: Seconds without a heartbeat before a run is marked Crashed.

    Returns:
        A one-line description of what was done.
    """
    from prefect.client.orchestration import get_client

    from studio.stack import prefect_settings

    with prefect_settings(settings), get_client(sync_client=True) as client:
        for automation in _automations(grace_s):
            for old in client.read_automations_by_name(automation.name):
                client.delete_automation(old.id)
            client.create_automation(automation)
    return f"crash recovery: runs silent for {grace_s:.0f}s are marked Crashed and re-run"
