"""The local stack behind ``studio up|down|status``: Prefect server, work pool, worker, tier.

Every process this module starts gets a pid file under ``<home>/run`` and a log under
``<home>/logs``, runs in its own session (so ``down`` can stop its whole process group)
and is recognised on later calls by pid *and* command line, so a recycled pid is never
taken for ours. ``up`` is idempotent: it starts only what is not running, creates the work
pool only when missing and re-deploys from ``prefect.yaml`` (an update, never a duplicate).
The server's database is PostgreSQL where one is reachable, else SQLite (``studio.database``);
``down`` keeps it, ``reset`` drops it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.exceptions import ConfigError, StudioError
from core.settings import Settings

if TYPE_CHECKING:
    from studio.database import Backend

__all__ = [
    "REPO_DIR",
    "ComponentStatus",
    "StackPaths",
    "api_url",
    "deploy",
    "down",
    "ensure_work_pool",
    "prefect_env",
    "prefect_settings",
    "reset",
    "server_healthy",
    "start_server",
    "start_worker",
    "status",
    "up",
]

REPO_DIR = Path(__file__).resolve().parents[1]
_SERVER = "prefect-server"
_WORKER = "worker"
_TIER_MARK = "tier.started"
# What the running server's database is (one printable line, no password), for `status`.
_DB_NOTE = "prefect-server.database"


@dataclass(frozen=True)
class StackPaths:
    """Where the stack keeps its state."""

    run: Path
    logs: Path
    prefect_home: Path
    metrics: Path

    @classmethod
    def of(cls, settings: Settings) -> StackPaths:
        """Derive the paths from settings (``prefect_home`` defaults under ``home``)."""
        return cls(
            run=settings.home / "run",
            logs=settings.home / "logs",
            prefect_home=settings.prefect_home or settings.home / "prefect",
            metrics=settings.home / "metrics",
        )


@dataclass(frozen=True)
class ComponentStatus:
    """One line of ``studio status``."""

    name: str
    running: bool
    pid: int | None
    detail: str


def api_url(settings: Settings) -> str:
    """The Prefect API URL of the stack's server."""
    return f"http://{settings.prefect_host}:{settings.prefect_port}/api"


