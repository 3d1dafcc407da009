"""Dips to black at a join: a fade the edit made, or the source's own dark frames.

Private to ``_joins``. A fade dims the pictures on either side of a join down to black. A
hard cut into a shot that opens on black (a trailer's first frames) darkens the render just
as much, but every dark frame there is the source's own picture: the edit dimmed nothing.
So a dark frame counts towards a dip only when it is darker than the source moment it
shows, and the dip is judged on those frames alone.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._footage import Footage
from ._matching import Match
from ._segments import Segment, in_shot, played_on

__all__ = ["beside_black", "dips_to_black"]

# How far from the join a dip to black is looked for (a fade transition is ~0.5 s).
_DIP_REACH_S = 0.3
# How far a fade's ramp into or out of black reaches from the black itself.
_RAMP_S = 0.6
# Mean luma (0-255) under which a frame is black enough to be a fade's bottom.
_DIP_LUMA = 40.0
# A dip is this much darker than the pictures around it, and a frame dimmed by the edit this
# much darker than the source moment it shows (their mean luma, 0-255).
_DIMMED = 0.4
# Luma levels that re-encoding adds to or takes from a black picture: no dimming.
_NOISE = 2.0


def _dimmed(
    render: Footage, sources: list[Footage], matches: list[Match], a: Segment, b: Segment, k: int
) -> bool:
    """Whether output frame ``k`` is darker than the source moment it shows.

    A matched frame shows its match (fingerprints match a dimmed frame too). A frame too dark
    to match shows ``a`` played on past its last frame or ``b`` before its first one (each
    within its shot): when either of those moments is as dark in the source, the frame may
    well be that moment, and nothing says the edit dimmed it.
    """
    if not sources:
        return True
    match = matches[k]
    if match.source is not None:
        moments = [(match.source, match.source_t)]
    else:
        t = float(render.times[k])
        shown = ((a, played_on(a, t)), (b, played_on(b, t, from_first=True)))
        moments = [(seg.source, at) for seg, at in shown if in_shot(seg.shot, at)]
    luma = float(render.luma[k])
    return all(
        luma < _DIMMED * float(sources[s].luma[sources[s].nearest(at)]) - _NOISE
        for s, at in moments
    )


def dips_to_black(
    render: Footage,
    sources: list[Footage],
    matches: list[Match],
    a: Segment,
    b: Segment,
    span: tuple[int, int],
    rate: float,
) -> bool:
    """Whether the render dips to black at the join of ``a`` and ``b`` (a fade).

    ``span`` is the output frames read either side of the join (within the two segments).
    The dip sits at the join itself, not at the edit's opening fade-in or closing fade-out a
    short segment away, and must be the edit's: frames the source shows as dark as they are
    make none (see ``_dimmed``).
    """
    lo, hi = span
    i, j = a.last, b.first
    luma = render.luma
    edge = min(float(luma[lo : i + 1].max()), float(luma[j : hi + 1].max()))
    near = max(1, round(_DIP_REACH_S * rate))
    dark = [
        float(luma[k])
        for k in range(max(lo, i - near), min(hi, j + near) + 1)
        if luma[k] < _DIP_LUMA and _dimmed(render, sources, matches, a, b, k)
    ]
    return bool(dark) and min(dark) < _DIMMED * edge


def beside_black(luma: NDArray[np.float32], i: int, j: int, rate: float) -> bool:
    """Whether black lies within a fade's ramp of the change between frames ``i`` and ``j``."""
    ramp = max(1, round(_RAMP_S * rate))
    return float(luma[max(0, i - ramp) : j + ramp + 1].min()) < _DIP_LUMA
