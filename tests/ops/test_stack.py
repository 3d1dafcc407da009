"""`studio up|status|down` as a user runs them: a private stack on free ports.

The CPU tier (`--no-tier`) and `prefect deploy` (`--no-deploy`) are left out here: the tier
has its own tests, and deploying is tested against the session server in test_deployments.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.conftest import free_port

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]


def _studio(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_up_is_idempotent_and_down_stops_what_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer
    from typer.testing import CliRunner

    from core.settings import get_settings
    from studio.cli import _ops

    # In-process CLI (the commands themselves still spawn the real server and worker).
    app = typer.Typer()
    _ops.register(app)
    runner = CliRunner()
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STUDIO_PREFECT_PORT", str(free_port()))
    monkeypatch.setenv("STUDIO_WORK_POOL", "stack-test-pool")

    def studio(*args: str) -> str:
        get_settings.cache_clear()
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    try:
        first = studio("up", "--no-tier", "--no-deploy")
        assert "prefect server started" in first
        assert "work pool 'stack-test-pool' (process) created" in first
        assert "worker for pool 'stack-test-pool' started" in first

        again = studio("up", "--no-tier", "--no-deploy")
        assert "prefect server already running" in again
        assert "exists" in again and "worker already running" in again

        rows = {row["name"]: row for row in json.loads(studio("status", "--json"))}
        assert rows["prefect-server"]["running"] and rows["prefect-server"]["pid"]
        assert rows["worker"]["running"] and rows["worker"]["pid"]
        server_pid, worker_pid = rows["prefect-server"]["pid"], rows["worker"]["pid"]
        assert (tmp_path / "home" / "prefect").is_dir()  # PREFECT_HOME under the studio home
    finally:
        down = studio("down")
    assert f"worker: stopped (pid {worker_pid})" in down
    assert f"prefect-server: stopped (pid {server_pid})" in down
    for pid in (server_pid, worker_pid):
        assert not Path(f"/proc/{pid}").exists()
    after = {row["name"]: row for row in json.loads(studio("status", "--json"))}
    assert not after["prefect-server"]["running"] and not after["worker"]["running"]
    assert "not running" in studio("down")  # harmless when nothing runs


def test_up_refuses_a_port_taken_by_something_else(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        env = dict(os.environ)
        env.update(
            STUDIO_HOME=str(tmp_path / "home"), STUDIO_PREFECT_PORT=str(sock.getsockname()[1])
        )
        proc = _studio(env, "up", "--no-tier", "--no-deploy")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: port ") and "STUDIO_PREFECT_PORT" in proc.stderr
    assert "Traceback" not in proc.stderr
