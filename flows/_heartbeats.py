"""Prefect's flow-run heartbeats, stopped as soon as the run ends (``install``).

Prefect 3.9's sync flow engine sends heartbeats from a thread that sleeps in whole seconds
(``time.sleep(1)`` in a loop) and, when the run ends, waits for that thread to notice: so every
flow run that sends heartbeats ends 0-1 s after its last line, 0.5 s on average. That is every
deployment run on a worker and every run against a configured server (``studio.heartbeat``:
one beat every 30 s there, for the crash automation of ``studio.recovery``). ``install`` puts
in the engine's place a sender that does the same (one beat at the start, then one every
interval, none once the run is final, the same event from Prefect's own template) but waits
on the stop event itself, so the run ends at once.

Only Prefect 3.9, whose engine this was read from, is changed: any other version keeps its own
sender, as it is.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["install", "installed"]

_FOR_PREFECT = "3.9."


@contextlib.contextmanager
def _send_heartbeats(engine: Any, join_on_exit: bool = True) -> Iterator[None]:
    """Prefect 3.9's ``flow_engine._send_heartbeats``, with a stop that does not wait."""
    from prefect import flow_engine

    seconds = engine.heartbeat_seconds
    if seconds is None:
        yield
        return
    seconds = max(seconds, flow_engine.MINIMUM_HEARTBEAT_INTERVAL)
    resource, related = engine._build_heartbeat_event_template()
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            run = engine.flow_run
            if run and run.state and run.state.is_final():
                return
            try:
                engine._emit_flow_run_heartbeat(resource, related)
            except Exception:  # as Prefect's: a missed beat is logged, never fatal
                engine.logger.debug("Failed to emit heartbeat", exc_info=True)
            stop.wait(seconds)

    # The run's context (settings, API URL), as Prefect copies it for its own thread.
    thread = threading.Thread(
        target=contextvars.copy_context().run, args=(beat,), daemon=True, name="heartbeat"
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        if join_on_exit:
            thread.join(timeout=2)


def installed() -> bool:
    """Whether Prefect's flow engine sends heartbeats with this module's sender."""
    from prefect import flow_engine

    return flow_engine.__dict__.get("_send_heartbeats") is _send_heartbeats


def install() -> None:
    """Give Prefect 3.9's flow engine this module's heartbeat sender (idempotent)."""
    import prefect
    from prefect import flow_engine

    if prefect.__version__.startswith(_FOR_PREFECT) and hasattr(flow_engine, "_send_heartbeats"):
        flow_engine._send_heartbeats = _send_heartbeats
