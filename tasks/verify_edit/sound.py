"""Checks on the render's sound: cuts on the beat, no cut inside a word, loudness.

The render's audio is decoded once (``tasks.audio.read_audio``, 16 kHz) and its loudness
measured on it, as the footage pass does for a source. Cuts are the joins
of the frame mapping (``Evidence.joins``): the output time of the first frame after each.
The source moment at each cut is the mapped frame's, refined on the sound (``_sync``):
beats are the source's own beats near that moment, words its transcript's.
"""

from __future__ import annotations

from core.exceptions import FootageError
from tasks.audio import SAMPLE_RATE, Word
from tasks.brief import Brief, CheckResult, Criterion

from ._crossfade_cuts import crossfade_cut
from ._evidence import Evidence, result
from ._heard import hear, heard_side, render_sound, source_sound, speeds
from ._joins import Join
from ._segments import Segment
from ._sync import switch_at

__all__ = ["LOUDNESS_TOLERANCE_LU", "check_beats", "check_loudness", "check_words"]

LOUDNESS_TOLERANCE_LU = 1.0
# A cut this close to a word's edge is at its edge: a frame of the mapping, Whisper's steps.
_WORD_EDGE_S = 0.05
# How much of a segment's end its out point is heard from (output s), and how far (source s)
# the sound may put it from the picture's time and still be the same moment.
_OUT_WINDOW_S = 0.4
_OUT_SLIP_S = 0.15


def _cuts(ev: Evidence) -> list[float]:
    return [round(j.after.out_start, 3) for j in ev.joins if j.kind in ("cut", "fade")]


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
    decoded, source = render_sound(ev), source_sound(ev, after.source)
    if decoded is None or source is None or not decoded.samples.shape[1]:
        return after.src_start
    frame = 1.0 / (ev.render.fps or 25.0)
    early = since + frame if after.out_start - since > 1.5 * frame else None
    found = []
    for speed in speeds(after.speed):
        heard = hear(decoded, source, after.out_start, after.src_start, speed, after.out_end)
        if heard is not None and early is not None:
            lead = (after.out_start - early) * speed  # source seconds the black frames hold
            sooner = hear(decoded, source, early, heard[1] - lead, speed, after.out_end)
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
    decoded, source = render_sound(ev), source_sound(ev, before.source)
    if speed <= 0 or decoded is None or source is None or not decoded.samples.shape[1]:
        return shown
    frame = 1.0 / (ev.render.fps or 25.0)
    end = before.out_end + frame  # the output time the last frame ends
    start = max(before.out_start, end - _OUT_WINDOW_S)
    guess = before.src_end - (before.out_end - start) * speed
    found = []
    for tried in speeds(speed):
        heard = hear(decoded, source, start, guess, tried, end)
        if heard is not None and abs(heard[1] - guess) <= _OUT_SLIP_S:
            found.append((heard[0], heard[1] + (end - start) * tried))
    return min(found, default=(0.0, shown))[1]


def _sound_cut(ev: Evidence, joins: list[Join], k: int) -> tuple[float, float] | None:
    """The out and in points of the cut ``joins[k]`` where its sound cuts, or None when unsure.

    A listener hears the cut where the render's sound goes from one source moment to the
    next, which need not be on the frame that shows the next shot: the planner cuts half a
    frame before a frame, and MoviePy may show a source's pictures a frame ahead of its sound
    (Megamind.avi). The sound each side plays is heard clear of the frames the cut may fall
    between (up to the neighbouring cuts), and the samples between are split where one gives
    way to the other (``_sync.switch_at``).
    """
    join = joins[k]
    before, after = join.before, join.after
    decoded = render_sound(ev)
    if decoded is None or not decoded.samples.shape[1]:
        return None
    frame = 1.0 / (ev.render.fps or 25.0)
    lo, hi = before.out_end - frame, after.out_start + frame
    since, until = _bounds(ev, joins, k)
    start, end = max(since, lo - _OUT_WINDOW_S), min(until, hi + _OUT_WINDOW_S)
    a, b = heard_side(ev, before, start, lo), heard_side(ev, after, hi, end)
    if a is None or b is None:
        return None
    cut = switch_at(decoded.mono, SAMPLE_RATE, a, b, lo, hi)
    return None if cut is None else (a.source_at(cut), b.source_at(cut))


