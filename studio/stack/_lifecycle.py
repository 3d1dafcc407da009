"""``studio up|down|reset|status``: the whole stack at once."""

from __future__ import annotations

from dataclasses import dataclass

from core.exceptions import StudioError
from core.settings import Settings
from studio.stack._components import (
    deploy,
    ensure_work_pool,
    run_tier,
    server_healthy,
    start_server,
    start_worker,
)
from studio.stack._env import StackPaths, api_url
from studio.stack._processes import DB_NOTE, SERVER, TIER_MARK, WORKER, port_open, read_pid, stop

__all__ = ["ComponentStatus", "down", "reset", "status", "up"]


@dataclass(frozen=True)
class ComponentStatus:
    """One line of ``studio status``."""

    name: str
    running: bool
    pid: int | None
    detail: str


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
            lines.append(run_tier(settings, "up"))
            paths.run.mkdir(parents=True, exist_ok=True)
            (paths.run / TIER_MARK).touch()
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
    for name, marker in ((WORKER, "worker"), (SERVER, "server start")):
        pid_file = paths.run / f"{name}.pid"
        pid = read_pid(pid_file, marker)
        if pid is None:
            lines.append(f"{name}: not running")
        else:
            stop(pid)
            lines.append(f"{name}: stopped (pid {pid})")
        pid_file.unlink(missing_ok=True)
        if name == SERVER:
            (paths.run / DB_NOTE).unlink(missing_ok=True)
        if name == WORKER and (paths.run / TIER_MARK).exists():
            try:
                lines.append(run_tier(settings, "down"))
            except StudioError as exc:
                lines.append(f"tier: {exc}")
            (paths.run / TIER_MARK).unlink(missing_ok=True)
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
    server_pid = read_pid(paths.run / f"{SERVER}.pid", "server start")
    healthy = server_healthy(settings)
    note = paths.run / DB_NOTE
    database = f"; {note.read_text().strip()}" if healthy and note.exists() else ""
    worker_pid = read_pid(paths.run / f"{WORKER}.pid", "worker")
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
    tier_up = port_open(settings.cpu_host, settings.cpu_port)
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
