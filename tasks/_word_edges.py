"""Which word a cut point splits, and the nearest point on the frame grid that splits none.

A point splits a word when it falls past the word's start and more than ``EDGE_S`` before its
end. The allowance is one-sided, on purpose:

* Past a word's start there is none. The onset is what a listener hears as the word, and a
  point that clips it has nothing to spare: a render's sound cut is read on the sound, and a
  crossfade's mix hides the in piece's onset under the out piece, so the verifier reads such
  an in point up to a frame (42 ms at the trailer's 24 fps) late, against its 50 ms allowance
  (``tasks.verify_edit.sound``). Holdout7 case 8: an in point 27 ms into "based", inside the
  old two-sided 30 ms, was read 61 ms into it.
* Before a word's end, ``EDGE_S``: a tail that short is quiet, and Whisper's end times come
  in ~20 ms steps and run long into a pause. For an in point on the frame grid
  (``out_of_word``) it is a frame, up to ``_MOST_S``: words often run back to back, and the
  points outside a word at such a join, (end - allowance, start], must hold a frame (with
  30 ms and 40 ms frames, 0.2 s words at 25 fps left none: every frame 8 ms past a start);
  an in point read late moves out of the tail. Not for an out point: the edit's end is read
  up to ~22 ms early (the trailer's 8 s edit: planned 32 ms before the end of "don't", read
  54 ms before it), into the word.

So an in point keeps its word's onset whole (it opens before the onset or after the word),
and an out point plays no onset of a word it does not finish. The frame grid is the caller's
``step`` (``out_of_word``): a point rounded onto it is moved out again by whole steps.
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


def inside_word(t: float, words: Sequence[Word], edge: float = EDGE_S) -> Word | None:
    """The word a cut at ``t`` splits: past its start, more than ``edge`` before its end."""
    return next((w for w in words if w.start + _ON_S < t < w.end - edge), None)


def out_of_word(
    t: float, words: Sequence[Word], step: float, bounds: tuple[float, float], opening: bool
) -> float:
    """``t`` moved by whole ``step``s out of every word (the nearer way), if it splits one.

    ``opening``: ``t`` is an in point, allowed up to a frame before a word's end.

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
    if step <= 0 or inside_word(t, words, edge) is None:
        return t
    lo, hi = bounds
    ways = (_leave(t, words, step, edge, lo, -1), _leave(t, words, step, edge, hi, 1))
    free = [p for p in ways if p is not None]
    return min(free, key=lambda p: abs(p - t), default=t)


def _leave(
    t: float, words: Sequence[Word], step: float, edge: float, limit: float, way: int
) -> float | None:
    """The first point ``way`` (-1 back, 1 on) of ``t`` by whole steps that splits no word.

    None when it would pass ``limit``.
    """
    while (word := inside_word(t, words, edge)) is not None:
        out = word.start + _ON_S if way < 0 else word.end - edge
        # At least a step: a point a hair inside the word is still inside.
        t = round(t + way * max(1, math.ceil(abs(t - out) / step - 1e-9)) * step, 6)
        if way * (t - limit) > 1e-6:
            return None
    return t
