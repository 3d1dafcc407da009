"""``studio footage probe|sample``: look at a clip and choose the frames a vision model sees.

The sub-app object is ``footage_app`` so other areas can add commands to it (the operations
area adds ``footage search``). Bad clips raise ``FootageError``, which the root command prints
as one ``error: ...`` line with a non-zero exit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["footage_app", "register"]

footage_app = typer.Typer(
    name="footage",
    help="Probe clips and sample their frames (scene-aware, one decode pass).",
    no_args_is_help=True,
)


@footage_app.command("probe")
def probe_command(
    path: Annotated[Path, typer.Argument(help="The clip to probe.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the probe as JSON.")] = False,
) -> None:
    """Decode a clip once and report what it really holds (frames counted, not declared)."""
    from tasks.probe import probe

    result = probe(path)
    if as_json:
        typer.echo(result.model_dump_json())
    else:
        typer.echo(result.summary())


@footage_app.command("sample")
def sample_command(
    path: Annotated[Path, typer.Argument(help="The clip to sample.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the JPEGs and manifest.json.")],
    max_frames: Annotated[int, typer.Option("--max-frames", help="Frame budget.")] = 8,
    strategy: Annotated[
        str, typer.Option("--strategy", help="scene (default), uniform or keyframes.")
    ] = "scene",
    max_pixels: Annotated[
        int, typer.Option("--max-pixels", help="Pixel budget per frame (448*448 ~ 256 tokens).")
    ] = 448 * 448,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
) -> None:
    """Choose up to N representative frames in one decode pass; write JPEGs and a manifest."""
    from tasks.footage import sample_frames

    manifest = sample_frames(
        path, out, max_frames=max_frames, strategy=strategy, max_pixels=max_pixels
    )
    if as_json:
        typer.echo(json.dumps(manifest.model_dump(mode="json")))
        return
    video = manifest.video
    typer.echo(video.summary())
    typer.echo(
        f"{len(manifest.scenes)} scenes, {len(manifest.frames)} frames, "
        f"{manifest.visual_tokens} visual tokens "
        f"({manifest.tokens_per_minute:.0f} per minute of footage) -> {out}"
    )
    for frame in manifest.frames:
        typer.echo(
            f"  {frame.timestamp:8.2f}s  scene {frame.scene:<3} {frame.path.name}  "
            f"{frame.descriptors.to_text()}"
        )
    for note in manifest.notes:
        typer.echo(f"note: {note}")


def register(app: typer.Typer) -> None:
    """Add the ``footage`` sub-app to the root app."""
    app.add_typer(footage_app, name="footage")
