"""Where a crossfade cuts its two pieces: the blend's ends, read off its pictures.

The sandbox overlaps a crossfade's pieces (``sandbox.edl``): the incoming one starts at its
in point where the blend begins (its picture's share 0), the outgoing one plays on to its out
point where the blend ends, and both sounds play at full level in between. Neither end is a
frame the mapping matches (a blended frame shows neither piece alone), and the sound cannot
place them where a side is quiet, or too alike to the other to tell apart: a stop read where
the outgoing sound goes quiet put an out point half a second early. The blend's ends are read
off the pictures (``crossfade_span``: the share falls in a straight line between them), and
each piece's source time there is the one its sound plays: heard where it plays alone, just
outside the blend, and carried on at its speed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tasks.audio import SAMPLE_RATE

from ._evidence import Evidence
from ._heard import heard_side, render_sound
from ._join_lengths import crossfade_span
from ._joins import Join
from ._segments import Segment
from ._sync import Heard, switch_at

__all__ = ["crossfade_cut"]

# How much of a piece's sound, where it plays alone beside the blend, is matched (output s).
_ALONE_S = 0.4
# How far (frames) the sound may move a blend's end read off the pictures.
_SLACK_FRAMES = 2


def crossfade_cut(
    ev: Evidence, join: Join, since: float, until: float
) -> tuple[float | None, float | None]:
    """The out and in points (source s) of the crossfade ``join``; None where unreadable.

    ``since`` and ``until`` bound the output where the two pieces may be heard alone (the
    neighbouring joins). A point is unread when the blend is (pictures too alike to fit), or
    when its piece's sound is not heard beside it: the picture's clock is no stand-in there
    (a near-still face slowed to 0.5x mapped at 0.54x, 0.15 s of source off at its end).
    """
    sound = render_sound(ev)
    if sound is None or not sound.samples.shape[1]:
        return None, None  # no sound to hear either piece on
    span = crossfade_span(ev.render, ev.sources, join.before, join.after)
    frame = 1.0 / (ev.render.fps or 25.0)
    if span is None:
        return None, None
    start, stop = span
    # Each piece is heard where the render shows it alone beside the blend: a sliver of
    # blended frames matched to some moment of a piece is no part of what plays there.
    before = _shown_at(ev, start - frame, join.before)
    after = _shown_at(ev, stop + frame, join.after)
    if not before.out_start < start < stop < after.out_end or stop - start < 2 * frame:
        return None, None
    a = heard_side(ev, before, max(since, start - _ALONE_S), start - frame)
    b = heard_side(ev, after, stop + frame, min(until, stop + _ALONE_S))
    if a is not None and b is not None:
        # The blend is read off the pictures to a frame or so; the sound, where one side
        # joins or leaves the other about there, places it to a few samples (where a side
        # is quiet it cannot, and the picture's time stands).
        slack = _SLACK_FRAMES * frame
        start = _on_the_sound(sound.mono, a, b, start, slack, "before")
        stop = _on_the_sound(sound.mono, a, b, stop, slack, "after")
    return (
        None if a is None else a.source_at(stop),
        None if b is None else b.source_at(start),
    )


def _on_the_sound(
    sound: NDArray[np.float32], a: Heard, b: Heard, t: float, slack: float, through: str
) -> float:
    """Blend end ``t`` where the sound puts it, within ``slack`` (``t`` if it cannot)."""
    heard = switch_at(sound, SAMPLE_RATE, a, b, t - slack, t + slack, through=through)
    # A split at the edge of the span is the sound disagreeing, not placing it (one side
    # matched off beyond where it was heard): the picture's time stands.
    return heard if heard is not None and abs(heard - t) < 0.9 * slack else t


def _shown_at(ev: Evidence, t: float, piece: Segment) -> Segment:
    """The segment of ``piece``'s source shown at output ``t`` (``piece`` if none is)."""
    return next(
        (
            s
            for s in ev.segments
            if s.source == piece.source and s.first <= ev.render.nearest(t) <= s.last
        ),
        piece,
    )
