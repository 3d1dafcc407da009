"""Checks of what the edit starts and ends on: a picked shot, a named source time, a face.

Picks resolve through ``tasks.shots.pick_shot`` (and ``qualifying_shots``), as the planner's
do; a named time is read on the frame mapping; a face on the render's own frames.
"""

from __future__ import annotations

from tasks.brief import Brief, CheckResult, Criterion
from tasks.brief.criteria import describe_pick
from tasks.shots import pick_shot, qualifying_shots

from ._evidence import (
    DASH,
    Evidence,
    no_match,
    pick_durations,
    result,
    same_shot,
    segment_name,
    shot_name,
)
from ._faces import end_faces
from ._segments import Segment

__all__ = ["check_ends"]

# A start or end at a named source time: within this many frames of it. The plan puts the
# time on the source's frame grid (half a frame), matching may pick a neighbouring frame, and
# a render's first frame may be stamped a frame late (an AVI's pts 1): a frame each.
_TIME_FRAMES = 3.0


def check_ends(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """start_on / end_on: the shot of the first / last matched segment is one the pick names.

    "A face" is also looked for on the render's opening (closing) frames (``_faces``).
    """
    pick = brief.start_on if c.kind == "start_on" else brief.end_on
    assert pick is not None
    verb = "starts" if c.kind == "start_on" else "ends"
    # Read as the planner reads it: "the last shot" of an asked stretch is that stretch's.
    target = pick_shot(ev.shots, pick, brief.use, pick_durations(brief, ev))
    if target is None:
        return result(c, None, f"no shot qualifies as {describe_pick(pick)}", c.text)
    many = len(ev.sources) > 1
    # Every shot that meets the pick ("a face": any shot with one), as the planner chooses.
    accepted = qualifying_shots(ev.shots, pick, brief.use, pick_durations(brief, ev))
    where = (
        f"any of {len(accepted)} shots"
        if len(accepted) > 1
        else f"{shot_name(target, target.source, many)}, "
        f"{target.start_s:.1f}{DASH}{target.end_s:.1f} s"
    )
    asks = f"to {verb.removesuffix('s')} on {describe_pick(pick)} ({where})"
    if not ev.segments:
        return no_match(c, ev, asks)
    seg = ev.segments[0] if c.kind == "start_on" else ev.segments[-1]
    if pick.kind == "time" and pick.time_s is not None:
        return _at_time(c, ev, seg, pick.time_s, verb)
    t = seg.src_start if c.kind == "start_on" else seg.src_end
    measured = f"the edit {verb} on {segment_name(ev, seg)} (source {t:.1f} s)"
    if pick.kind in ("scene", "scene_from_end"):  # any part of it (a long take has parts)
        ok = seg.shot is not None and seg.shot.scene_key == target.scene_key
    else:
        ok = any(same_shot(seg.shot, shot) for shot in accepted)
    if pick.kind == "faces":
        return _on_faces(c, ev, ok, measured, asks)
    return result(c, ok, measured + ev.unmatched_note, asks)


def _on_faces(
    c: Criterion, ev: Evidence, on_face_shot: bool, measured: str, asks: str
) -> CheckResult:
    """A face must be on screen at the start (end), seen by the detector that measured shots.

    The render's own frames decide: a shot a face was seen in may have lost it by the frames
    the edit shows. The shot is still named, as where those frames come from; only with no
    detector to count with does the shot alone decide.
    """
    start = c.kind == "start_on"
    seen = end_faces(ev, start)
    if seen is None:
        return result(c, on_face_shot, measured + ev.unmatched_note, asks)
    shot = "a shot with a face" if on_face_shot else "a shot no face was measured in"
    measured += f", {shot}: {seen.describe(start)}"
    return result(c, seen.shows_a_face, measured + ev.unmatched_note, asks)


def _at_time(c: Criterion, ev: Evidence, seg: Segment, asked: float, verb: str) -> CheckResult:
    """The edit starts (ends) on the source moment ``asked``, within ``_TIME_FRAMES`` frames.

    The shot holding that moment is not enough: "start at 3 s" is not met by a start at
    2.1 s of the same shot. Output frames before the first (after the last) matched one, a
    fade's black, play on at the segment's speed: the moment is taken back (on) through them.
    A repeating picture may be any of its equal moments (``shifts``): any of them counts.
    """
    start = c.kind == "start_on"
    frame = 1.0 / max(1.0, ev.sources[seg.source].fps)
    speed = seg.speed if seg.speed is not None else 1.0
    if start:
        t = seg.src_start - seg.out_start * speed
    else:
        # The moment after the last frame shown, as an out point is written.
        last_frame = ev.render.duration_s - 1.0 / (ev.render.fps or 25.0)
        t = seg.src_end + (last_frame - seg.out_end) * speed + frame * (1 if speed >= 0 else -1)
    tolerance = _TIME_FRAMES * max(frame, 1.0 / 30.0)
    ok = any(abs(t + d - asked) <= tolerance for d in (0.0, *seg.shifts))
    measured = f"the edit {verb} on {segment_name(ev, seg)} at source {t:.2f} s"
    asks = f"to {verb.removesuffix('s')} at source {asked:g} s (within {tolerance:.2f} s)"
    return result(c, ok, measured + ev.unmatched_note, asks)
