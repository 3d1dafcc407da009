"""The arithmetic of a plan: how long each segment plays so the edit lasts what was asked.

Output length = sum of ``source length / speed`` over the segments, minus one transition
length per crossfade join (each part is kept at least two transitions long, so the compiled
script's ``min(transition_s, part / 2)`` overlap is always the full transition). Lengths are
shared by water-filling: every segment gets the same time (times its weight) unless its
window of source runs out, and what it cannot take goes to the others.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Slot", "fill", "place"]

# Bisection steps for the water level: 60 halvings reach far below a millisecond.
_STEPS = 60


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


def fill(slots: list[Slot], need: float, floor: float) -> list[float]:
    """Output seconds for each slot so they sum to ``need`` (or to all there is).

    Args:
        slots: The segments, in play order.
        need: Output seconds to share out (before transition overlaps are taken off).
        floor: The least a segment should play; a window shorter than that gives what it has.

    Returns:
        One output length per slot, each within ``[min(floor, cap), cap]``; their sum is
        ``need`` when the windows allow it, else the sum of the caps (the caller reports
        the shortfall). Floors give way only when even they add up to more than ``need``
        (the caller drops segments first).
    """
    floors = [min(floor, slot.cap) for slot in slots]
    caps = [slot.cap for slot in slots]

    def total(level: float) -> float:
        return sum(
            min(cap, max(low, level * slot.weight))
            for slot, low, cap in zip(slots, floors, caps, strict=True)
        )

    least = total(0.0)
    if least >= need:
        # Even the floors are too long (a tiny target, or only pinned segments left):
        # shrink them all alike rather than overshoot.
        return [low * need / least for low in floors] if least > 0 else floors
    top = max((cap / slot.weight for slot, cap in zip(slots, caps, strict=True)), default=0.0)
    if total(top) <= need:
        return caps
    low, high = 0.0, top
    for _ in range(_STEPS):
        mid = (low + high) / 2
        low, high = (mid, high) if total(mid) < need else (low, mid)
    lengths = [
        min(cap, max(floor_, high * slot.weight))
        for slot, floor_, cap in zip(slots, floors, caps, strict=True)
    ]
    # Bisection leaves a sliver of error: give it to the segment with the most room.
    excess = sum(lengths) - need
    room = max(range(len(slots)), key=lambda i: lengths[i] - floors[i])
    lengths[room] = max(floors[room], lengths[room] - excess)
    return lengths


def place(slot: Slot, output_s: float) -> tuple[float, float]:
    """Source in/out points for ``output_s`` of output, centred on the slot's peak.

    The segment slides to stay inside its window, so it never leaves the source.
    """
    length = min(output_s * slot.speed, slot.hi - slot.lo)
    start = min(max(slot.centre - length / 2, slot.lo), slot.hi - length)
    return start, start + length
