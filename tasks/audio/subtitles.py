"""Subtitles from a transcript: cues of a few words, SRT (``srt``) and WebVTT (``webvtt-py``).

``cues`` groups a transcript's words into readable cues; ``retime`` carries cues through an
edit (pieces of source time placed on the output's timeline, at a speed), so the subtitles of
a cut follow its words; ``to_srt`` and ``to_vtt`` write the files' text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tasks.audio.model import Transcript, Word

__all__ = ["Cue", "Piece", "cues", "retime", "to_srt", "to_vtt"]

MAX_CHARS = 42  # the common broadcast limit for one subtitle line
MAX_CUE_S = 6.0
MAX_PAUSE_S = 0.8  # a longer silence between words starts a new cue
_MIN_CUE_S = 0.05


@dataclass(frozen=True)
class Cue:
    """One subtitle: ``text`` shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Piece:
    """Source time ``[source_start, source_end)`` shown from ``output_start`` at ``speed``."""

    source_start: float
    source_end: float
    output_start: float
    speed: float = 1.0


def cues(
    transcript: Transcript | Sequence[Word],
    *,
    max_chars: int = MAX_CHARS,
    max_duration: float = MAX_CUE_S,
    max_pause: float = MAX_PAUSE_S,
) -> list[Cue]:
    """Group words into cues: a new cue after a pause, a sentence end or too long a line.

    Args:
        transcript: The transcript, or its words.
        max_chars: Longest cue text.
        max_duration: Longest cue, seconds.
        max_pause: A silence longer than this between two words ends the cue.

    Returns:
        Cues in time order, each from its first word's start to its last word's end.
    """
    words = transcript.words if isinstance(transcript, Transcript) else list(transcript)
    out: list[Cue] = []
    group: list[Word] = []
    for word in words:
        if group:
            text = " ".join(w.text for w in [*group, word])
            if (
                word.start - group[-1].end > max_pause
                or len(text) > max_chars
                or word.end - group[0].start > max_duration
                or group[-1].text.endswith((".", "?", "!"))
            ):
                out.append(_cue(group))
                group = []
        group.append(word)
    if group:
        out.append(_cue(group))
    return out


def _cue(words: list[Word]) -> Cue:
    return Cue(words[0].start, max(words[-1].end, words[0].start + _MIN_CUE_S), _join(words))


def _join(words: Iterable[Word]) -> str:
    return " ".join(w.text.strip() for w in words if w.text.strip())


def retime(source_cues: Sequence[Cue], pieces: Sequence[Piece]) -> list[Cue]:
    """Carry cues through an edit: each piece shows the part of a cue inside its source span.

    Args:
        source_cues: Cues on the source's clock.
        pieces: The edit, as source spans placed on the output's timeline.

    Returns:
        Cues on the output's clock, in output order; a cue cut by the edit is shortened, one
        cut out is dropped, one shown twice appears twice. Parts shorter than 50 ms are dropped.
    """
    out: list[Cue] = []
    for piece in pieces:
        if piece.speed <= 0:
            raise ValueError(f"a piece's speed must be positive, got {piece.speed}")
        for cue in source_cues:
            start, end = max(cue.start, piece.source_start), min(cue.end, piece.source_end)
            if end - start < _MIN_CUE_S:
                continue
            out.append(
                Cue(
                    round(piece.output_start + (start - piece.source_start) / piece.speed, 3),
                    round(piece.output_start + (end - piece.source_start) / piece.speed, 3),
                    cue.text,
                )
            )
    return sorted(out, key=lambda c: (c.start, c.end))


def _delta(seconds: float) -> dt.timedelta:
    return dt.timedelta(milliseconds=round(max(0.0, seconds) * 1000))


def to_srt(items: Sequence[Cue]) -> str:
    """The cues as an SRT file's text (numbered from 1)."""
    import srt

    subtitles = [
        srt.Subtitle(index=i, start=_delta(c.start), end=_delta(c.end), content=c.text)
        for i, c in enumerate(items, start=1)
    ]
    return str(srt.compose(subtitles, reindex=False))


def _vtt_time(seconds: float) -> str:
    millis = round(max(0.0, seconds) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def to_vtt(items: Sequence[Cue]) -> str:
    """The cues as a WebVTT file's text."""
    import webvtt

    document = webvtt.WebVTT()
    for c in items:
        document.captions.append(webvtt.Caption(_vtt_time(c.start), _vtt_time(c.end), c.text))
    return str(document.content)
