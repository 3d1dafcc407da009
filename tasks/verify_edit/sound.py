"""Checks on the render's sound: cuts on the beat, no cut inside a word, loudness.

The render's audio is decoded once (``tasks.audio.read_audio``, 16 kHz) and its loudness
measured on it, as the footage pass does for a source. Cuts are the joins
of the frame mapping (``Evidence.joins``): the output time of the first frame after each.
The source moment at each cut is the mapped frame's, refined on the sound (``_sync``):
beats are the source's own beats near that moment, words its transcript's.
"""

from __future__ import annotations

from typing import Any

from core.exceptions import FootageError
from tasks.audio import SAMPLE_RATE, Word, read_audio
from tasks.brief import Brief, CheckResult, Criterion

from ._evidence import Evidence, result
from ._joins import Join
from ._segments import Segment
from ._sync import Heard, heard_at, overlap_at, switch_at

__all__ = ["LOUDNESS_TOLERANCE_LU", "check_beats", "check_loudness", "check_words"]

LOUDNESS_TOLERANCE_LU = 1.0
# A cut this close to a word's edge is at its edge: a frame of the mapping, Whisper's steps.
_WORD_EDGE_S = 0.05
# How much of a segment's end its out point is heard from (output s), and how far (source s)
# the sound may put it from the picture's time and still be the same moment.
_OUT_WINDOW_S = 0.4
_OUT_SLIP_S = 0.15
_SPEED_STEP = 0.05
_FAR_S = 0.6
# A crossfade's length when none is asked: the planner's default (``EditDecisionList``).
_MIX_S = 0.5


def _decoded(ev: Evidence) -> Any:
    if "sound" not in ev.cache:
        ev.cache["sound"] = read_audio(ev.render.path)
    return ev.cache["sound"]


def _cuts(ev: Evidence) -> list[float]:
    return [round(j.after.out_start, 3) for j in ev.joins if j.kind in ("cut", "fade")]


def _source_audio(ev: Evidence, source: int) -> Any:
    key = ("audio", source)
    if key not in ev.cache:
        ev.cache[key] = read_audio(ev.sources[source].path)
    return ev.cache[key]


def _in_point(ev: Evidence, join: Join) -> float:
    """The source time heard at the cut: the mapped frame's, refined on the sound."""
    return _heard_from(ev, join.after, join.before.out_end)


def _heard_from(ev: Evidence, after: Segment, since: float) -> float:
    """The source time heard where ``after`` starts, the frames before it ending at ``since``.

    Black frames between the two segments (a dip, or the shot's own black opening, which no
    frame mapping can place) may be either side's. When the sound heard from the frame after
    ``since`` plays on, unbroken, into what is heard at ``after``'s first mapped frame, those
    frames are ``after``'s: its in point is the earlier one.
    """
    decoded, source = _decoded(ev), _source_audio(ev, after.source)
    if decoded is None or source is None or not decoded.samples.shape[1]:
        return after.src_start
    frame = 1.0 / (ev.render.fps or 25.0)
    early = since + frame if after.out_start - since > 1.5 * frame else None
    found = []
    for speed in _speeds(after.speed):
        heard = _heard(decoded, source, after.out_start, after.src_start, speed, after.out_end)
        if heard is not None and early is not None:
            lead = (after.out_start - early) * speed  # source seconds the black frames hold
            sooner = _heard(decoded, source, early, heard[1] - lead, speed, after.out_end)
            if sooner is not None and abs(heard[1] - sooner[1] - lead) <= frame * speed:
                heard = sooner
        if heard is not None:
            found.append(heard)
    best = min(found, key=lambda h: h[0], default=None)
    return after.src_start if best is None else best[1]


