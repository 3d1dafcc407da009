"""`studio worker`: the Prefect worker it starts gives its flow runs the server heartbeat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from studio.heartbeat import HEARTBEAT_S
from tests.studio.conftest import command_app


class _Exited:
    """A worker process that has already exited cleanly."""

    def wait(self) -> int:
        return 0


def test_the_worker_runs_flows_with_the_heartbeat_the_crash_automation_expects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from core.settings import get_settings
    from studio.cli import _ops

    started: list[dict[str, Any]] = []

    def popen(argv: list[str], env: dict[str, str]) -> _Exited:
        started.append({"argv": argv, "env": env})
        return _Exited()

    monkeypatch.setattr("studio.cli._ops.subprocess.Popen", popen)
    # The command forwards SIGTERM/SIGINT to the worker; this process keeps its handlers.
    monkeypatch.setattr("studio.cli._ops.signal.signal", lambda *_: None)
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STUDIO_METRICS_PORT", "0")  # no exporter
    # Prefect's default (or a user's slower value) would let the automation's 90 s grace
    # expire between two beats of a live run.
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "180")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(command_app(_ops.register), ["worker"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    (worker,) = started
    assert worker["argv"][1:3] == ["worker", "start"]
    assert worker["env"]["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == str(HEARTBEAT_S)
