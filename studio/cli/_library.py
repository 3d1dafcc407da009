"""The footage library: ``studio analyze`` (the batch flow) and ``studio footage search``.

``studio analyze`` runs the footage-batch-analysis flow on files or folders, with the live
display of clips done; ``studio footage search`` (or ``studio library search`` when the
footage commands are not there) queries the library catalog: the FTS5 index of words said and
shown on screen, and the scene analyses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from core.exceptions import ConfigError, JobError
from studio.cli._output import print_json, set_interrupt_note

__all__ = ["register"]


def _settings() -> Any:
    from core.settings import get_settings

    return get_settings()


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

    from studio import stack

    settings = _settings()
    # Record the run on the local stack's server when it is up (so it shows in the UI and
    # `studio history`); otherwise PREFECT_API_URL, or Prefect's temporary local server.
    use_stack = not os.environ.get("PREFECT_API_URL") and stack.server_healthy(settings)
    set_interrupt_note("clips analysed so far are in the library; a rerun skips them")
    from inference.wire import on_tokens
    from studio.cli._live import live
    from studio.heartbeat import flow_run_heartbeats

    # The heartbeat policy: every 30 s against a server (prefect_settings applies it), none
    # under the temporary one.
    with (
        stack.prefect_settings(settings) if use_stack else flow_run_heartbeats(),
        live() as board,
    ):
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


_KINDS = {
    "all": ("speech", "screen", "scene"),
    "speech": ("speech",),
    "screen": ("screen",),
    "scene": ("scene",),
}


def search(
    text: Annotated[
        str,
        typer.Argument(
            help='Words to find (all must occur; "a phrase" in double quotes). No query syntax.'
        ),
    ],
    library: Annotated[
        Path | None,
        typer.Option(
            "--library",
            "-l",
            help="Library folder (default: $STUDIO_LIBRARY_DIR or <home>/library).",
        ),
    ] = None,
    kind: Annotated[
        Literal["all", "speech", "screen", "scene"],
        typer.Option(
            "--kind",
            "-k",
            help="What to search: words said, text on screen, scene analyses, or all.",
        ),
    ] = "all",
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500, help="How many hits."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search the footage library: words said (transcripts), text on screen (OCR), scene analyses.

    Each hit gives the clip, the time range and the matching words.

    Examples: studio footage search "red car" | studio footage search night -l lib/ --json |
    studio footage search '"we need a plan"' --kind speech
    """
    from tasks.catalog import search as search_catalog
    from tasks.catalog import search_text

    settings = _settings()
    folder = library or settings.library_dir or settings.home / "library"
    kinds = _KINDS[kind]
    spoken = tuple(k for k in kinds if k != "scene")
    words = search_text(folder, text, kinds=spoken, limit=limit) if spoken else []
    scenes = search_catalog(folder, text, limit=limit) if "scene" in kinds else []
    if as_json:
        print_json(
            [hit.__dict__ for hit in words] + [{"kind": "scene", **hit.__dict__} for hit in scenes]
        )
        return
    if not words and not scenes:
        typer.echo("no matches")
    for found in words:
        typer.echo(
            f"{found.path} {found.start_s:.2f}-{found.end_s:.2f}s {found.kind}: "
            f"{' '.join(found.words)}\n    {found.snippet}"
        )
    for hit in scenes:
        blind = " [blind]" if hit.blind else ""
        typer.echo(
            f"{hit.path} scene {hit.scene} {hit.start_s:.1f}-{hit.end_s:.1f}s "
            f"(score {hit.score}){blind}\n    {hit.summary}"
        )


def register(app: typer.Typer) -> None:
    """Add ``analyze`` and the library search to the root app."""
    app.command("analyze")(analyze)
    from studio.cli import _footage

    footage_app = getattr(_footage, "footage_app", None)
    if isinstance(footage_app, typer.Typer):
        if search not in [c.callback for c in footage_app.registered_commands]:
            footage_app.command("search")(search)
    else:
        library_app = typer.Typer(help="The analysed footage library.", no_args_is_help=True)
        library_app.command("search")(search)
        app.add_typer(library_app, name="library")
