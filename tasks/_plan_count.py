"""How many segments a plan keeps, and how long its joins are, so the asked length fits.

Private to ``tasks.plan_edit``, after the windows are chosen and put in order. A plan that
cannot play every window at least its floor drops windows; an ask for every scene keeps them
all when shorter joins make room for them, and says so; when nothing does, it keeps what
fits and says how many scenes that is.
"""

from __future__ import annotations

from collections import Counter

from sandbox.edl import Segment, join_length
from tasks._plan_fit import played
from tasks._plan_windows import MAX_SEGMENTS, Window
from tasks.shots import MIN_WINDOW_S, Shot

__all__ = [
    "MIN_SEGMENT_S",
    "every_scene_notes",
    "fit_count",
    "joins_for_every_scene",
    "overlap",
    "overlaps",
    "piece_floor",
    "piece_least",
    "short_join_notes",
]

# No segment shorter than this: it would flash by.
MIN_SEGMENT_S = 0.75
# A crossfade or a dip shortened to let every scene in stays at least this long: shorter, it
# reads as a cut (and the verifier can no longer time it).
MIN_JOIN_S = 0.25
# Joins are shortened in steps of this (a hundredth of a second is below what a frame shows).
_JOIN_STEP_S = 0.01
_JOINS = {"crossfade": "crossfades", "fade": "dips to black"}
# How far a join's length may miss the asked one and still read as asked: the larger of these
# (the verifier's ``transition_s`` check allows the same), less a frame or so of margin.
_JOIN_SLACK_S, _JOIN_SLACK, _JOIN_MARGIN_S = 0.25, 0.2, 0.05


def overlap(transition: str, joint: float) -> float:
    """The asked overlap of each join: a crossfade's length; cuts and dips overlap nothing."""
    return joint if transition == "crossfade" else 0.0


def overlaps(count: int, transition: str, joint: float) -> float:
    """The most output seconds ``count`` segments can lose to their joins (crossfades overlap).

    Pieces shorter than two crossfades lose less (``tasks._plan_fit.played``).
    """
    return overlap(transition, joint) * max(count - 1, 0)


def piece_floor(transition: str, joint: float) -> float:
    """The least a segment plays: never a flash, and two joins long where joins have length.

    The compiled edit caps a join at half its piece (``sandbox.edl.join_length``): a dip or
    a crossfade plays as long as asked only on pieces at least two joins long.
    """
    return max(MIN_SEGMENT_S, 2 * joint if transition in ("crossfade", "fade") else 0.0)


def piece_least(transition: str, joint: float) -> float:
    """The shortest piece whose crossfade or dip still plays about as long as asked.

    A join into a piece shorter than two of it plays half the piece: near enough the asked
    length while within what the verifier allows a join (a quarter second or 20%), with a
    margin for frames. Cuts ask nothing of a piece.
    """
    if transition not in _JOINS:
        return 0.0
    slack = max(_JOIN_SLACK_S, _JOIN_SLACK * joint) - _JOIN_MARGIN_S
    return 2 * (joint - slack)


