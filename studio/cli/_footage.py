"""``studio footage probe|sample|transcribe``: look at a clip, choose its frames, hear it.

The sub-app object is ``footage_app`` so other areas can add commands to it (the operations
area adds ``footage search``). Bad clips raise ``FootageError``, which the root command prints
as one ``error: ...`` line with a non-zero exit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from studio.cli._output import print_json, progress, set_interrupt_note

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
    """Decode a clip once and report what it really holds (frames counted, not declared).

    Examples: studio footage probe clip.mp4 | studio footage probe clip.mp4 --json
    """
    from tasks.probe import probe

    with progress(f"probing {path.name}"):
        result = probe(path)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(result.summary())


@footage_app.command("sample")
def sample_command(
    path: Annotated[Path, typer.Argument(help="The clip to sample.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Directory for the JPEGs and manifest.json."),
    ] = None,
    max_frames: Annotated[int, typer.Option("--max-frames", min=1, help="Frame budget.")] = 8,
    strategy: Annotated[
        Literal["scene", "uniform", "keyframes"],
        typer.Option("--strategy", help="Scene cuts, evenly spaced, or the codec's keyframes."),
    ] = "scene",
    max_pixels: Annotated[
        int, typer.Option("--max-pixels", help="Pixel budget per frame (448*448 ~ 256 tokens).")
    ] = 448 * 448,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
    out: Annotated[Path | None, typer.Option("--out", hidden=True)] = None,  # old name
) -> None:
    """Choose up to N representative frames in one decode pass; write JPEGs and a manifest.

    Examples: studio footage sample clip.mp4 -o frames/ |
    studio footage sample clip.mp4 -o frames/ --max-frames 4 --strategy uniform --json
    """
    from tasks.footage import sample_frames

    out = output or out
    if out is None:
        raise typer.BadParameter("a directory is required", param_hint="'--output' / '-o'")
    set_interrupt_note(f"frames written so far in {out} are replaced by the next run")
    with progress(f"decoding {path.name}", unit=" frames") as update:
        manifest = sample_frames(
            path,
            out,
            max_frames=max_frames,
            strategy=strategy,
            max_pixels=max_pixels,
            progress=lambda done, total: update(done, total),
        )
    if as_json:
        print_json(manifest.model_dump(mode="json"))
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
    for scene in manifest.scenes:
        if scene.audio is not None:
            typer.echo(
                f"  {scene.start_s:8.2f}s  scene {scene.index:<3} heard: {scene.audio.to_text()}"
            )
    for note in manifest.notes:
        typer.echo(f"note: {note}")


@footage_app.command("transcribe")
def transcribe_command(
    path: Annotated[Path, typer.Argument(help="The clip (or audio file) to transcribe.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print words with timings and speech spans as JSON.")
    ] = False,
    as_srt: Annotated[bool, typer.Option("--srt", help="Print SRT subtitles.")] = False,
    as_vtt: Annotated[bool, typer.Option("--vtt", help="Print WebVTT subtitles.")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead.")
    ] = None,
) -> None:
    """Transcribe a clip's speech offline (Whisper tiny.en), with word timings.

    Examples: studio footage transcribe clip.mp4 | studio footage transcribe clip.mp4 --srt
    -o clip.srt | studio footage transcribe clip.mp4 --json
    """
    from tasks.audio import cues, to_srt, to_vtt, transcribe_clip

    if sum((as_json, as_srt, as_vtt)) > 1:
        raise typer.BadParameter("choose one of --json, --srt, --vtt")
    with progress(f"transcribing {path.name}"):
        transcript, spans, notes = transcribe_clip(path)
    if as_json:
        text = json.dumps(
            {
                **transcript.model_dump(mode="json"),
                "text": transcript.text,
                "spans": [s.model_dump(mode="json") for s in spans],
                "notes": notes,
            },
            indent=2,
        )
    elif as_srt or as_vtt:
        text = (to_srt if as_srt else to_vtt)(cues(transcript))
    else:
        lines = [f"{c.start:8.2f}s {c.end:8.2f}s  {c.text}" for c in cues(transcript)]
        text = "\n".join(lines) if lines else "(no speech)"
    if output is not None:
        try:
            output.write_text(text if text.endswith("\n") else text + "\n")
        except OSError as exc:
            raise typer.BadParameter(f"cannot write {output}: {exc.strerror or exc}") from None
        typer.echo(f"{len(transcript.words)} words -> {output}", err=True)
    else:
        typer.echo(text.rstrip("\n"))
    for note in notes:
        typer.echo(f"note: {note}", err=True)


def register(app: typer.Typer) -> None:
    """Add the ``footage`` sub-app to the root app."""
    app.add_typer(footage_app, name="footage")
