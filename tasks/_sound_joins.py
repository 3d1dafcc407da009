"""Crossfade joins that leaving a word moved off their source's cut (private to plan_sound)."""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.edl import Segment

__all__ = ["unblend"]


def unblend(
    planned: Sequence[Segment], fitted: list[Segment], fps: Sequence[float]
) -> tuple[list[Segment], list[float]]:
    """Pieces joined by a crossfade moved off their source's cut, played as one piece.

    Returns the segments and the planned source times of the joins left out.

    Two pieces of one stretch meet at a shot change of the source; a crossfade there mixes
    two shots. Moved out of a word, the join lands inside one shot, where a crossfade would
    show the same take twice, a moment apart, over each other.
    """
    out: list[Segment] = fitted[:1]
    left: list[float] = []
    for was, now in zip(planned[1:], fitted[1:], strict=True):
        prev = out[-1]
        meets = prev.source == now.source and abs(prev.end - now.start) < 1e-6
        plain = prev.repeat == now.repeat == 1 and not (prev.reverse or now.reverse)
        same = plain and (prev.speed, prev.caption) == (now.speed, now.caption)
        frame = 1.0 / fps[now.source] if now.source < len(fps) and fps[now.source] > 0 else 0.04
        moved = abs(now.start - was.start) > frame + 1e-6  # more than the frame grid's rounding
        if now.transition == "crossfade" and meets and same and moved:
            out[-1] = prev.model_copy(update={"end": now.end})
            left.append(was.start)
        else:
            out.append(now)
    return out, left