def _out_point(ev: Evidence, before: Segment) -> float:
    """The source time at the end of ``before``'s last frame, on the sound's clock.

    The frame mapping's times are the picture's, and a render's picture can run ahead of
    its sound (MoviePy shows an AVI whose first frame is stamped a frame late a frame early:
    an out point before a word read a frame into it). The sound of the segment's last
    moments, matched in the source, sets the clock; the picture's time stands without it.
    """
    rate = ev.sources[before.source].fps or ev.render.fps
    speed = before.speed if before.speed is not None else 1.0
    shown = before.src_end + abs(speed) / rate
    decoded, source = _decoded(ev), _source_audio(ev, before.source)
    if speed <= 0 or decoded is None or source is None or not decoded.samples.shape[1]:
        return shown
    frame = 1.0 / (ev.render.fps or 25.0)
    end = before.out_end + frame  # the output time the last frame ends
    start = max(before.out_start, end - _OUT_WINDOW_S)
    guess = before.src_end - (before.out_end - start) * speed
    found = []
    for tried in _speeds(speed):
        heard = _heard(decoded, source, start, guess, tried, end)
        if heard is not None and abs(heard[1] - guess) <= _OUT_SLIP_S:
            found.append((heard[0], heard[1] + (end - start) * tried))
    return min(found, default=(0.0, shown))[1]


def _sound_cut(
    ev: Evidence, joins: list[Join], k: int, mix_s: float = 0.0
) -> tuple[float, float] | None:
    """The out and in points of ``joins[k]`` where its sound cuts, or None when unsure.

    A listener hears the cut where the render's sound goes from one source moment to the
    next, which need not be on the frame that shows the next shot: the planner cuts half a
    frame before a frame, and MoviePy may show a source's pictures a frame ahead of its sound
    (Megamind.avi). The sound each side plays is heard clear of the frames the cut may fall
    between (up to the neighbouring cuts), and the samples between are split where one gives
    way to the other (``_sync.switch_at``).
    """
    join = joins[k]
    before, after = join.before, join.after
    decoded = _decoded(ev)
    if decoded is None or not decoded.samples.shape[1]:
        return None
    frame = 1.0 / (ev.render.fps or 25.0)
    lo, hi = before.out_end - frame, after.out_start + frame
    since = joins[k - 1].after.out_start + frame if k else 0.0
    until = joins[k + 1].before.out_end - frame if k + 1 < len(joins) else decoded.duration_s
    start, end = max(since, lo - _OUT_WINDOW_S), min(until, hi + _OUT_WINDOW_S)
    if join.kind == "crossfade":
        # Both sounds play through the mix: each is heard where it plays alone, the mix's
        # length (``mix_s``, and then some) from the pictures' last matched frames.
        start = max(since, before.out_end - mix_s - _OUT_WINDOW_S)
        lo = min(start + _OUT_WINDOW_S, lo)
        hi = min(after.out_start + mix_s, max(hi, until - _OUT_WINDOW_S))
        end = min(until, hi + _OUT_WINDOW_S)
    a, b = _side(ev, before, start, lo), _side(ev, after, hi, end)
    if a is None or b is None:
        return None
    if join.kind == "crossfade":
        both = overlap_at(decoded.mono, SAMPLE_RATE, a, b, start, end)
        return None if both is None else (a.source_at(both[1]), b.source_at(both[0]))
    cut = switch_at(decoded.mono, SAMPLE_RATE, a, b, lo, hi)
    return None if cut is None else (a.source_at(cut), b.source_at(cut))


def _side(ev: Evidence, seg: Segment, at: float, to: float) -> Heard | None:
    """``seg``'s sound heard from output ``at`` (towards ``to``, where it plays alone)."""
    source = _source_audio(ev, seg.source)
    mapped = seg.speed if seg.speed is not None else 1.0
    if source is None or mapped <= 0 or to - at < 0.05:
        return None  # a reversed shot, or too little sound clear of the cuts
    found = []
    # A still picture's mapped moments may be further off than the sound is searched
    # (Megamind's last scene by 0.5 s): nothing heard there, it is sought either side.
    for shift in (0.0, -_FAR_S, _FAR_S):
        for speed in _speeds(mapped):
            guess = seg.src_start + (at - seg.out_start) * speed + shift
            heard = _heard(_decoded(ev), source, at, guess, speed, to)
            if heard is not None:
                found.append((heard[0], Heard(source.mono, at, heard[1], speed, to)))
        if found:
            break
    return min(found, key=lambda f: f[0])[1] if found else None


def _speeds(mapped: float | None) -> list[float]:
    """The speeds a segment's sound is tried at: its mapped speed and the round one near it.

    The picture's slope is a few per cent off (0.755 for a 0.75x piece), which the sound,
    matched over 0.4 s, does not forgive; planned speeds are round (0.05 steps). A still
    shot's mapped speed is noise: the normal speed is tried too.
    """
    if mapped is None or mapped <= 0:
        return [1.0]
    return sorted({1.0, mapped, max(_SPEED_STEP, round(mapped / _SPEED_STEP) * _SPEED_STEP)})