def prefect_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for Prefect processes of this stack (server, worker, deploy).

    Args:
        settings: The studio settings.
        base: Environment to extend; default the current one.
    """
    paths = StackPaths.of(settings)
    env = dict(os.environ if base is None else base)
    env.update(
        PREFECT_HOME=str(paths.prefect_home),
        PREFECT_API_URL=api_url(settings),
        PREFECT_SERVER_API_HOST=settings.prefect_host,
        PREFECT_SERVER_API_PORT=str(settings.prefect_port),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # A 503 (a locked SQLite file, a lost database connection) is otherwise not logged
        # at all, and the log is the only place its cause can be read afterwards.
        PREFECT_SERVER_LOG_RETRYABLE_ERRORS="true",
        PREFECT_UI_ENABLED=env.get("PREFECT_UI_ENABLED", "true"),
        # Flow return values (the job and batch summaries) are what `studio history` reads.
        PREFECT_RESULTS_PERSIST_BY_DEFAULT="true",
        # A request waiting for a model server's slot (flows/_model_slots.py) polls again
        # within 2 s, not Prefect's default of up to 30 s (slots there last about a second).
        PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS="2",
        # Runs prove they are alive; studio.recovery crashes and re-runs the silent ones.
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY=str(_heartbeat_s()),
        # What prefect.yaml's {{ $VAR }} placeholders resolve to at deploy time.
        STUDIO_REPO_DIR=str(REPO_DIR),
        STUDIO_WORK_POOL=settings.work_pool,
        STUDIO_FOOTAGE_DIR=str(settings.footage_dir or settings.home / "footage"),
        STUDIO_LIBRARY_DIR=str(settings.library_dir or settings.home / "library"),
        STUDIO_HOME=str(settings.home),
        STUDIO_JOB_ROOTS=_job_roots_text(settings),
    )
    return _auth_env(settings, env)


def _heartbeat_s() -> int:
    from studio.recovery import HEARTBEAT_S

    return HEARTBEAT_S


def _job_roots_text(settings: Settings) -> str:
    from flows.admission import job_roots

    return job_roots(settings, via_deployment=True).describe()


def _auth_env(settings: Settings, env: dict[str, str]) -> dict[str, str]:
    # Issue 18: every client the stack starts authenticates (studio.credential); only the
    # server process itself gets the server-side copy (start_server adds it).
    from studio.credential import SERVER_AUTH_ENV, client_env

    env.pop(SERVER_AUTH_ENV, None)
    return client_env(settings, env)


@contextlib.contextmanager
def prefect_settings(settings: Settings) -> Iterator[None]:
    """Point this process's Prefect client at the stack's server for a block of code."""
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    from studio.credential import read_credential

    updates: dict[Any, Any] = {PREFECT_API_URL: api_url(settings)}
    credential = read_credential(settings)
    if credential is not None:
        updates[PREFECT_API_AUTH_STRING] = credential
    with temporary_settings(updates=updates):
        yield


# --- processes ---------------------------------------------------------------------------


def _read_pid(pid_file: Path, marker: str) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, ValueError):
        return None
    return pid if marker in cmdline else None


def _spawn(name: str, argv: Sequence[str], env: dict[str, str], paths: StackPaths) -> int:
    paths.run.mkdir(parents=True, exist_ok=True)
    paths.logs.mkdir(parents=True, exist_ok=True)
    with open(paths.logs / f"{name}.log", "ab") as log:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO_DIR,
            start_new_session=True,
        )
    (paths.run / f"{name}.pid").write_text(f"{proc.pid}\n")
    return proc.pid


def _stop(pid: int, timeout: float = 15.0) -> None:
    # SIGTERM to the leader only: it forwards to its children and shuts them down in order
    # (a group-wide signal would reach the Prefect worker twice and make it escalate).
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # Reap it if it is our child (the tests start and stop in one process).
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    # Whatever is left of the session (a stuck leader, orphaned flow runs) goes now.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _prefect_bin() -> str:
    candidate = Path(sys.executable).with_name("prefect")
    return str(candidate) if candidate.exists() else "prefect"


def _studio_argv(*args: str) -> list[str]:
    return [sys.executable, "-c", "from studio.cli import main; main()", *args]


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


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
        pid = _read_pid(paths.run / f"{_SERVER}.pid", "server start")
        owner = f"pid {pid}" if pid else "not started by studio"
        return f"prefect server already running at {api_url(settings)} ({owner})"
    if _port_open(settings.prefect_host, settings.prefect_port):
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
        _prefect_bin(),
        "server",
        "start",
        "--host",
        settings.prefect_host,
        "--port",
        str(settings.prefect_port),
    ]
    from studio.credential import server_auth_env

    env, auth_line = server_auth_env(settings, env, auth=auth)
    pid = _spawn(_SERVER, argv, env, paths)
    (paths.run / _DB_NOTE).write_text(database.description + "\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server_healthy(settings):
            return (
                f"prefect server started at {api_url(settings)} (pid {pid}); "
                f"{database.description}; {auth_line}"
            )
        if _read_pid(paths.run / f"{_SERVER}.pid", "server start") is None:
            break
        time.sleep(0.5)
    raise StudioError(
        f"prefect server did not become healthy in {timeout:.0f}s; "
        f"see {paths.logs / (_SERVER + '.log')}"
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
    pid = _read_pid(paths.run / f"{_WORKER}.pid", "worker")
    if pid is not None:
        return f"worker already running (pid {pid})"
    full_env = prefect_env(settings)
    full_env.update(env or {})
    pid = _spawn(_WORKER, _studio_argv("worker", "--pool", settings.work_pool), full_env, paths)
    return f"worker for pool {settings.work_pool!r} started (pid {pid})"


def deploy(settings: Settings, *, prefect_file: Path | None = None, timeout: float = 300) -> str:
    """Register every deployment of ``prefect.yaml`` with the stack's server.

    Raises:
        StudioError: ``prefect deploy`` failed (its last output lines are included).
    """
    argv = [_prefect_bin(), "--no-prompt", "deploy", "--all"]
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


def _tier(settings: Settings, action: str) -> str:
    proc = subprocess.run(
        _studio_argv("tier", action),
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


def up(
    settings: Settings, *, tier: bool = True, deploy_flows: bool = True, auth: bool = True
) -> list[str]:
    """Bring the local stack up; harmless to repeat (``auth``: see ``start_server``).

    Returns:
        One line per component describing what was done.
    """
    paths = StackPaths.of(settings)
    lines = [start_server(settings, auth=auth), ensure_work_pool(settings), start_worker(settings)]
    if tier:
        # The flows still run without the CPU tier when the routing sends roles elsewhere,
        # so a tier that cannot start is reported, not fatal.
        try:
            lines.append(_tier(settings, "up"))
            paths.run.mkdir(parents=True, exist_ok=True)
            (paths.run / _TIER_MARK).touch()
        except StudioError as exc:
            lines.append(f"cpu tier NOT started: {exc}")
    if deploy_flows:
        lines.append(deploy(settings))
        from studio.recovery import ensure_recovery

        lines.append(ensure_recovery(settings))
    lines.append(f"UI: http://{settings.prefect_host}:{settings.prefect_port}")
    return lines


def down(settings: Settings) -> list[str]:
    """Stop what ``up`` started (worker first, then the tier, then the server)."""
    paths = StackPaths.of(settings)
    lines: list[str] = []
    for name, marker in ((_WORKER, "worker"), (_SERVER, "server start")):
        pid_file = paths.run / f"{name}.pid"
        pid = _read_pid(pid_file, marker)
        if pid is None:
            lines.append(f"{name}: not running")
        else:
            _stop(pid)
            lines.append(f"{name}: stopped (pid {pid})")
        pid_file.unlink(missing_ok=True)
        if name == _SERVER:
            (paths.run / _DB_NOTE).unlink(missing_ok=True)
        if name == _WORKER and (paths.run / _TIER_MARK).exists():
            try:
                lines.append(_tier(settings, "down"))
            except StudioError as exc:
                lines.append(f"tier: {exc}")
            (paths.run / _TIER_MARK).unlink(missing_ok=True)
    return lines


def reset(settings: Settings) -> list[str]:
    """Stop the stack and delete its Prefect database (runs, deployments, history).

    PostgreSQL: the database and role ``up`` provisioned are dropped. SQLite: the file under
    ``PREFECT_HOME`` is removed. The next ``up`` starts from an empty database.
    """
    from studio.database import drop

    lines = down(settings)
    lines.append(drop(settings))
    sqlite = StackPaths.of(settings).prefect_home / "prefect.db"
    for path in (sqlite, *(sqlite.with_name(sqlite.name + s) for s in ("-wal", "-shm"))):
        if path.exists():
            path.unlink()
            lines.append(f"removed {path}")
    return lines


def status(settings: Settings) -> list[ComponentStatus]:
    """Report the stack's components (processes by pid file, the server by health)."""
    paths = StackPaths.of(settings)
    server_pid = _read_pid(paths.run / f"{_SERVER}.pid", "server start")
    healthy = server_healthy(settings)
    note = paths.run / _DB_NOTE
    database = f"; {note.read_text().strip()}" if healthy and note.exists() else ""
    worker_pid = _read_pid(paths.run / f"{_WORKER}.pid", "worker")
    rows = [
        ComponentStatus(
            "prefect-server",
            healthy,
            server_pid,
            f"{api_url(settings)} {'healthy' if healthy else 'not answering'}"
            + ("" if server_pid or not healthy else " (not started by studio)")
            + database,
        ),
        ComponentStatus(
            "worker",
            worker_pid is not None,
            worker_pid,
            f"pool {settings.work_pool!r}, log {paths.logs / 'worker.log'}",
        ),
    ]
    if healthy:
        from studio.credential import auth_status

        rows.append(ComponentStatus("api-auth", *auth_status(settings, api_url(settings))))
    tier_up = _port_open(settings.cpu_host, settings.cpu_port)
    rows.append(
        ComponentStatus(
            "cpu-tier",
            tier_up,
            None,
            f"http://{settings.cpu_host}:{settings.cpu_port} "
            + ("listening" if tier_up else "not listening"),
        )
    )
    return rows