def fit_count(
    windows: list[Window], target: float, floor: float, transition: str, joint: float
) -> list[Window]:
    """Drop unpinned windows, evenly, until every segment can play at least ``floor``.

    The floors are joined as the compiled edit joins them: a window shorter than ``floor``
    plays all it has, and a crossfade into it overlaps only half of it.
    """
    while len(windows) > 1:
        # A window of more weight gets that many shares of the time: floors of it.
        floors = [min(floor * max(1.0, w.weight), (w.hi - w.lo) / w.speed) for w in windows]
        fits = played(floors, overlap(transition, joint)) <= target + 1e-9
        if fits and len(windows) <= MAX_SEGMENTS:
            break
        free = [i for i, w in enumerate(windows) if not w.pinned]
        if not free:
            break
        # Parts of the scene shown most often go first (every scene stays in while it can);
        # among them the middle-most, so the spread over the source stays even.
        counts = Counter(w.shot.scene_key for w in windows)
        most = max(counts[windows[i].shot.scene_key] for i in free)
        pool = [i for i in free if counts[windows[i].shot.scene_key] == most]
        drop = pool[len(pool) // 2] if len(pool) > 2 else pool[-1]
        fewer = windows[:drop] + windows[drop + 1 :]
        # A dip's floor is only its own length (dips overlap nothing): the edit's length comes
        # first, so no window goes that the asked length still needs; the dips then play
        # shorter, and the verifier says so.
        if transition == "fade" and sum((w.hi - w.lo) / w.speed for w in fewer) < target - 1e-9:
            break
        windows = fewer
    return windows


def joins_for_every_scene(
    windows: list[Window], target: float, transition: str, joint: float
) -> float:
    """The longest join, up to ``joint``, at which ``fit_count`` keeps a window of every scene.

    Every scene was asked for, and the joins' length is what costs the scenes their room: a
    crossfade (dip) needs pieces two of it long, and four 2 s pieces joined by 1 s crossfades
    play 5 s at the least. Shorter joins let every scene in; ``joint`` itself when it already
    does, or when no join down to ``MIN_JOIN_S`` does (then the plan keeps what fits).
    """
    scenes = {w.shot.scene_key for w in windows}

    def keeps(join: float) -> bool:
        kept = fit_count(windows, target, piece_floor(transition, join), transition, join)
        return {w.shot.scene_key for w in kept} == scenes

    # More scenes than an edit holds segments: no join length lets them all in.
    if transition not in _JOINS or len(scenes) > MAX_SEGMENTS or keeps(joint):
        return joint
    steps = int((joint - MIN_JOIN_S) / _JOIN_STEP_S + 1e-9)
    shorter = (round(joint - k * _JOIN_STEP_S, 2) for k in range(1, steps + 1))
    return next((join for join in shorter if keeps(join)), joint)


def every_scene_notes(
    shots: list[Shot],
    segments: list[Segment],
    target: float,
    transition: str,
    asked: float,
    joint: float,
) -> list[str]:
    """What a plan for "every scene" could not honour: its joins' length, or scenes left out.

    ``asked`` is the join length asked for, ``joint`` the one planned. A scene counts as shown
    when a segment plays any of it (two neighbours played as one piece show both).
    """
    scenes = {s.scene_key for s in shots}
    shown = {
        s.scene_key
        for s in shots
        for seg in segments
        if seg.source == s.source
        and min(seg.end, s.end_s) - max(seg.start, s.start_s) >= MIN_WINDOW_S
    }
    joins = _JOINS.get(transition)
    notes = []
    if joins and joint < asked:
        notes.append(
            f"every scene asked: {asked:.1f} s {joins} shortened to {joint:.2f} s so all "
            f"{len(scenes)} scenes fit in {target:.1f} s"
        )
    if len(shown & scenes) < len(scenes):
        how = f" with {joint:.1f} s {joins}" if joins else ""
        notes.append(
            f"every scene asked: {len(shown & scenes)} of {len(scenes)} scenes fit in "
            f"{target:.1f} s{how}"
        )
    return notes


def short_join_notes(segments: list[Segment], transition: str, joint: float) -> list[str]:
    """What the joins could not honour: crossfades or dips into pieces shorter than two of them.

    The compiled edit plays each such join over half its piece (``sandbox.edl.join_length``),
    and the plan's length counts it so: the edit keeps its length, and this says which joins
    play shorter than ``joint``.
    """
    joins = _JOINS.get(transition)
    lengths = [join_length(joint, (s.end - s.start) / s.speed * s.repeat) for s in segments[1:]]
    short = [length for length in lengths if length < joint - _JOIN_STEP_S / 2]
    if not joins or not short:
        return []
    return [
        f"{len(short)} of {len(lengths)} {joins} play as little as {min(short):.2f} s, not "
        f"{joint:.2f} s: the shots there are shorter than two {joins}"
    ]