def _heard(
    decoded: Any, source: Any, out_t: float, guess: float, speed: float, out_end: float
) -> tuple[float, float] | None:
    return heard_at(
        decoded.mono,
        source.mono,
        SAMPLE_RATE,
        out_t,
        max(0.0, guess),
        speed=speed,
        span_s=out_end - out_t,
    )


def check_beats(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """Every cut within one frame of a beat: the source beat nearest the moment heard there."""
    decoded = _decoded(ev)
    if decoded is None or decoded.samples.shape[1] == 0:
        return result(c, False, "the render has no audio track to find beats in", c.text)
    joins = [j for j in ev.joins if j.kind in ("cut", "fade")]
    if not joins:
        return result(c, None, "the render has no cut to time", c.text)
    frame = 1.0 / ev.render.fps
    misses = []
    offsets = []
    for join in joins:
        beats = _source_beats(ev, join.after.source)
        if not beats:
            misses.append(f"{join.after.out_start:.2f} s (no beat in clip {join.after.source + 1})")
            continue
        heard = _in_point(ev, join)
        offset = min((b - heard for b in beats), key=abs)
        offsets.append(abs(offset))
        if abs(offset) > frame + 1e-3:
            misses.append(f"{join.after.out_start:.2f} s ({offset * 1000:+.0f} ms to a beat)")
    within = len(joins) - len(misses)
    measured = f"{within}/{len(joins)} cuts within a frame ({frame * 1000:.0f} ms) of a beat"
    if offsets:
        measured += f"; worst {max(offsets) * 1000:.0f} ms"
    if misses:
        measured += "; off the beat: " + ", ".join(misses[:6])
    return result(c, not misses, measured, c.text)


def _source_beats(ev: Evidence, source: int) -> list[float]:
    key = ("beats", source)
    if key not in ev.cache:
        from tasks.audio.rhythm import rhythm

        decoded = _source_audio(ev, source)
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


def _inside(t: float, words: list[Word]) -> Word | None:
    return next((w for w in words if w.start + _WORD_EDGE_S < t < w.end - _WORD_EDGE_S), None)


def check_words(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """No cut's source points fall inside a word of that source's transcript.

    The render is not transcribed (a cut through a word leaves its tail out of the render,
    where no transcript of the render can hear it): each join's out and in points, where its
    sound cuts (``_sound_cut``; else the end of its last frame and the moment heard at its
    first, on the sound's clock), are looked up in the words of their sources.
    """
    # A crossfade's pieces are cut too: the sound of each plays at full level through the mix
    # and stops (starts) dead at its out (in) point.
    joins = [j for j in ev.joins if j.kind in ("cut", "fade", "crossfade")]
    if not ev.segments:
        return result(c, None, "no frame of the render matches the source", c.text)
    mix_s = brief.transition_s or _MIX_S
    points = []
    for k, join in enumerate(joins):
        heard = _sound_cut(ev, joins, k, mix_s)
        out_t, in_t = heard if heard else (_out_point(ev, join.before), _in_point(ev, join))
        points += [("out", join.before.source, out_t), ("in", join.after.source, in_t)]
    # The edit's own start and end cut the source there too (a word begun before the first
    # in point is heard cut off); a source's own start or end splits nothing. Frames before
    # the first matched one (black) can only be the first piece's: it is played back to 0.
    first, last = ev.segments[0], ev.segments[-1]
    lead = first.out_start * (first.speed if first.speed and first.speed > 0 else 1.0)
    opening = max(0.0, _heard_from(ev, first, first.out_start) - lead)
    points = [("in", first.source, opening), *points, ("out", last.source, _out_point(ev, last))]
    problems = []
    for side, source, t in points:
        words = _source_words(ev, source)
        if words is None:
            return result(c, None, "no speech recogniser is installed", c.text)
        word = _inside(t, words)
        if word is not None:
            problems.append(f'{side} point {t:.2f} s of clip {source + 1} splits "{word.text}"')
    measured = f"{len(joins)} cuts and the edit's ends; " + (
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
