"""Subtitles of a rendered edit: the sources' words carried through its decision list.

The kept edit's decision list (``sandbox.edl``) says which span of which source plays where
on the output's timeline, at what speed and how often. ``edit_pieces`` turns it into
``tasks.audio.subtitles.Piece``s by the compiled script's own arithmetic (out points clamped
to the source, crossfades overlapping the part before, repeats back to back), and
``output_cues`` places every source word whose middle a piece shows onto the output's clock
(``retime``) and groups them into cues there, never across a cut. ``burn_in`` draws an SRT
onto a video with FFmpeg's ``subtitles`` filter (libass; the audio is copied untouched).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.exceptions import FootageError
from sandbox.edl import EditDecisionList
from tasks.audio.model import Transcript, Word
from tasks.audio.subtitles import Cue, Piece, cues, retime

__all__ = ["SourcePiece", "burn_in", "edit_pieces", "output_cues"]

# libass styles an SRT on a 384x288 canvas scaled to the picture: 20 is ~7% of the height.
_STYLE = "FontName=DejaVu Sans,Fontsize=20,Outline=2,Shadow=0,MarginV=12"


@dataclass(frozen=True)
class SourcePiece:
    """One played span: ``piece`` of source number ``source``."""

    source: int
    piece: Piece


def edit_pieces(edl: EditDecisionList, durations: Sequence[float] = ()) -> list[SourcePiece]:
    """Where each segment's source time lands in the output, as the compiled script plays it.

    Args:
        edl: The kept edit's decision list.
        durations: Each source's length, seconds, to clamp out points as the script does.

    Returns:
        One piece per play of each segment (``repeat`` plays back to back); reversed segments
        are left out, since their words are heard backwards.
    """
    out: list[SourcePiece] = []
    cursor = 0.0
    for number, seg in enumerate(edl.segments):
        end = seg.end
        if durations:
            end = min(end, durations[min(seg.source, len(durations) - 1)])
        start = min(seg.start, max(end - 0.1, 0.0))
        once = (end - start) / seg.speed
        part = once * seg.repeat
        begin = cursor
        if seg.transition == "crossfade" and number > 0:
            begin = max(cursor - min(edl.transition_s, part / 2), 0.0)
        if not seg.reverse:
            out += [
                SourcePiece(seg.source, Piece(start, end, begin + k * once, seg.speed))
                for k in range(seg.repeat)
            ]
        cursor = begin + part
    return out


def output_cues(
    edl: EditDecisionList,
    transcripts: Sequence[Transcript | None],
    durations: Sequence[float] = (),
) -> list[Cue]:
    """The output's subtitles: each piece's words retimed onto the output and grouped there.

    Args:
        edl: The kept edit's decision list.
        transcripts: Each source's transcript (None: nothing recognised), by source number.
        durations: Each source's length, seconds.

    Returns:
        Cues in output order; a word is shown where the piece holding its middle plays it,
        and a cue never spans a cut.
    """
    out: list[Cue] = []
    for played in edit_pieces(edl, durations):
        heard = transcripts[played.source] if played.source < len(transcripts) else None
        if heard is None:
            continue
        piece = played.piece
        said = [Cue(w.start, w.end, w.text) for w in heard.between(piece.source_start,
                                                                   piece.source_end)]  # fmt: skip
        placed = [
            Word(text=c.text, start=c.start, end=c.end, probability=1.0)
            for c in retime(said, [piece])
        ]
        out += cues(placed)
    return sorted(out, key=lambda c: (c.start, c.end))


def burn_in(video: Path, srt_text: str, target: Path) -> Path:
    """Write ``video`` with the SRT's cues drawn on its picture to ``target`` (audio copied).

    Raises:
        FootageError: FFmpeg could not draw them (one line: its last complaint).
    """
    import imageio_ffmpeg

    with tempfile.TemporaryDirectory(prefix="studio-subs-") as tmp:
        # A plain file name in the working folder: the filter's argument needs no escaping.
        (Path(tmp) / "cues.srt").write_text(srt_text, encoding="utf-8")
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
            "-i", str(video.resolve()), "-map", "0:v:0", "-map", "0:a?",
            "-vf", f"subtitles=cues.srt:force_style='{_STYLE}'",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
            "-c:a", "copy", "-movflags", "+faststart", str(target.resolve()),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
        raise FootageError(f"cannot burn the subtitles into {video.name}: {last}")
    return target
