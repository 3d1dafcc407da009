"""Fit a planned edit to its sound: cuts on the beat, never inside a spoken word.

``plan_edit`` decides the segments; this module moves their in and out points by a little
(at most about a beat) so that each cut lands on a beat of the source audio that plays there
and outside every word of its transcript, while the output keeps the planned length: each
out point is chosen against the planned output clock, so the error never accumulates, and
the last segment takes up what is left. Points fall on the source's frame grid, so an output
cut is exactly where the arithmetic puts it, and stay where ``tasks._sound_room`` lets them:
inside the stretch of source the plan cut each segment from, and never across a cut of the
source.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from sandbox.edl import Segment, expected_duration
from tasks._sound_beats import off_beat, off_beat_note, spare, without
from tasks._sound_joins import unblend
from tasks._sound_room import plays_on, room
from tasks._word_edges import EDGE_S, inside_word, out_of_word
from tasks.audio import ClipAudio, Word
from tasks.brief import Brief, ShotPick, SoundAsk
from tasks.plan_edit import EditPlan, length_bounds
from tasks.shots import Shot

__all__ = ["MIN_PIECE_S", "fit_to_sound", "inside_word", "with_speech_default"]

MIN_PIECE_S = 0.4
_REACH_S = 0.6
# The edit's own end moves out of a word by at most this much (output seconds).
_LAST_MOVE_S = 0.25


def with_speech_default(brief: Brief, audio: Sequence[ClipAudio | None]) -> Brief:
    """``brief`` whose planner keeps cuts out of words whenever any source has speech.

    Only the plan changes: the criteria stay the request's, so no job pays for checking
    words it did not ask about (``SoundAsk.avoid_words`` is not a criterion).
    """
    spoken = any(a is not None and a.transcript and a.transcript.words for a in audio)
    sound = brief.sound or SoundAsk()
    if not spoken or sound.whole_words or sound.avoid_words:
        return brief
    return brief.model_copy(update={"sound": sound.model_copy(update={"avoid_words": True})})


def _grid(t: float, fps: float) -> float:
    return round(round(t * fps) / fps, 6)


def _choose(
    t: float,
    beats: Sequence[float],
    words: Sequence[Word],
    bounds: tuple[float, float],
    reach: float,
    words_asked: bool = True,
    onset: float = 0.0,
) -> float:
    """The point nearest ``t`` that is on a beat (when given) and outside every word.

    When every beat in reach falls inside a word, the beat still wins unless whole words were
    asked for: keeping cuts out of words is then only the planner's speech default, and the
    request asked for the beat.
    """
    lo, hi = bounds
    for scale in (1.0, 2.0):
        near = [b for b in beats if abs(b - t) <= reach * scale and lo <= b <= hi]
        free = [b for b in near if inside_word(b, words, onset=onset) is None]
        if free:
            return min(free, key=lambda b: abs(b - t))
        if near and not words_asked:
            return min(near, key=lambda b: abs(b - t))
    word = inside_word(t, words, onset=onset)
    if word is None:
        return t
    edges = [e for e in (word.start, word.end) if lo <= e <= hi]
    return min(edges, key=lambda e: abs(e - t), default=t)


def fit_to_sound(
    plan: EditPlan,
    brief: Brief,
    audio: Sequence[ClipAudio | None],
    fps: Sequence[float],
    durations: Sequence[float],
    shots: Sequence[Shot] = (),
) -> EditPlan:
    """Move the plan's cut points onto beats and out of words, as ``brief.sound`` asks.

    A point never moves across a cut of the source (between the measured ``shots``' scenes):
    an out point moved past one would end its segment on a flash of the next scene.

    Args:
        plan: The planned edit (``tasks.plan_edit.plan_edit``).
        brief: The brief; only ``sound.beats`` and ``sound.whole_words`` matter here.
        audio: Each source's sound from the footage pass (None: not analysed or no track).
        fps: Each source's frame rate.
        durations: Each source's length, seconds.
        shots: The sources' measured shots (none: points move within the whole source).

    Returns:
        The plan with moved points (and a note per ask the sound cannot serve), or ``plan``
        itself when nothing is asked.
    """
    sound = brief.sound
    if sound is None or not (sound.beats or sound.whole_words or sound.avoid_words):
        return plan
    notes = list(plan.notes)
    segments = plan.edl.segments
    if sound.beats and any(s.transition == "crossfade" for s in segments[1:]):
        notes.append("cuts on the beat need hard cuts or fades: crossfades were kept as planned")
        return plan.model_copy(update={"notes": notes})
    if sound.beats and not any(_beats(audio, s.source) for s in segments):
        notes.append("no beat was found in the sound: cuts stay where planned")
    planned = _clock(segments)
    fitted = _fit_points(plan, brief, audio, fps, durations, planned, shots)
    first_src = segments[0].source if segments else 0
    out_rate = fps[first_src] if first_src < len(fps) and fps[first_src] > 0 else 25.0
    short = planned[-1] - _clock(fitted)[-1]
    if short > 1.0 / out_rate and len(segments) > 1:
        # Cuts held to beats (or out of words) inside their windows lost time that the last
        # segment, which moves its end only a little, could not make up: the first segment,
        # whose in point is on no beat, aims that much longer (starting earlier if it must).
        longer = [0.0, *(t + short for t in planned[1:-1]), planned[-1]]
        again = _fit_points(plan, brief, audio, fps, durations, longer, shots)
        if abs(planned[-1] - _clock(again)[-1]) < short:
            fitted = again
    if sound.beats and sound.whole_words:
        beats = [_beats(audio, source) for source in range(len(audio))]
        off = off_beat(fitted, beats, out_rate)
        drop = spare(plan, brief, fitted, off, durations)
        if drop is not None:  # every cut left can be on a beat and between words
            return fit_to_sound(without(plan, drop, durations), brief, audio, fps, durations, shots)
        notes += [off_beat_note(fitted, number) for number in off]
    unblended: list[float] = []
    if brief.duration is None:  # each join left out lengthens the edit by its overlap
        fitted, unblended = unblend(segments, fitted, fps)
    notes += [
        f"the crossfade at {t:.2f} s of the source was left out: a word runs across that "
        "shot change, and a crossfade moved off it would blend the take with itself"
        for t in unblended
    ]
    edl = plan.edl.model_copy(update={"segments": fitted})
    expected = expected_duration(edl, list(durations))
    return plan.model_copy(update={"edl": edl, "expected_duration_s": expected, "notes": notes})


def _fit_points(
    plan: EditPlan,
    brief: Brief,
    audio: Sequence[ClipAudio | None],
    fps: Sequence[float],
    durations: Sequence[float],
    planned: list[float],
    shots: Sequence[Shot],
) -> list[Segment]:
    """The plan's segments with points on beats and out of words, cut against ``planned``.

    ``planned`` is the output time of every cut (0 first, the edit's end last): each out
    point is chosen against it, so the error of one point never accumulates.
    """
    sound = brief.sound
    assert sound is not None
    segments = plan.edl.segments
    asked = sound.whole_words  # avoid_words alone is the speech default (with_speech_default)
    room_lo, room_hi = _length_room(brief, plan.expected_duration_s)
    first_src = segments[0].source if segments else 0
    out_rate = fps[first_src] if first_src < len(fps) and fps[first_src] > 0 else 25.0
    fitted: list[Segment] = []
    clock = 0.0
    # A start (end) time the user named is where the edit starts (ends): on the frame grid,
    # never moved onto a beat or out of a word.
    named_start, named_end = _named_time(brief.start_on), _named_time(brief.end_on)
    for number, seg in enumerate(segments):
        src = seg.source
        rate = fps[src] if src < len(fps) and fps[src] > 0 else 25.0
        beats = _beats(audio, src) if sound.beats else []
        words = _words(audio, src) if sound.whole_words or sound.avoid_words else []
        reach = max(_REACH_S, 0.6 * _period(beats))
        share = not sound.beats
        lo, top = room(plan, number, durations, shots, share, MIN_PIECE_S)
        first, last = number == 0, number == len(segments) - 1
        per_second = seg.speed / seg.repeat  # source seconds per output second
        if first and named_start:
            start = _grid(seg.start, rate)
        elif share and not first and plays_on(plan, number - 1):
            start = fitted[-1].end  # plays on: no cut here, so no word split either
        else:
            # A segment at its window's end starts earlier when the time it has to make up
            # (the planned clock) would run past the last out point there (the last beat
            # before it, when cut on the beat): else the edit comes up short.
            cap = max((b for b in beats if lo < b <= top), default=top) if not last else top
            aim = max(lo, min(seg.start, cap - (planned[number + 1] - clock) * per_second))
            # An in point on a beat moves half a frame earlier: it must stay inside too.
            latest = top - MIN_PIECE_S
            if first and not asked:  # as the last out point: the length comes first
                latest = min(latest, aim - room_lo * per_second)
            inside = (lo + 0.5 / out_rate, latest)
            start = _choose(aim, [] if first else beats, words, inside, reach, asked)
            # On a beat, the new shot's first frame (half a frame after the cut) shows the
            # beat. A beat that won over the speech default stays in its word (``_choose``).
            keep = [] if not asked and start in beats else words
            start = round(start - 0.5 / out_rate, 6) if start in beats else _grid(start, rate)
            start = out_of_word(start, keep, 1.0 / rate, (lo, latest), True)
            if first:  # the length the edit's start gave up is no longer the end's to give
                room_lo = min(0.0, room_lo + max(0.0, start - aim) / per_second)
        want = start + (planned[number + 1] - clock) * per_second
        bounds = (start + MIN_PIECE_S, top)
        if last:  # the length asked comes before the last word's tail
            move_lo = max(-_LAST_MOVE_S, room_lo) * per_second
            move_hi = min(_LAST_MOVE_S, room_hi) * per_second
            near = (max(bounds[0], want + move_lo), min(bounds[1], want + move_hi))
            # Cuts held to beats and words may have taken more time than the window has left:
            # the end is then the window's, and still leaves a word within it.
            bounds = near if near[0] <= near[1] else bounds
        if last and named_end:
            end = _grid(seg.end, rate)
        else:
            end = _choose(want, [] if last else beats, words, bounds, reach, asked, EDGE_S)
            keep = [] if not asked and end in beats else words
            end = _grid(min(max(end, start + MIN_PIECE_S), top), rate)
            if not last:
                end = _half_frame_cut(start, end, clock, per_second, out_rate)
            # By whole output frames, so a half-frame cut stays one (a source frame at the end).
            step = (1.0 / rate) if last else per_second / out_rate
            if end > top + 1e-6:  # the half-frame cut went past the window
                end = round(end - step, 6)
            # Within ``bounds``: the edit's end leaves a word only within the asked length.
            end = out_of_word(end, keep, step, bounds, False)
        fitted.append(seg.model_copy(update={"start": start, "end": end}))
        clock += (end - start) / per_second
    return fitted


def _named_time(pick: ShotPick | None) -> bool:
    return pick is not None and pick.kind == "time" and pick.time_s is not None


def _length_room(brief: Brief, planned_s: float) -> tuple[float, float]:
    """How far (output seconds) the edit's end may move and the length still meet the ask.

    A plan already outside the bounds (a source too short) may move only towards them.
    """
    low, high = length_bounds(brief.duration)
    return min(0.0, low - planned_s), max(0.0, high - planned_s)


def _half_frame_cut(start: float, end: float, clock: float, rate: float, fps: float) -> float:
    """``end`` moved (under a frame) so that the output cut falls half a frame before a frame.

    The render is written at the source's rate: a cut exactly on an output frame's time is
    decided by rounding (the frame may show either side), half a frame off it is not. The next
    segment's first frame then shows its in point plus half a frame: that frame, robustly.
    """
    cut = clock + (end - start) / rate
    moved = (max(round(cut * fps - 0.5), round(clock * fps + 0.5)) + 0.5) / fps
    return round(start + (moved - clock) * rate, 6)


def _clock(segments: Sequence[Segment]) -> list[float]:
    """Planned output time of each cut: 0, then the end of every segment."""
    times = [0.0]
    for seg in segments:
        times.append(times[-1] + (seg.end - seg.start) / seg.speed * seg.repeat)
    return times


def _beats(audio: Sequence[ClipAudio | None], source: int) -> list[float]:
    clip = audio[source] if source < len(audio) else None
    return list(clip.rhythm.beats) if clip is not None and clip.rhythm is not None else []


def _words(audio: Sequence[ClipAudio | None], source: int) -> list[Word]:
    clip = audio[source] if source < len(audio) else None
    if clip is None or clip.transcript is None:
        return []
    return list(clip.transcript.words)


def _period(beats: Sequence[float]) -> float:
    gaps = sorted(b - a for a, b in pairwise(beats) if b > a)
    return gaps[len(gaps) // 2] if gaps else 0.0
