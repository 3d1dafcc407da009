"""A flow run's heartbeats stop with the run: Prefect 3.9's sender slept in whole seconds and
every run that sent heartbeats ended up to a second after its last line (flows._heartbeats).

The engine's own entry point (``prefect.flow_engine._send_heartbeats``) is what is exercised,
as the flow modules leave it once imported.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any, cast

import flows.batch_analysis  # noqa: F401  (importing a flow module installs the sender)
from flows._heartbeats import installed


class _Engine:
    """The parts of Prefect's ``FlowRunEngine`` the heartbeat sender uses."""

    def __init__(self, seconds: int | None, final: bool = False) -> None:
        self.heartbeat_seconds = seconds
        state = SimpleNamespace(is_final=lambda: final)
        self.flow_run = SimpleNamespace(state=state)
        self.logger = SimpleNamespace(debug=lambda *a, **k: None)
        self.beats: list[tuple[Any, Any]] = []

    def _build_heartbeat_event_template(self) -> tuple[dict[str, str], list[Any]]:
        return {"prefect.resource.id": "prefect.flow-run.x"}, []

    def _emit_flow_run_heartbeat(self, resource: Any, related: Any) -> None:
        self.beats.append((resource, related))


def _send(engine: _Engine) -> Any:
    from prefect import flow_engine

    return flow_engine._send_heartbeats(cast(Any, engine))


def _beating() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "heartbeat"]


def test_the_flow_modules_give_prefect_the_sender() -> None:
    assert installed()


def test_a_run_beats_once_at_its_start_and_ends_without_waiting_for_the_next_beat() -> None:
    engine = _Engine(seconds=30)
    with _send(engine):
        deadline = time.monotonic() + 5
        while not engine.beats and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # the sender is now between beats
        ended = time.monotonic()
    waited = time.monotonic() - ended
    assert engine.beats == [({"prefect.resource.id": "prefect.flow-run.x"}, [])]
    # Prefect's own sender waits out its current one-second sleep here (~0.95 s).
    assert waited < 0.5, f"the run's end waited {waited:.2f} s for its heartbeat thread"
    assert not _beating()


def test_a_final_run_sends_no_beat() -> None:
    engine = _Engine(seconds=30, final=True)
    with _send(engine):
        time.sleep(0.1)
    assert engine.beats == []


def test_heartbeats_turned_off_start_no_thread() -> None:
    engine = _Engine(seconds=None)
    with _send(engine):
        assert not _beating()
    assert engine.beats == []
