"""Cuts asked both on the beat and between words, where a piece's speech leaves no such cut.

``tasks.plan_sound`` puts each in point on a beat outside every word; where every beat near
it is spoken, whole words win and the cut is off the beat. Such a piece is left out when the
edit can spare it (so every cut left holds both asks), else the plan says which cut is off.
"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.edl import Segment, expected_duration
from tasks.brief import Brief
from tasks.plan_edit import EditPlan, length_bounds

__all__ = ["off_beat", "off_beat_note", "spare", "without"]


def off_beat(
    segments: Sequence[Segment], beats: Sequence[Sequence[float]], rate: float
) -> list[int]:
    """Indices of the pieces after the first whose in point is on no beat of their source.

    An in point on a beat is half a frame (of the output's ``rate``) before it.
    """
    off = []
    for number, seg in enumerate(segments):
        heard = beats[seg.source] if seg.source < len(beats) else []
        shown = seg.start + 0.5 / rate
        if number and heard and min(abs(b - shown) for b in heard) > 1e-3:
            off.append(number)
    return off


def off_beat_note(segments: Sequence[Segment], number: int) -> str:
    """What the plan says of an in point whole words kept off the beat."""
    return (
        f"the cut into piece {number + 1} (source {segments[number].start:.2f} s) is off the "
        "beat: every beat near it falls inside a word, and whole words were asked"
    )


def spare(
    plan: EditPlan,
    brief: Brief,
    fitted: Sequence[Segment],
    numbers: Sequence[int],
    durations: Sequence[float],
) -> int | None:
    """The first of ``numbers`` the edit can do without, or None.

    Not the first or last piece (the asked start and end), nor one that carries an ask of
    its own (a caption, a speed, a repeat, time reversed), nor any when a use of the source
    is asked (every scene, a stretch); and the edit without it still as long as asked.
    """
    if brief.use is not None or len(fitted) <= 2:
        return None
    low, high = length_bounds(brief.duration)
    for number in numbers:
        seg = fitted[number]
        if number == len(fitted) - 1 or seg.caption or seg.reverse:
            continue
        if seg.speed != 1.0 or seg.repeat != 1:
            continue
        rest = [s for k, s in enumerate(fitted) if k != number]
        edl = plan.edl.model_copy(update={"segments": rest})
        if low <= expected_duration(edl, list(durations)) <= high:
            return number
    return None


def without(plan: EditPlan, number: int, durations: Sequence[float]) -> EditPlan:
    """``plan`` with piece ``number`` left out, and a note saying why."""
    segments = plan.edl.segments
    rest = [s for k, s in enumerate(segments) if k != number]
    if rest[0].transition == "crossfade":  # nothing before it to mix with
        rest[0] = rest[0].model_copy(update={"transition": "cut"})
    edl = plan.edl.model_copy(update={"segments": rest})
    provenance = [p for k, p in enumerate(plan.provenance) if k != number]
    note = (
        f"piece {number + 1} (source {segments[number].start:.2f} s) was left out: every beat "
        "near its cut is spoken, and the cuts were asked on the beat and between words"
    )
    return plan.model_copy(
        update={
            "edl": edl,
            "provenance": provenance if len(provenance) == len(rest) else plan.provenance,
            "expected_duration_s": expected_duration(edl, list(durations)),
            "notes": [*plan.notes, note],
        }
    )
