"""Checks on the render's sound: cuts on the beat, no cut inside a word, loudness.

The render's audio is decoded once (``tasks.audio.read_audio``, 16 kHz) and its beats tracked
and its loudness measured on it, as the footage pass does for a source. Cuts are the joins
of the frame mapping (``Evidence.joins``): the output time of the first frame after each.
Words are checked twice: the sources' transcripts at the source points each join maps to
(a cut through a word leaves the word's tail out of the render, where no transcript of the
render can hear it), and the render's own transcript across each cut.
"""

from __future__ import annotations

from typing import Any

from core.exceptions import FootageError
from tasks.audio import SAMPLE_RATE, Word, read_audio
from tasks.brief import Brief, CheckResult, Criterion

from ._evidence import Evidence, result

__all__ = ["LOUDNESS_TOLERANCE_LU", "check_beats", "check_loudness", "check_words"]

LOUDNESS_TOLERANCE_LU = 1.0
# A cut this close to a word's edge is at its edge: a frame of the mapping, Whisper's steps.
_WORD_EDGE_S = 0.05


def _decoded(ev: Evidence) -> Any:
    if "sound" not in ev.cache:
        ev.cache["sound"] = read_audio(ev.render.path)
    return ev.cache["sound"]


def _cuts(ev: Evidence) -> list[float]:
    return [round(j.after.out_start, 3) for j in ev.joins if j.kind in ("cut", "fade")]


def check_beats(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """Every cut of the render within one frame of a beat tracked on the render's audio."""
    from tasks.audio.rhythm import rhythm

    decoded = _decoded(ev)
    if decoded is None or decoded.samples.shape[1] == 0:
        return result(c, False, "the render has no audio track to find beats in", c.text)
    cuts = _cuts(ev)
    if not cuts:
        return result(c, None, "the render has no cut to time", c.text)
    beats = rhythm(decoded.mono, SAMPLE_RATE).beats
    if not beats:
        return result(c, False, "no beat was found in the render's audio", c.text)
    frame = 1.0 / ev.render.fps
    misses = []
    offsets = []
    joins = [j for j in ev.joins if j.kind in ("cut", "fade")]
    for cut, join in zip(cuts, joins, strict=True):
        # On the render's own beats, or on the source's beat where the cut comes in.
        heard = min(beats, key=lambda b: abs(b - cut)) - cut
        source = _source_beats(ev, join.after.source)
        mapped = min((b - join.after.src_start for b in source), key=abs, default=heard)
        offset = min(heard, mapped, key=abs)
        offsets.append(abs(offset))
        if abs(offset) > frame + 1e-3:
            misses.append(f"{cut:.2f} s ({offset * 1000:+.0f} ms to a beat)")
    worst = max(offsets)
    measured = (
        f"{len(cuts) - len(misses)}/{len(cuts)} cuts within a frame ({frame * 1000:.0f} ms) "
        f"of a beat; worst {worst * 1000:.0f} ms"
    )
    if misses:
        measured += "; off the beat: " + ", ".join(misses[:6])
    return result(c, not misses, measured, c.text)


def _source_beats(ev: Evidence, source: int) -> list[float]:
    key = ("beats", source)
    if key not in ev.cache:
        from tasks.audio.rhythm import rhythm

        decoded = read_audio(ev.sources[source].path)
        ev.cache[key] = [] if decoded is None else rhythm(decoded.mono, SAMPLE_RATE).beats
    beats: list[float] = ev.cache[key]
    return beats


def _source_words(ev: Evidence, source: int) -> list[Word] | None:
    key = ("words", source)
    if key not in ev.cache:
        from tasks.audio import transcribe_clip

        try:
            ev.cache[key] = list(transcribe_clip(ev.sources[source].path)[0].words)
        except FootageError:
            ev.cache[key] = None
    words: list[Word] | None = ev.cache[key]
    return words


def _render_words(ev: Evidence) -> list[Word] | None:
    if "render_words" not in ev.cache:
        from tasks.audio import transcribe_clip

        try:
            ev.cache["render_words"] = list(transcribe_clip(ev.render.path)[0].words)
        except FootageError:
            ev.cache["render_words"] = None
    words: list[Word] | None = ev.cache["render_words"]
    return words


def _inside(t: float, words: list[Word]) -> Word | None:
    return next((w for w in words if w.start + _WORD_EDGE_S < t < w.end - _WORD_EDGE_S), None)


def check_words(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """No cut maps into a word of its source's transcript, nor falls inside a rendered word."""
    joins = [j for j in ev.joins if j.kind in ("cut", "fade")]
    if not joins:
        return result(c, None, "the render has no cut to check", c.text)
    heard = _render_words(ev)
    if heard is None:
        return result(c, None, "no speech recogniser is installed", c.text)
    problems = []
    for join in joins:
        cut = join.after.out_start
        for side, source, t in (
            ("out", join.before.source, join.before.src_end),
            ("in", join.after.source, join.after.src_start),
        ):
            words = _source_words(ev, source) or []
            word = _inside(t, words)
            if word is not None:
                problems.append(f'{side} point {t:.2f} s of clip {source + 1} splits "{word.text}"')
        word = _inside(cut, heard)
        if word is not None:
            problems.append(f'the cut at {cut:.2f} s falls inside "{word.text}"')
    measured = f"{len(joins)} cuts; " + (
        "; ".join(problems[:6]) if problems else "none inside a word"
    )
    return result(c, not problems, measured, c.text)


def check_loudness(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """Integrated loudness of the render (pyloudnorm) within 1 LU of the target."""
    from tasks.audio.levels import integrated_lufs

    assert brief.sound is not None and brief.sound.loudness_lufs is not None
    target = brief.sound.loudness_lufs
    decoded = _decoded(ev)
    if decoded is None:
        return result(c, False, "the render has no audio track", c.text)
    value = integrated_lufs(decoded.samples, SAMPLE_RATE)
    if value is None:
        return result(c, False, "the render's audio is silent or too short to measure", c.text)
    passed = abs(value - target) <= LOUDNESS_TOLERANCE_LU
    return result(c, passed, f"the render measures {value:.1f} LUFS", c.text)
