"""`studio up|status|down|reset` as a user runs them: a private stack on free ports, its
own PostgreSQL database (or SQLite when no PostgreSQL answers).

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

from tests.ops.conftest import free_port, server_log

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


def _database_exists(name: str) -> bool:
    import asyncio

    import asyncpg

    from core.settings import Settings
    from studio.database import admin_url

    async def query() -> bool:
        conn = await asyncpg.connect(admin_url(Settings()))
        try:
            return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname=$1", name))
        finally:
            await conn.close()

    return asyncio.run(query())


def test_up_is_idempotent_down_keeps_the_database_and_reset_drops_it(
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
    home = tmp_path / "home"
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("STUDIO_HOME", str(home))
    monkeypatch.setenv("STUDIO_PREFECT_PORT", str(free_port()))
    monkeypatch.setenv("STUDIO_WORK_POOL", "stack-test-pool")

    def studio(*args: str, code: int = 0, stdin: str | None = None) -> str:
        get_settings.cache_clear()
        result = runner.invoke(app, list(args), input=stdin, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    credentials = home / "postgres.json"
    try:
        first = studio("up", "--no-tier", "--no-deploy")
        assert "prefect server started" in first
        assert "database: PostgreSQL 'studio_" in first
        assert "work pool 'stack-test-pool' (process) created" in first
        assert "worker for pool 'stack-test-pool' started" in first
        secret = json.loads(credentials.read_text())
        assert credentials.stat().st_mode & 0o777 == 0o600
        assert _database_exists(secret["database"])

        again = studio("up", "--no-tier", "--no-deploy")
        assert "prefect server already running" in again
        assert "exists" in again and "worker already running" in again

        rows = {row["name"]: row for row in json.loads(studio("status", "--json"))}
        assert rows["prefect-server"]["running"] and rows["prefect-server"]["pid"]
        assert "PostgreSQL" in rows["prefect-server"]["detail"]
        assert rows["worker"]["running"] and rows["worker"]["pid"]
        server_pid, worker_pid = rows["prefect-server"]["pid"], rows["worker"]["pid"]
        assert (home / "prefect").is_dir()  # PREFECT_HOME under the studio home

        down = studio("down")
        assert f"worker: stopped (pid {worker_pid})" in down
        assert f"prefect-server: stopped (pid {server_pid})" in down
        for pid in (server_pid, worker_pid):
            assert not Path(f"/proc/{pid}").exists()
        after = {row["name"]: row for row in json.loads(studio("status", "--json"))}
        assert not after["prefect-server"]["running"] and not after["worker"]["running"]
        assert "not running" in studio("down")  # harmless when nothing runs

        # down kept the data: the pool created by the first `up` is still there.
        restarted = studio("up", "--no-tier", "--no-deploy")
        assert "prefect server started" in restarted
        assert "work pool 'stack-test-pool' (process) exists" in restarted

        # reset asks first; "no" changes nothing.
        assert "Aborted" in studio("reset", code=1, stdin="n\n")
        assert _database_exists(secret["database"]) and credentials.exists()
    finally:
        reset = studio("reset", "--yes")
    assert "prefect-server: stopped" in reset and "worker: stopped" in reset
    assert f"PostgreSQL database {secret['database']!r} at 127.0.0.1:5432 dropped" in reset
    assert not _database_exists(secret["database"]) and not credentials.exists()
    # The password never reached the output or the server's log.
    for text in (first, again, restarted, reset, server_log(get_settings()).read_text()):
        assert secret["password"] not in text


def test_up_falls_back_to_sqlite_when_no_postgresql_answers(tmp_path: Path) -> None:
    import httpx

    port = free_port()
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        STUDIO_HOME=str(tmp_path / "home"),
        STUDIO_PREFECT_PORT=str(port),
        STUDIO_WORK_POOL="fallback-pool",
        # Nothing listens there (a port just freed).
        STUDIO_POSTGRES_ADMIN_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/postgres",
    )
    try:
        # --no-auth: this test is about the database; the API's credential is test_auth's.
        up = _studio(env, "up", "--no-tier", "--no-deploy", "--no-auth")
        assert up.returncode == 0, up.stdout + up.stderr
        assert "PostgreSQL not reachable at 127.0.0.1:" in up.stdout
        assert "database: SQLite at" in up.stdout
        assert "work pool 'fallback-pool' (process) created" in up.stdout
        # The server works on its SQLite file: a write lands and reads back.
        api = f"http://127.0.0.1:{port}/api"
        created = httpx.post(f"{api}/flows/", json={"name": "fallback-check"}, timeout=30)
        assert created.status_code in (200, 201), created.text
        read = httpx.get(f"{api}/flows/{created.json()['id']}", timeout=30)
        assert read.json()["name"] == "fallback-check"
        assert (tmp_path / "home" / "prefect" / "prefect.db").stat().st_size > 0
        assert not (tmp_path / "home" / "postgres.json").exists()
    finally:
        reset = _studio(env, "reset", "--yes")
    assert "prefect-server: stopped" in reset.stdout
    assert "no PostgreSQL database recorded" in reset.stdout
    assert not (tmp_path / "home" / "prefect" / "prefect.db").exists()


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
