"""Each component of the stack, started only when it is not running already."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from core.exceptions import ConfigError, StudioError
from core.settings import Settings
from studio.stack._env import REPO_DIR, StackPaths, api_url, prefect_env, prefect_settings
from studio.stack._processes import (
    DB_NOTE,
    SERVER,
    WORKER,
    port_open,
    prefect_bin,
    read_pid,
    spawn,
    studio_argv,
)

if TYPE_CHECKING:
    from studio.database import Backend

__all__ = [
    "deploy",
    "ensure_work_pool",
    "run_tier",
    "server_healthy",
    "start_server",
    "start_worker",
]


def server_healthy(settings: Settings, timeout: float = 2.0) -> bool:
    """True when the Prefect API at the configured address answers its health check."""
    import httpx

    try:
        response = httpx.get(f"{api_url(settings)}/health", timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def start_server(
    settings: Settings,
    *,
    database: Backend | None = None,
    timeout: float = 90.0,
    auth: bool = True,
) -> str:
    """Start ``prefect server start`` unless a Prefect API already answers on the port.

    With ``auth`` (the default) the server requires the stack's credential
    (``studio.credential``, generated on first use); without it the API is open.

    Args:
        settings: The studio settings.
        database: The server's database; default :func:`studio.database.choose` (PostgreSQL
            where reachable, else SQLite), asked only when a server is actually started.
        timeout: Seconds to wait for the health check.
        auth: Require the stack's credential on the API (``--no-auth`` turns it off).

    Returns:
        A one-line description of what happened, naming the database backend.

    Raises:
        ConfigError: The port is taken by something that is not a Prefect server.
        StudioError: The server did not become healthy in time (its log is named).
    """
    paths = StackPaths.of(settings)
    if server_healthy(settings):
        pid = read_pid(paths.run / f"{SERVER}.pid", "server start")
        owner = f"pid {pid}" if pid else "not started by studio"
        return f"prefect server already running at {api_url(settings)} ({owner})"
    if port_open(settings.prefect_host, settings.prefect_port):
        raise ConfigError(
            f"port {settings.prefect_port} is in use by something that is not a Prefect server; "
            "set STUDIO_PREFECT_PORT"
        )
    if database is None:
        from studio.database import choose

        database = choose(settings)
    paths.prefect_home.mkdir(parents=True, exist_ok=True)
    env = prefect_env(settings)
    if database.connection_url:
        # Both names, so an inherited value under the other one cannot win; the server
        # process alone gets the password (the worker and deploy talk to the API).
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database.connection_url
        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = database.connection_url
    argv = [
        prefect_bin(),
        "server",
        "start",
        "--host",
        settings.prefect_host,
        "--port",
        str(settings.prefect_port),
    ]
    from studio.credential import server_auth_env

    env, auth_line = server_auth_env(settings, env, auth=auth)
    pid = spawn(SERVER, argv, env, paths)
    (paths.run / DB_NOTE).write_text(database.description + "\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server_healthy(settings):
            return (
                f"prefect server started at {api_url(settings)} (pid {pid}); "
                f"{database.description}; {auth_line}"
            )
        if read_pid(paths.run / f"{SERVER}.pid", "server start") is None:
            break
        time.sleep(0.5)
    raise StudioError(
        f"prefect server did not become healthy in {timeout:.0f}s; "
        f"see {paths.logs / (SERVER + '.log')}"
    )


def ensure_work_pool(settings: Settings, *, pool_type: str = "process") -> str:
    """Create the work pool unless it exists (with the worker type's default job template).

    Returns:
        A one-line description of what happened.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with prefect_settings(settings), get_client(sync_client=True) as client:
        try:
            pool = client.read_work_pool(settings.work_pool)
            return f"work pool {pool.name!r} ({pool.type}) exists"
        except ObjectNotFound:
            template = (
                ProcessWorker.get_default_base_job_template() if pool_type == "process" else {}
            )
            client.create_work_pool(
                WorkPoolCreate(name=settings.work_pool, type=pool_type, base_job_template=template)
            )
            return f"work pool {settings.work_pool!r} ({pool_type}) created"


def start_worker(settings: Settings, env: dict[str, str] | None = None) -> str:
    """Start ``studio worker`` for the process pool unless ours is running.

    Args:
        settings: The studio settings.
        env: Extra environment for the worker (and so for every flow run it spawns).
    """
    paths = StackPaths.of(settings)
    pid = read_pid(paths.run / f"{WORKER}.pid", "worker")
    if pid is not None:
        return f"worker already running (pid {pid})"
    full_env = prefect_env(settings)
    full_env.update(env or {})
    pid = spawn(WORKER, studio_argv("worker", "--pool", settings.work_pool), full_env, paths)
    return f"worker for pool {settings.work_pool!r} started (pid {pid})"


def deploy(settings: Settings, *, prefect_file: Path | None = None, timeout: float = 300) -> str:
    """Register every deployment of ``prefect.yaml`` with the stack's server.

    Raises:
        StudioError: ``prefect deploy`` failed (its last output lines are included).
    """
    argv = [prefect_bin(), "--no-prompt", "deploy", "--all"]
    if prefect_file is not None:
        argv += ["--prefect-file", str(prefect_file)]
    proc = subprocess.run(
        argv,
        cwd=REPO_DIR,
        env=prefect_env(settings),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        tail = " | ".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])
        raise StudioError(f"prefect deploy failed ({proc.returncode}): {tail}")
    return f"deployments registered from {prefect_file or REPO_DIR / 'prefect.yaml'}"


def run_tier(settings: Settings, action: str) -> str:
    """Run ``studio tier <action>`` in a child process; the last line it printed."""
    proc = subprocess.run(
        studio_argv("tier", action),
        env=prefect_env(settings),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        reason = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        raise StudioError(f"studio tier {action} failed: {reason[0].removeprefix('error: ')}")
    return (proc.stdout.strip() or proc.stderr.strip() or f"tier {action}").splitlines()[-1]
