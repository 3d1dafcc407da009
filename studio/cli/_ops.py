"""Operations commands: the local stack and run history.

``studio up|down|status`` manage the Prefect server, the process work pool's worker and the
CPU tier; ``studio reset`` also deletes the server's database; ``studio history`` reads recent
runs; ``studio worker`` is the worker process itself (Prefect worker plus the Prometheus
exporter), used by ``up``, compose and k8s. The footage library's commands are in ``_library``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from core.exceptions import ConfigError
from studio.cli._output import print_json

__all__ = ["register"]


def _settings() -> Any:
    from core.settings import get_settings

    return get_settings()


_JSON_HELP = "Print what was done and the components' state as JSON."


def _report(lines: list[str], as_json: bool) -> None:
    """What a stack action did: its lines, or with ``--json`` them and the components after."""
    if not as_json:
        for line in lines:
            typer.echo(line)
        return
    from studio import stack

    rows = [row.__dict__ for row in stack.status(_settings())]
    print_json({"messages": lines, "components": rows})


def up(
    no_tier: bool = typer.Option(False, "--no-tier", help="Do not start the CPU tier."),
    no_deploy: bool = typer.Option(False, "--no-deploy", help="Do not run prefect deploy."),
    no_auth: bool = typer.Option(
        False,
        "--no-auth",
        help="Start the Prefect API without a credential, for local experiments: anyone who "
        "can reach its port can run, cancel and change jobs and read their history.",
    ),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
) -> None:
    """Start the Prefect server, work pool, worker and CPU tier, and deploy the flows.

    The API requires a credential, generated on first use into <home>/prefect-auth (mode
    0600; the UI asks for it): `--no-auth` turns that off.

    Examples: studio up | studio up --no-tier --no-deploy
    """
    from studio import stack

    lines = stack.up(_settings(), tier=not no_tier, deploy_flows=not no_deploy, auth=not no_auth)
    _report(lines, as_json)


def down(as_json: bool = typer.Option(False, "--json", help=_JSON_HELP)) -> None:
    """Stop what `studio up` started.

    Examples: studio down | studio down --json
    """
    from studio import stack

    _report(stack.down(_settings()), as_json)


def reset(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
) -> None:
    """Stop the stack and delete its Prefect database: every run, deployment and history.

    Examples: studio reset | studio reset --yes --json
    """
    from studio import stack

    if not yes:
        typer.confirm(
            "Stop the stack and delete its Prefect database (all runs, deployments, history)?",
            abort=True,
        )
    _report(stack.reset(_settings()), as_json)


def status(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Show the local stack's components.

    Examples: studio status | studio status --json
    """
    from studio import stack

    rows = stack.status(_settings())
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    for row in rows:
        mark = "up  " if row.running else "down"
        pid = f"pid {row.pid}" if row.pid else ""
        typer.echo(f"{row.name:15} {mark} {pid:10} {row.detail}")


def _fmt(value: Any, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def history(
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500, help="How many runs."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List recent flow runs: state, duration, model calls, cache hits, cost, output.

    Examples: studio history | studio history -n 5 --json
    """
    from studio import stack
    from studio.history import recent_runs

    settings = _settings()
    # An explicit PREFECT_API_URL (a remote server) wins over the local stack's address; the
    # local stack's own URL without PREFECT_API_AUTH_STRING gets its stored credential.
    remote = os.environ.get("PREFECT_API_URL", "").rstrip("/")
    if remote and (remote != stack.api_url(settings) or os.environ.get("PREFECT_API_AUTH_STRING")):
        rows = recent_runs(limit)
    else:
        if not stack.server_healthy(settings):
            raise ConfigError(
                f"no Prefect server at {stack.api_url(settings)}: run `studio up` "
                "or set PREFECT_API_URL"
            )
        with stack.prefect_settings(settings):
            rows = recent_runs(limit)
    if as_json:
        print_json([row.to_dict() for row in rows])
        return
    typer.echo(
        f"{'start':19} {'flow':24} {'run':20} {'state':11} {'secs':>7} {'calls':>5} "
        f"{'hits':>4} {'cost$':>7}  output"
    )
    for row in rows:
        typer.echo(
            f"{(row.start or '-')[:19]:19} {row.flow[:24]:24} {row.name[:20]:20} "
            f"{row.state[:11]:11} {_fmt(row.duration_s, '.1f'):>7} {_fmt(row.llm_calls):>5} "
            f"{_fmt(row.cache_hits):>4} {_fmt(row.cost_usd, '.4f'):>7}  {row.output or ''}"
        )


def worker(
    pool: str | None = typer.Option(
        None, "--pool", help="Work pool (default: $STUDIO_WORK_POOL or studio-process)."
    ),
    pool_type: str = typer.Option("process", "--type", help="Worker type."),
) -> None:
    """Run a Prefect worker for the pool, with the Prometheus exporter when enabled.

    Examples: studio worker | studio worker --pool studio-process
    """
    from core import metrics
    from studio.stack import StackPaths

    settings = _settings()
    if metrics.start_exporter(settings.metrics_port, directory=StackPaths.of(settings).metrics):
        typer.echo(f"metrics on :{settings.metrics_port}/metrics", err=True)
    argv = [
        str(Path(sys.executable).with_name("prefect")),
        "worker",
        "start",
        "--pool",
        pool or settings.work_pool,
        "--type",
        pool_type,
    ]
    from studio.credential import client_env
    from studio.heartbeat import server_env

    # The worker (and every flow run it starts) authenticates with the stack's credential, and
    # its runs beat as studio.recovery's crash automation expects, not at Prefect's 180 s.
    proc = subprocess.Popen(argv, env={**client_env(settings), **server_env()})

    def _forward(signum: int, _frame: Any) -> None:
        proc.send_signal(signum)

    signal.signal(signal.SIGTERM, _forward)
    signal.signal(signal.SIGINT, _forward)
    sys.exit(proc.wait())


def register(app: typer.Typer) -> None:
    """Add the operations commands to the root app."""
    app.command("up")(up)
    app.command("down")(down)
    app.command("reset")(reset)
    app.command("status")(status)
    app.command("history")(history)
    app.command("worker")(worker)