def _bounds(ev: Evidence, joins: list[Join], k: int) -> tuple[float, float]:
    """The output span ``joins[k]``'s two pieces may be heard over: up to the next joins."""
    frame = 1.0 / (ev.render.fps or 25.0)
    since = joins[k - 1].after.out_start + frame if k else 0.0
    sound = render_sound(ev)
    last = sound.duration_s if sound is not None else ev.render.duration_s
    until = joins[k + 1].before.out_end - frame if k + 1 < len(joins) else last
    return since, until


def check_beats(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """Every cut within one frame of a beat: the source beat nearest the moment heard there."""
    decoded = render_sound(ev)
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

        decoded = source_sound(ev, source)
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
    first, on the sound's clock), are looked up in the words of their sources. A crossfade's
    are read off its blend (``crossfade_cut``); one that cannot be read leaves the check
    unmeasured unless another point splits a word.
    """
    # A crossfade's pieces are cut too: the sound of each plays at full level through the mix
    # and stops (starts) dead at its out (in) point.
    joins = [j for j in ev.joins if j.kind in ("cut", "fade", "crossfade")]
    if not ev.segments:
        return result(c, None, "no frame of the render matches the source", c.text)
    points: list[tuple[str, int, float | None]] = []
    for k, join in enumerate(joins):
        if join.kind == "crossfade":
            # Read off the blend (``_crossfade_cuts``): the last frames matched cleanly are
            # the blend's length short of where the outgoing piece stops.
            out_t, in_t = crossfade_cut(ev, join, *_bounds(ev, joins, k))
        else:
            heard = _sound_cut(ev, joins, k)
            out_t, in_t = heard if heard else (_out_point(ev, join.before), _in_point(ev, join))
        points += [("out", join.before.source, out_t), ("in", join.after.source, in_t)]
    # The edit's own start and end cut the source there too (a word begun before the first
    # in point is heard cut off); a source's own start or end splits nothing. Frames before
    # the first matched one (black) can only be the first piece's: it is played back to 0.
    first, last = ev.segments[0], ev.segments[-1]
    lead = first.out_start * (first.speed if first.speed and first.speed > 0 else 1.0)
    opening = max(0.0, _heard_from(ev, first, first.out_start) - lead)
    points = [("in", first.source, opening), *points, ("out", last.source, _out_point(ev, last))]
    problems, unread = [], []
    for side, source, t in points:
        words = _source_words(ev, source)
        if words is None:
            return result(c, None, "no speech recogniser is installed", c.text)
        if t is None:
            unread.append(f"{side} point of clip {source + 1}")
        elif (word := _inside(t, words)) is not None:
            problems.append(f'{side} point {t:.2f} s of clip {source + 1} splits "{word.text}"')
    measured = f"{len(joins)} cuts and the edit's ends; " + (
        "; ".join(problems[:6]) if problems else "none inside a word"
    )
    if unread:
        measured += f" (unread: {', '.join(unread[:4])})"
    # A split heard is a split; an unread point may be one, so no pass without it.
    return result(c, False if problems else (None if unread else True), measured, c.text)


def check_loudness(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """Integrated loudness of the render (pyloudnorm) within 1 LU of the target."""
    from tasks.audio.levels import integrated_lufs

    assert brief.sound is not None and brief.sound.loudness_lufs is not None
    target = brief.sound.loudness_lufs
    decoded = render_sound(ev)
    if decoded is None:
        return result(c, False, "the render has no audio track", c.text)
    value = integrated_lufs(decoded.samples, SAMPLE_RATE)
    if value is None:
        return result(c, False, "the render's audio is silent or too short to measure", c.text)
    passed = abs(value - target) <= LOUDNESS_TOLERANCE_LU
    return result(c, passed, f"the render measures {value:.1f} LUFS", c.text)
