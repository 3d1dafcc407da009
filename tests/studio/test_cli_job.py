"""``studio run``: the creative job it runs in this process beats as ``studio.heartbeat``
decides (the job is replaced by one that records what Prefect's engine would use)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.studio.conftest import command_app, engine_heartbeat_s


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, None), ({"PREFECT_API_URL": "http://127.0.0.1:9/api"}, 30)],
    ids=["temporary server", "configured server"],
)
def test_run_runs_its_job_with_the_heartbeat_policy(
    env: dict[str, str],
    expected: int | None,
    prefect_started_with: Callable[..., None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    import flows.admission
    import flows.creative_job
    import flows.spec
    from studio.cli import _job

    prefect_started_with(**env)
    # What the command sets (setdefault) is restored after the test.
    for name, value in {
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "STUDIO_DEBUG": "1",  # no log filters added to the test process's loggers
        "STUDIO_QUIET": "1",
    }.items():
        monkeypatch.setenv(name, value)
    seen: list[int | None] = []

    def run_job(path: Any, overrides: Any = ()) -> dict[str, Any]:
        seen.append(engine_heartbeat_s())
        return {"name": "job", "checks_total": 0}

    monkeypatch.setattr(flows.spec, "load_spec", lambda path, overrides=(): None)
    monkeypatch.setattr(flows.admission, "admit_job", lambda *args, **kwargs: None)
    monkeypatch.setattr(flows.creative_job, "run_job", run_job)
    app = command_app(_job.register)
    job = tmp_path / "job.yaml"
    result = CliRunner().invoke(app, ["run", str(job)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen == [expected]
