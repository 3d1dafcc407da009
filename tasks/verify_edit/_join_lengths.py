"""How long each join of the edit lasts, read off the decoded render: a dip's or a crossfade's.

What a length means follows how ``sandbox.edl`` renders it, so that planner and verifier agree:

- a dip to black (a "fade" join) is the whole time the picture is dimmed at the join. The
  sandbox cuts the outgoing piece to black and fades the incoming one up over
  ``transition_s``, so a "0.4 s dip" is 0.4 s from black to full picture. A render that also
  dims the outgoing piece on its way down has that ramp counted too (the whole dip).
- a crossfade is the time the two pictures are mixed: the sandbox overlaps the incoming piece
  on the outgoing one for ``transition_s`` and raises its opacity in a straight line, so the
  outgoing picture's share falls from 1 to 0 over exactly that time.

Both are read as a straight line's slope (a gain, or a blend weight, against time) fitted on
the frames part way along it, so neither depends on where the join's edge frame was decoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ._footage import Footage
from ._joins import MIXED, Join, blend_weights, mixed_run
from ._segments import Segment, in_shot, played_on

__all__ = ["crossfade_span", "join_length", "through_slivers"]

# How far either side of a join its ramps are read: past the longest transition planned (2 s).
_REACH_S = 2.5
# A source frame at least this bright (mean luma) gives a gain; a dark one's is noise.
_LIT = 16.0
# Gains (of the picture's own level) strictly between these are on the ramp.
_RAMP = (0.1, 0.9)
# Fewer frames than this on a ramp cannot time it.
_MIN_POINTS = 3
# How far (0-1) a crossfade's blend weight may climb back on its way down: fitting noise.
_RISE = 0.1
# How far past the join the bottom of a dip may lie (an outgoing frame matched as incoming).
_BLACK_REACH_S = 0.3
# A piece of the render this many frames long or shorter, between two joins, holds no
# transition of its own: blended frames in the middle of one crossfade that matched a moment.
_SLIVER = 3


def _rate(render: Footage) -> float:
    times = render.times
    return 1.0 / max(1e-3, float(np.median(np.diff(times)))) if len(times) > 1 else 25.0


def _gains(
    render: Footage, source: Footage, seg: Segment, frames: range, from_first: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(output times, gains) of ``frames``: each one's luma over its source moment's.

    The moment is the one ``seg`` shows there, played on at its speed: a frame too dim to
    match is timed all the same.
    """
    points = []
    for k in frames:
        t = float(render.times[k])
        at = played_on(seg, t, from_first=from_first)
        if not in_shot(seg.shot, at):
            continue
        own = float(source.luma[source.nearest(at)])
        if own >= _LIT:
            points.append((t, float(render.luma[k]) / own))
    if not points:
        return np.zeros(0), np.zeros(0)
    times, gains = np.array(points).T
    return times, gains


def _ramp_length(times: np.ndarray, gains: np.ndarray, away: bool) -> float | None:
    """Seconds a gain takes from 0 to the picture's level; ``away``: time runs from the black.

    Only the frames between the black and where the gain first reaches its level count (in
    the direction away from black): the line through them says how long the whole ramp is.
    0.0 when the picture is at its level beside the black (a cut to black), None when too few
    frames are lit to tell.
    """
    if len(times) < 4:
        return None
    order = np.argsort(times if away else -times)
    times, gains = times[order], gains[order]
    level = float(np.percentile(gains, 90))
    if level <= 0:
        return None
    full = np.flatnonzero(gains >= _RAMP[1] * level)
    if not full.size:
        return None
    before = slice(0, int(full[0]))
    on = (gains[before] > _RAMP[0] * level) & (gains[before] < _RAMP[1] * level)
    if int(on.sum()) < _MIN_POINTS:
        return 0.0
    slope = float(np.polyfit(times[before][on], gains[before][on], 1)[0])
    return level / abs(slope) if slope != 0 else None


def _dip_length(
    render: Footage, sources: list[Footage], a: Segment, b: Segment, segs: Sequence[Segment]
) -> float | None:
    """The whole dip: the outgoing picture's ramp down to black plus the incoming one's up.

    The way up is read on every frame after ``a``'s last one, against ``b`` played back to
    them (the darkest frames match nothing); the way down on ``a``'s own matched frames (a
    dimmed frame still matches its moment). Each way runs on through the pieces of the same
    shot beside ``b`` (``a``) in ``segs``: the dimmed frames of a near-still shot match its
    other moments, so a fade up can be split into slivers, each against its own moment. A
    way up too dark or short to read is no length.
    """
    reach = round(_REACH_S * _rate(render))
    source_b, source_a = sources[b.source], sources[a.source]
    up_to, rising = b.first + reach, []
    after = a.last + 1
    for seg in _same_shot_run(segs, b, 1):
        rising.append(_gains(render, source_b, seg, range(after, min(seg.last, up_to) + 1), True))
        after = seg.last + 1
        if after > up_to:
            break
    up = _ramp_length(*_from_the_black(*_joined(rising)), away=True)
    if up is None or up == 0.0:
        return None
    down_to, falling = a.last - reach, []
    before = a.last
    for seg in _same_shot_run(segs, a, -1):
        frames = range(max(seg.first, down_to), before + 1)
        falling.append(_gains(render, source_a, seg, frames, False))
        before = seg.first - 1
        if before < down_to:
            break
    down = _ramp_length(*_joined(falling), away=False)
    return up + (down or 0.0)


