"""Where sound fitting may move a planned segment's in and out points.

Two walls, one answer (``room``): the stretch of source the plan cut the segment from
(``PlannedSegment.window``: a point past it would show a sliver of another shot, out of any
order asked) and the scene of the source the point sits in (a point across a cut of the source
would open or close the segment on a flash of the next scene). Both give way only where the
plan plays one piece on into the next, as a named stretch split at the source's own cuts:
there the point where the two meet may move, and nothing is skipped or shown twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from tasks.plan_edit import EditPlan
from tasks.shots import Shot

__all__ = ["plays_on", "room"]

# A planned point this close to a cut of the source is on it (points are rounded to 1 ms).
_ON_CUT_S = 1e-3


def room(
    plan: EditPlan,
    number: int,
    durations: Sequence[float],
    shots: Sequence[Shot],
    share: bool,
    min_piece: float,
) -> tuple[float, float]:
    """The source stretch segment ``number``'s points may move within.

    When ``share``, a segment the plan plays on into the next may end inside the next one's
    stretch (less ``min_piece``, which the next one keeps) and across the source's cut
    between them. Not for cuts on the beat: there the source's own cut, played through, would
    be the change the viewer sees, off the beat.
    """
    seg = plan.edl.segments[number]
    lo, top = _window(plan, number, durations)
    on = share and number + 1 < len(plan.edl.segments) and plays_on(plan, number)
    if on:
        top = max(top, _window(plan, number + 1, durations)[1] - min_piece)
    # The parts of one long take are one scene: only a cut between scenes is a wall.
    lo = max(lo, _scene(shots, seg.source, seg.start, (lo, top), closing=False)[0])
    if not on:
        top = min(top, _scene(shots, seg.source, seg.end, (lo, top), closing=True)[1])
    return lo, top


def plays_on(plan: EditPlan, number: int) -> bool:
    """Whether the plan plays segment ``number`` on into the next (no cut between them)."""
    a, b = plan.edl.segments[number], plan.edl.segments[number + 1]
    return (
        a.source == b.source
        and not (a.reverse or b.reverse)
        and a.speed == b.speed
        and abs(a.end - b.start) <= 1e-3
    )


def _window(plan: EditPlan, number: int, durations: Sequence[float]) -> tuple[float, float]:
    """The source stretch segment ``number`` may use: the plan's window, within the clip."""
    seg = plan.edl.segments[number]
    limit = durations[seg.source] if seg.source < len(durations) else seg.end
    planned = plan.provenance
    window = planned[number].window if len(planned) == len(plan.edl.segments) else None
    return (0.0, limit) if window is None else (max(0.0, window[0]), min(limit, window[1]))


def _scene(
    shots: Sequence[Shot], source: int, t: float, whole: tuple[float, float], closing: bool
) -> tuple[float, float]:
    """The scene of clip ``source`` (between its cuts) that point ``t`` opens or closes.

    An out point on a cut closes the scene before it; an in point there opens the one after.
    ``whole`` when no measured shot holds ``t``.
    """
    mine = sorted((s for s in shots if s.source == source), key=lambda s: s.start_s)
    t += -_ON_CUT_S if closing else _ON_CUT_S
    held = [s for s in mine if (s.start_s < t <= s.end_s if closing else s.start_s <= t < s.end_s)]
    if not held:
        return whole
    parts = [s for s in mine if s.scene_key == held[0].scene_key]
    return parts[0].start_s, parts[-1].end_s
