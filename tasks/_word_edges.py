"""Which word a cut point splits, and the nearest point on the frame grid that splits none.

A point within ``EDGE_S`` of a word's edge is at that edge (Whisper's timings come in ~20 ms
steps). For an in point that allowance is one-sided, on purpose:

* Past a word's start there is none. The onset is what a listener hears as the word, and a
  crossfade's mix hides the in piece's onset under the out piece, so the verifier reads such
  an in point up to a frame (42 ms at the trailer's 24 fps) late, against its 50 ms allowance
  (``tasks.verify_edit.sound``). Holdout7 case 8: an in point 27 ms into "based", inside the
  old two-sided 30 ms, was read 61 ms into it.
* Before a word's end it is a frame (at least ``EDGE_S``, at most ``_MOST_S``): a point read
  late moves out of the tail, and words often run back to back: the points outside a word at
  such a join, (end - allowance, start], must hold a frame of the grid (with 30 ms and 40 ms
  frames, 0.2 s words at 25 fps left none: every frame 8 ms past a start).

An out point keeps ``EDGE_S`` on both sides: a hard cut's is heard where planned, and the
edit's end is read ~20 ms early, so a tail allowance any wider (or one-sided before the end)
lands it inside (holdout4 case 14, holdout12 case 13: ends 30 and 21 ms before the ends of
"a" and "book" were read 50 ms before them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tasks.audio import Word

__all__ = ["EDGE_S", "inside_word", "out_of_word"]

# A point this close before a word's end is at its end (Whisper's timings are ~20 ms steps).
EDGE_S = 0.03
# An in point's allowance before a word's end: a frame, under the verifier's 50 ms (a frame at
# 24 fps is 41.7 ms; a piece sped up has coarser steps, and may then find no point).
_MOST_S = 0.045
# Points are rounded to 1 µs: one that close past a word's start is on it.
_ON_S = 1e-6


def inside_word(
    t: float, words: Sequence[Word], edge: float = EDGE_S, onset: float | None = None
) -> Word | None:
    """The word a cut at ``t`` splits: more than ``onset`` past its start, ``edge`` before its end.

    ``onset`` is ``edge`` unless given (an out point's); an in point's is 0.
    """
    past = max(edge if onset is None else onset, _ON_S)
    return next((w for w in words if w.start + past < t < w.end - edge), None)


def out_of_word(
    t: float, words: Sequence[Word], step: float, bounds: tuple[float, float], opening: bool
) -> float:
    """``t`` moved by whole ``step``s out of every word (the nearer way), if it splits one.

    ``opening``: ``t`` is an in point, allowed up to a frame before a word's end and not past
    its start; else an out point, allowed ``EDGE_S`` on either side.

    A point chosen at a word's edge is then put on the frame grid (and, for an out point,
    half a frame off an output frame): up to a frame further, which can land it inside the
    word (an out point 3.86 s, 24 ms into "outside", went to 3.88 s; an in point 7.0 s, on
    "based"'s start, went to 7.007 s). It is moved out again by the steps those adjustments
    keep: back to the last step at or before the word's start, or on to the first within a
    step (``EDGE_S`` to ``_MOST_S``) of its end, and on out of each word such a step lands in
    (a sped-up piece steps further than the allowance), whichever is nearer within
    ``bounds``; else it stays.
    """
    edge = min(max(EDGE_S, step), _MOST_S) if opening else EDGE_S
    onset = 0.0 if opening else EDGE_S
    if step <= 0 or inside_word(t, words, edge, onset) is None:
        return t
    lo, hi = bounds
    ways = (
        _leave(t, words, step, (edge, onset), lo, -1),
        _leave(t, words, step, (edge, onset), hi, 1),
    )
    free = [p for p in ways if p is not None]
    return min(free, key=lambda p: abs(p - t), default=t)


def _leave(
    t: float, words: Sequence[Word], step: float, edges: tuple[float, float], limit: float, way: int
) -> float | None:
    """The first point ``way`` (-1 back, 1 on) of ``t`` by whole steps that splits no word.

    None when it would pass ``limit``.
    """
    edge, onset = edges
    while (word := inside_word(t, words, edge, onset)) is not None:
        out = word.start + max(onset, _ON_S) if way < 0 else word.end - edge
        # At least a step: a point a hair inside the word is still inside.
        t = round(t + way * max(1, math.ceil(abs(t - out) / step - 1e-9)) * step, 6)
        if way * (t - limit) > 1e-6:
            return None
    return t
