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


def test_up_is_idempotent_and_down_stops_what_it_started(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        STUDIO_HOME=str(tmp_path / "home"),
        STUDIO_PREFECT_PORT=str(free_port()),
        STUDIO_WORK_POOL="stack-test-pool",
    )
    try:
        first = _studio(env, "up", "--no-tier", "--no-deploy")
        assert first.returncode == 0, first.stderr
        assert "prefect server started" in first.stdout
        assert "work pool 'stack-test-pool' (process) created" in first.stdout
        assert "worker for pool 'stack-test-pool' started" in first.stdout

        again = _studio(env, "up", "--no-tier", "--no-deploy")
        assert again.returncode == 0, again.stderr
        assert "prefect server already running" in again.stdout
        assert "exists" in again.stdout and "worker already running" in again.stdout

        status = _studio(env, "status", "--json")
        rows = {row["name"]: row for row in json.loads(status.stdout)}
        assert rows["prefect-server"]["running"] and rows["prefect-server"]["pid"]
        assert rows["worker"]["running"] and rows["worker"]["pid"]
        server_pid, worker_pid = rows["prefect-server"]["pid"], rows["worker"]["pid"]
        assert (tmp_path / "home" / "prefect").is_dir()  # PREFECT_HOME under the studio home
    finally:
        down = _studio(env, "down")
    assert down.returncode == 0, down.stderr
    assert f"worker: stopped (pid {worker_pid})" in down.stdout
    assert f"prefect-server: stopped (pid {server_pid})" in down.stdout
    for pid in (server_pid, worker_pid):
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    after = {row["name"]: row for row in json.loads(_studio(env, "status", "--json").stdout)}
    assert not after["prefect-server"]["running"] and not after["worker"]["running"]
    assert "not running" in _studio(env, "down").stdout  # harmless when nothing runs


def test_up_refuses_a_port_taken_by_something_else(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        env = dict(os.environ)
        env.update(STUDIO_HOME=str(tmp_path / "home"), STUDIO_PREFECT_PORT=str(sock.getsockname()[1]))
        proc = _studio(env, "up", "--no-tier", "--no-deploy")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: port ") and "STUDIO_PREFECT_PORT" in proc.stderr
    assert "Traceback" not in proc.stderr
