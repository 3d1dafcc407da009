"""The arithmetic of a plan: how long each segment plays so the edit lasts what was asked.

Output length = sum of ``source length / speed`` over the segments, minus each crossfade's
overlap as the compiled script plays it (``played``): the full crossfade into a part at least
two crossfades long, half the part into a shorter one (``sandbox.edl.join_length``). Lengths
are shared by water-filling: every segment gets the same time (times its weight) unless its
window of source runs out, and what it cannot take goes to the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sandbox.edl import join_length

__all__ = ["Slot", "apart_in_scenes", "fill", "place", "played"]

# Bisection steps for the water level: 60 halvings reach far below a millisecond.
_STEPS = 60
# Crossfaded pieces of one take are at least this far apart in the source (``_apart``).
_APART_S = 1.0


@dataclass
class Slot:
    """One planned segment before its numbers are fixed.

    Attributes:
        lo: Earliest usable source time (the window's start).
        hi: Latest usable source time (the window's end).
        centre: Source time to centre the segment on (the shot's peak).
        speed: Playback speed.
        weight: Share of the time relative to the other segments.
    """

    lo: float
    hi: float
    centre: float
    speed: float = 1.0
    weight: float = 1.0

    @property
    def cap(self) -> float:
        """The most output time the window can give at this speed."""
        return max(0.0, self.hi - self.lo) / self.speed


def played(parts: Sequence[float], overlap: float) -> float:
    """Output seconds of pieces ``parts`` long played in turn, as the compiled script plays them.

    Each piece after the first crossfades in over ``overlap`` seconds (0 for cuts and dips,
    which overlap nothing), capped at half the piece: a crossfade into a 1.5 s piece overlaps
    0.75 s, not the 1 s asked. Never before the edit's start, as in the script.
    """
    cursor = 0.0
    for number, part in enumerate(parts):
        begin = max(cursor - join_length(overlap, part), 0.0) if number else cursor
        cursor = begin + part
    return cursor


def fill(slots: list[Slot], target: float, floor: float, overlap: float = 0.0) -> list[float]:
    """Output seconds for each slot so that, joined, they play ``target`` (or all there is).

    Args:
        slots: The segments, in play order.
        target: Output seconds the joined segments should play (``played``).
        floor: The least a segment should play; a window shorter than that gives what it has.
        overlap: Each crossfade's asked length (0 for cuts and dips).

    Returns:
        One output length per slot, each within ``[min(floor, cap), cap]``; joined they play
        ``target`` when the windows allow it, else all the caps (the caller reports the
        shortfall). Floors give way only when even they play longer than ``target`` (the
        caller drops segments first).
    """
    floors = [min(floor, slot.cap) for slot in slots]
    caps = [slot.cap for slot in slots]

    def at(level: float) -> list[float]:
        return [
            min(cap, max(low, level * slot.weight))
            for slot, low, cap in zip(slots, floors, caps, strict=True)
        ]

    if played(floors, overlap) >= target:
        # Even the floors are too long (a tiny target, or only pinned segments left):
        # shrink them all alike rather than overshoot.
        scale = _reach(lambda k: played([low * k for low in floors], overlap), target, 1.0)
        return [low * scale for low in floors]
    top = max((cap / slot.weight for slot, cap in zip(slots, caps, strict=True)), default=0.0)
    if played(caps, overlap) <= target:
        return caps
    return at(_reach(lambda level: played(at(level), overlap), target, top))


def _reach(plays: Callable[[float], float], target: float, high: float) -> float:
    """The least ``x`` in ``[0, high]`` at which the non-decreasing ``plays(x)`` is ``target``.

    By bisection; what it returns plays ``target`` within far below a millisecond.
    """
    low = 0.0
    for _ in range(_STEPS):
        mid = (low + high) / 2
        low, high = (mid, high) if plays(mid) < target else (low, mid)
    return high


def place(slot: Slot, output_s: float) -> tuple[float, float]:
    """Source in/out points for ``output_s`` of output, centred on the slot's peak.

    The segment slides to stay inside its window, so it never leaves the source.
    """
    length = min(output_s * slot.speed, slot.hi - slot.lo)
    start = min(max(slot.centre - length / 2, slot.lo), slot.hi - length)
    return start, start + length


def _apart(
    points: list[tuple[float, float]], slots: list[Slot], gap: float, fixed: Sequence[bool]
) -> list[tuple[float, float]]:
    """Neighbours in play order that meet in the source, slid at least ``gap`` apart.

    Two pieces of one take that meet (one ends where the next begins: peaks either side of a
    measured shot's edge in a long take) crossfaded into each other blend the take with
    itself a moment later, a ghost rather than a transition. The later piece slides on, or
    else the earlier one back, within its own window and keeping its length; a ``fixed``
    piece (a time the user named) never moves, nor does one with no room.
    """
    out = list(points)
    for i in range(1, len(out)):
        (a0, a1), (b0, b1) = out[i - 1], out[i]
        if max(b0 - a1, a0 - b1) >= gap:
            continue
        later = b0 >= a0  # which way is away from the other piece
        if not fixed[i]:
            shift = (a1 + gap - b0) if later else (a0 - gap - b1)
            if slots[i].lo - 1e-9 <= b0 + shift and b1 + shift <= slots[i].hi + 1e-9:
                out[i] = (b0 + shift, b1 + shift)
                continue
        if not fixed[i - 1]:
            shift = (b0 - gap - a1) if later else (b1 + gap - a0)
            before = out[i - 2] if i >= 2 else None
            moved = (a0 + shift, a1 + shift)
            clear = before is None or max(moved[0] - before[1], before[0] - moved[1]) >= gap
            if slots[i - 1].lo - 1e-9 <= moved[0] and moved[1] <= slots[i - 1].hi + 1e-9 and clear:
                out[i - 1] = moved
    return out


def apart_in_scenes(
    points: list[tuple[float, float]],
    slots: list[Slot],
    scenes: Sequence[object],
    fixed: Sequence[bool],
    joint: float,
) -> list[tuple[float, float]]:
    """Crossfaded neighbours of one scene kept apart in the source (``_apart``).

    Within each run of neighbours from one scene (parts of a long take, no cut between them),
    by at least a second, or by a crossfade's worth of source if that is more. Pieces of
    different scenes show different pictures: their crossfade is a transition, however close.
    """
    out, start = list(points), 0
    while start < len(points):
        end = start + 1
        while end < len(points) and scenes[end] == scenes[start]:
            end += 1
        run = slots[start:end]
        gap = max(_APART_S, joint * max(s.speed for s in run))
        out[start:end] = _apart(out[start:end], run, gap, fixed[start:end])
        start = end
    return out
