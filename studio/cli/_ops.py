"""Operations commands: the local stack, run history, batch analysis and library search.

``studio up|down|status`` manage the Prefect server, the process work pool's worker and the
CPU tier; ``studio reset`` also deletes the server's database; ``studio history`` reads recent
runs; ``studio analyze`` runs the footage batch
flow on files or folders; ``studio footage search`` (or ``studio library search`` when the
footage commands are not there) queries the library catalog; ``studio worker`` is the worker
process itself (Prefect worker plus the Prometheus exporter), used by ``up``, compose and k8s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from core.exceptions import ConfigError, JobError
from studio.cli._output import print_json, set_interrupt_note

__all__ = ["register"]


def _settings() -> Any:
    from core.settings import get_settings

    return get_settings()


def up(
    no_tier: bool = typer.Option(False, "--no-tier", help="Do not start the CPU tier."),
    no_deploy: bool = typer.Option(False, "--no-deploy", help="Do not run prefect deploy."),
    no_auth: bool = typer.Option(
        False,
        "--no-auth",
        help="Start the Prefect API without a credential, for local experiments: anyone who "
        "can reach its port can run, cancel and change jobs and read their history.",
    ),
) -> None:
    """Start the Prefect server, work pool, worker and CPU tier, and deploy the flows.

    The API requires a credential, generated on first use into <home>/prefect-auth (mode
    0600; the UI asks for it): `--no-auth` turns that off.

    Examples: studio up | studio up --no-tier --no-deploy
    """
    from studio import stack

    lines = stack.up(_settings(), tier=not no_tier, deploy_flows=not no_deploy, auth=not no_auth)
    for line in lines:
        typer.echo(line)


def down() -> None:
    """Stop what `studio up` started.

    Examples: studio down
    """
    from studio import stack

    for line in stack.down(_settings()):
        typer.echo(line)


def reset(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Stop the stack and delete its Prefect database: every run, deployment and history.

    Examples: studio reset | studio reset --yes
    """
    from studio import stack

    if not yes:
        typer.confirm(
            "Stop the stack and delete its Prefect database (all runs, deployments, history)?",
            abort=True,
        )
    for line in stack.reset(_settings()):
        typer.echo(line)


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


def analyze(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH", help="Clips and/or folders of clips.")
    ],
    library: Annotated[
        Path | None,
        typer.Option(
            "--library",
            "-l",
            help="Library folder (default: $STUDIO_LIBRARY_DIR or <home>/library).",
        ),
    ] = None,
    glob: str = typer.Option("*", "--glob", help="Pattern of clips inside folders."),
    focus: str | None = typer.Option(None, "--focus", help="What the analysis looks for."),
    max_frames: int = typer.Option(6, "--max-frames", min=1, max=64, help="Frames per clip."),
    force: bool = typer.Option(False, "--force", help="Re-analyse complete clips."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    output: Annotated[Path | None, typer.Option("--output", "-o", hidden=True)] = None,  # old
) -> None:
    """Analyse clips into the footage library now (the footage-batch-analysis flow).

    Examples: studio analyze clips/ | studio analyze a.mp4 b.mp4 -l lib/ --max-frames 4 --json
    """
    output = library or output
    # Before Prefect is imported: a temporary local server must not try to phone home.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.batch_analysis import DEFAULT_FOCUS, batch_analysis, find_clips, on_count

    files: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(str(p) for p in find_clips(path, glob)[0])
        elif path.exists():
            files.append(str(path.resolve()))
        else:
            raise ConfigError(f"no such file or folder: {path}")
    if not files:
        raise ConfigError("no clips to analyse")
    from contextlib import nullcontext

    from studio import stack

    settings = _settings()
    # Record the run on the local stack's server when it is up (so it shows in the UI and
    # `studio history`); otherwise PREFECT_API_URL, or Prefect's temporary local server.
    use_stack = not os.environ.get("PREFECT_API_URL") and stack.server_healthy(settings)
    set_interrupt_note("clips analysed so far are in the library; a rerun skips them")
    from inference.wire import on_tokens
    from studio.cli._live import live

    with stack.prefect_settings(settings) if use_stack else nullcontext(), live() as board:
        board.step(f"analysing {len(files)} clip(s)...")
        with on_count(board.count), on_tokens(board.tokens):
            state = batch_analysis(
                folder=str(paths[0].resolve() if paths[0].is_dir() else paths[0].resolve().parent),
                glob=glob,
                focus=focus or DEFAULT_FOCUS,
                output=str(output) if output else None,
                max_frames=max_frames,
                force=force,
                files=files,
                return_state=True,
            )
        result = state.result(raise_on_failure=False)
    summary = getattr(result, "summary", result)
    if not isinstance(summary, dict):
        raise ConfigError(f"batch ended {state.name}: {state.message or result}")
    if as_json:
        print_json(summary)
    else:
        for item in summary["results"]:
            detail = item.get("error") or f"{item.get('analyses', 0)} scene analyses"
            typer.echo(f"{item['status']:9} {item['path']}  {detail}")
        typer.echo(
            f"{summary['analysed']} analysed, {summary['skipped']} already complete, "
            f"{summary['failed']} failed; library {summary['output']}"
        )
    if summary["failed"]:
        # A StudioError, so the root prints one line and exits 1 (users must notice).
        raise JobError(state.message or f"{summary['failed']} clips failed")


def search(
    text: Annotated[str, typer.Argument(help="Words to find in the analyses (all must occur).")],
    library: Annotated[
        Path | None,
        typer.Option(
            "--library",
            "-l",
            help="Library folder (default: $STUDIO_LIBRARY_DIR or <home>/library).",
        ),
    ] = None,
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500, help="How many hits."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search analysed footage (scene summaries, subjects, mood, descriptors).

    Examples: studio footage search "red car" | studio footage search night -l lib/ --json
    """
    from tasks.catalog import search as search_catalog

    settings = _settings()
    folder = library or settings.library_dir or settings.home / "library"
    hits = search_catalog(folder, text, limit=limit)
    if as_json:
        print_json([hit.__dict__ for hit in hits])
        return
    if not hits:
        typer.echo("no matches")
    for hit in hits:
        blind = " [blind]" if hit.blind else ""
        typer.echo(
            f"{hit.path} scene {hit.scene} {hit.start_s:.1f}-{hit.end_s:.1f}s "
            f"(score {hit.score}){blind}\n    {hit.summary}"
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

    # The worker (and every flow run it starts) authenticates with the stack's credential.
    proc = subprocess.Popen(argv, env=client_env(settings))

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
    app.command("analyze")(analyze)
    app.command("worker")(worker)
    from studio.cli import _footage

    footage_app = getattr(_footage, "footage_app", None)
    if isinstance(footage_app, typer.Typer):
        if search not in [c.callback for c in footage_app.registered_commands]:
            footage_app.command("search")(search)
    else:
        library_app = typer.Typer(help="The analysed footage library.", no_args_is_help=True)
        library_app.command("search")(search)
        app.add_typer(library_app, name="library")
