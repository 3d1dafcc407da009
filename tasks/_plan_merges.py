"""Neighbouring windows played as one piece, where joins would cost the edit its length.

Private to ``tasks.plan_edit``, after the windows are chosen: a crossfade or a dip plays over
at most half the piece it leads into, and every crossfade overlaps the pieces it joins. Two
windows that continue each other in the source can become one piece instead (the source's
own cut between them stays a cut), so the joins play in full and the asked length is reached.
"""

from __future__ import annotations

from tasks._plan_fit import played
from tasks._plan_windows import Window

__all__ = ["hold_joins", "join_for_length"]


def join_for_length(
    windows: list[Window], target: float, least: float, cost: float
) -> list[Window]:
    """Play neighbours that follow on in the source as one piece while joins leave it short.

    Each join costs up to ``cost`` output seconds (a crossfade overlaps the segments it joins,
    at most half the piece it leads into).
    When the windows cannot play ``target`` and pay for every join, two neighbours that
    continue each other in the source (one clip, one speed and weight, neither pinned) become
    one window: the source's own cut between them stays a cut, and no overlap is paid there.
    The shortest such pair goes first, so the pieces stay even. Only done when it brings the
    edit to ``least`` (the asked length less its tolerance); otherwise every join stays and the
    plan reports the shortfall.
    """

    def plays(ws: list[Window]) -> float:
        return played([_plays(w) for w in ws], cost)

    if cost <= 0 or plays(windows) >= target - 1e-9:
        return windows
    joined = list(windows)
    while plays(joined) < target - 1e-9:
        pairs = [i for i in range(len(joined) - 1) if _follows_on(joined[i], joined[i + 1])]
        if not pairs:
            break
        _join_shortest(joined, pairs)
    return joined if plays(joined) >= least - 1e-9 else windows


def hold_joins(windows: list[Window], least: float) -> list[Window]:
    """Play a window too short for its joins as one piece with a neighbour that follows on.

    A crossfade or a dip plays over at most half the piece it leads into: on a piece shorter
    than ``least`` output seconds it would play too short. Such a window and its neighbour in
    the source become one piece (the source's own cut between them stays a cut), the shortest
    pair first; a short window with no such neighbour stays as it is.
    """
    joined = list(windows)
    while True:
        pairs = [
            i
            for i in range(len(joined) - 1)
            if _follows_on(joined[i], joined[i + 1])
            and min(_plays(joined[i]), _plays(joined[i + 1])) < least - 1e-9
        ]
        if not pairs:
            return joined
        _join_shortest(joined, pairs)


def _plays(window: Window) -> float:
    return (window.hi - window.lo) / window.speed


def _join_shortest(windows: list[Window], pairs: list[int]) -> None:
    """Make the shortest of the pairs ``(i, i + 1)`` of ``windows`` one window, in place."""
    i = min(pairs, key=lambda k: (windows[k + 1].hi - windows[k].lo) / windows[k].speed)
    a, b = windows[i], windows[i + 1]
    main = a if a.hi - a.lo >= b.hi - b.lo else b
    why = a.why if a.why == b.why else f"{a.why}; {b.why}"
    seams = [t for t in (a.seam, a.hi, b.seam) if t is not None]
    seam = min(seams, key=lambda t: abs(t - (a.lo + b.hi) / 2))
    windows[i : i + 2] = [Window(main.shot, a.lo, b.hi, why, a.speed, a.weight, seam=seam)]


def _follows_on(a: Window, b: Window) -> bool:
    """Whether ``b`` starts where ``a`` ends in the same clip, played alike and not pinned."""
    return (
        a.shot.source == b.shot.source
        and abs(b.lo - a.hi) <= 1e-3
        and a.speed == b.speed
        and a.weight == b.weight
        and not (a.pinned or b.pinned)
    )