def _same_shot_run(segs: Sequence[Segment], seg: Segment, step: int) -> list[Segment]:
    """``seg`` and the pieces of its shot that follow it (``step`` 1) or precede it (-1)."""
    at = next((k for k, s in enumerate(segs) if s is seg), None)
    run = [seg]
    if at is None or seg.shot is None:
        return run
    k = at + step
    while 0 <= k < len(segs) and segs[k].source == seg.source and segs[k].shot == seg.shot:
        run.append(segs[k])
        k += step
    return run


def _from_the_black(times: np.ndarray, gains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The way up from its darkest frame near the join, on.

    Two pieces that meet in the source (a long take dipped between its parts) look alike at
    the join: the outgoing piece's last frame can match the incoming one, and its full
    picture would read as the way up already done.
    """
    if not len(times):
        return times, gains
    near = times <= times[0] + _BLACK_REACH_S
    start = int(np.argmin(np.where(near, gains, np.inf)))
    return times[start:], gains[start:]


def _joined(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(times, gains) of several runs of frames as one."""
    if not parts:
        return np.zeros(0), np.zeros(0)
    return np.concatenate([t for t, _ in parts]), np.concatenate([g for _, g in parts])


def crossfade_span(
    render: Footage, sources: list[Footage], a: Segment, b: Segment
) -> tuple[float, float] | None:
    """The output times the outgoing picture's share of the blend is 1 and 0; None if unread.

    Each frame about the join is fitted as a mix of the two pieces' source frames (see
    ``blend_weights``); the weights of the one run of blended frames at the join, against
    time, fall in a straight line from where the incoming piece starts (its share 0) to where
    the outgoing one stops (its share 0): the sandbox overlaps the two pieces there, sound
    and picture alike.
    """
    reach = round(_REACH_S * _rate(render))
    lo, hi = max(a.first, a.last - reach), min(b.last, b.first + reach)
    weights = blend_weights(render, sources, a, b, lo, hi)
    if weights is None:
        return None
    first, last = mixed_run(weights, a.last - lo, b.first - lo)
    run = np.array(weights[first : last + 1])
    times = np.asarray(render.times[lo + first : lo + last + 1], dtype=float)
    mixed = (run > MIXED[0]) & (run < MIXED[1])
    if int(mixed.sum()) < _MIN_POINTS:
        return None
    # A blend's share only falls: one that climbs back (the next piece predicted from the
    # wrong moment of a still street, fitted as part the old picture) cannot be timed.
    falling = run[mixed]
    if float((falling - np.minimum.accumulate(falling)).max()) > _RISE:
        return None
    slope, level = (float(v) for v in np.polyfit(times[mixed], run[mixed], 1))
    if slope >= 0:
        return None
    return (1.0 - level) / slope, -level / slope


def through_slivers(joins: list[Join]) -> list[Join]:
    """``joins``, each pair on either side of a sliver of a piece read as the one join.

    A long crossfade's middle frames can match a moment of a third picture for a frame or two
    (see ``_SLIVER``): the transition the viewer sees still runs from the piece before them
    to the piece after, and is timed between those two.
    """
    out: list[Join] = []
    for join in joins:
        last = out[-1] if out else None
        if (
            last is not None
            and last.after is join.before
            and last.kind == join.kind
            and join.before.last - join.before.first + 1 <= _SLIVER
        ):
            out[-1] = replace(last, after=join.after, output_t=(last.output_t + join.output_t) / 2)
        else:
            out.append(join)
    return out


def join_length(
    render: Footage, sources: list[Footage], join: Join, segs: Sequence[Segment] = ()
) -> float | None:
    """Seconds ``join`` (a fade or a crossfade) lasts on the render; None when unreadable.

    ``segs`` are the render's segments, in order: a dip is read on through the pieces of the
    joined shots next to it.
    """
    if not sources or not len(render.smalls):
        return None
    if join.kind == "fade":
        return _dip_length(render, sources, join.before, join.after, segs)
    if join.kind == "crossfade":
        span = crossfade_span(render, sources, join.before, join.after)
        return None if span is None else span[1] - span[0]
    return None
