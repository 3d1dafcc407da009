"""``studio analyze``: the batch flow it runs in this process beats as ``studio.heartbeat``
decides (the flow itself is replaced by one that records what Prefect's engine would use)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ops.conftest import free_port
from tests.studio.conftest import command_app, engine_heartbeat_s


class _State:
    name = "Completed"
    message = None

    def __init__(self, summary: dict[str, Any]) -> None:
        self.summary = summary

    def result(self, raise_on_failure: bool = True) -> dict[str, Any]:
        return self.summary


@pytest.mark.parametrize(
    ("prefect", "expected"),
    [("temporary", None), ("stack", 30), ("PREFECT_API_URL", 30)],
)
def test_analyze_runs_its_flow_with_the_heartbeat_policy(
    prefect: str,
    expected: int | None,
    prefect_started_with: Callable[..., None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    import flows.batch_analysis
    from studio import stack
    from studio.cli import _library

    env = {"PREFECT_API_URL": "http://127.0.0.1:9/api"} if prefect == "PREFECT_API_URL" else {}
    prefect_started_with(**env)
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # the command sets it
    monkeypatch.setenv("STUDIO_PREFECT_PORT", str(free_port()))  # no stack server there
    monkeypatch.setenv("STUDIO_QUIET", "1")
    if prefect == "stack":
        monkeypatch.setattr(stack, "server_healthy", lambda settings: True)
    seen: list[int | None] = []

    def batch_analysis(**kwargs: Any) -> _State:
        seen.append(engine_heartbeat_s())
        results = [{"status": "analysed", "path": kwargs["files"][0], "analyses": 1}]
        summary = {"results": results, "analysed": 1, "skipped": 0, "failed": 0, "output": "-"}
        return _State(summary)

    monkeypatch.setattr(flows.batch_analysis, "batch_analysis", batch_analysis)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not decoded here")
    app = command_app(_library.register)
    result = CliRunner().invoke(app, ["analyze", str(clip)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen == [expected]
