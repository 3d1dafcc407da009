"""How often the flow runs this product starts send Prefect heartbeats: the one policy.

A flow run sends a ``prefect.flow-run.heartbeat`` event when it starts and then every
``PREFECT_FLOWS_HEARTBEAT_FREQUENCY`` seconds (Prefect's default: 180). The stack's server runs
``studio.recovery``'s crash automation, which marks a run Crashed (a deployment's run is then
re-run) once it sent a heartbeat and then nothing for ``GRACE_S`` (90 s, three of our
heartbeats). So:

- **against a configured server** (``PREFECT_API_URL`` set, by the user or by
  ``studio.stack.prefect_settings``), which may run that automation (``studio up`` installs it):
  a heartbeat every ``HEARTBEAT_S`` (30 s). With Prefect's 180 s a live run longer than 90 s
  would be marked Crashed while it still runs. A value the user set is kept only when it is at
  least as frequent (in Prefect 3.9.1 that is 30 alone: Prefect refuses values under 30), since
  any slower one shrinks the grace below three beats.
- **under Prefect's temporary server** (no ``PREFECT_API_URL``: ``studio run``'s default): no
  heartbeats, unless the user set a frequency. That server lives and dies with the process and
  nothing there acts on heartbeats (without one the crash automation never even arms). Their
  sender stops with the run (``flows._heartbeats``; Prefect 3.9's own kept every run up to 1 s
  longer).

Worker processes get the server rule through ``studio.stack.prefect_env`` (``studio up``) or
``studio worker`` itself (the compose stack's worker); the Kubernetes pool's flow-run pods through
the job environment in ``deployments/k8s/prefect.yaml``. Flow runs started in this process get it
from ``flow_run_heartbeats`` (``studio run``, ``studio analyze`` and every block inside
``studio.stack.prefect_settings``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["HEARTBEAT_S", "flow_run_heartbeats", "heartbeat_s", "server_env"]

HEARTBEAT_S = 30  # Prefect's minimum


def heartbeat_s(*, server: bool, current: int | None, explicit: bool) -> int | None:
    """Seconds between the heartbeats of a flow run this process starts (None: no heartbeats).

    Args:
        server: Whether Prefect talks to a configured server rather than a temporary one.
        current: Prefect's current ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY`` (None: off).
        explicit: Whether someone set ``current`` (environment, profile, settings file).
    """
    if server:
        return HEARTBEAT_S if current is None else min(current, HEARTBEAT_S)
    return current if explicit else None


def server_env() -> dict[str, str]:
    """The environment that gives a worker's flow runs the server rule (every HEARTBEAT_S).

    A worker always talks to a configured server; whatever the environment said is replaced,
    since Prefect takes nothing more frequent than 30 s.
    """
    return {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_S)}


@contextlib.contextmanager
def flow_run_heartbeats() -> Iterator[None]:
    """Give flow runs started in this process, inside the block, the heartbeat of the policy.

    Prefect can only express "no heartbeats" as a setting of None, which no environment value
    parses to (an empty or "None" value fails Prefect's import), hence a settings context.
    """
    from prefect.settings import (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    current = get_current_settings()
    wanted = heartbeat_s(
        server=current.api.url is not None,
        current=current.flows.heartbeat_frequency,
        explicit="heartbeat_frequency" in current.flows.model_fields_set,
    )
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: wanted}):
        yield
