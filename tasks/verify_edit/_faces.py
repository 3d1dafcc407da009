"""Faces on the render's first or last frames, counted as the footage pass counts them.

A start or end on "a face" is a promise about what the viewer sees first or last, so it
is read from the render itself: the frames of its first (last) ``SPAN_S`` seconds of
picture, decoded in colour at ``tasks.measure_shots.FACE_WIDTH`` and counted by
``tasks.footage.faces.count_faces`` (BlazeFace, else the Haar cascade), exactly the
detector and size that measured ``Shot.faces``. Which shot those frames come from is not
enough: the footage pass samples a shot every half second, so a shot "with a face" may
have lost it by the moment the edit leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tasks._video import import_cv2
from tasks.footage.faces import count_faces
from tasks.measure_shots import FACE_WIDTH

from ._evidence import Evidence
from ._footage import frames_at

__all__ = ["SPAN_S", "EndFaces", "end_faces"]

# How much of the opening or close is looked at, and at most how many of its frames: half
# a second is what a viewer takes in as "the last thing on screen"; four frames cost a few
# milliseconds each and still outvote one detector miss.
SPAN_S = 0.5
_FRAMES = 4


@dataclass(frozen=True)
class EndFaces:
    """Frames of the render's opening or close looked at, and how many of them show a face."""

    seen: int
    frames: int

    @property
    def shows_a_face(self) -> bool:
        # A majority, not every frame: a detector can miss one frame of a face that is
        # plainly there (a blink, a turn of the head, motion blur), while a face gone from
        # the picture before the end is missing from most of them. A tie is not a majority:
        # half the close without a face is not closing on one.
        return self.frames > 0 and 2 * self.seen > self.frames

    def describe(self, start: bool) -> str:
        """'a face in 3/4 frames of the last 0.5 s'."""
        where = "first" if start else "last"
        return f"a face in {self.seen}/{self.frames} frames of the {where} {SPAN_S:g} s"


def end_faces(ev: Evidence, start: bool) -> EndFaces | None:
    """Faces on the render's first (``start``) or last ``SPAN_S`` s of picture.

    Frames matching no source frame (a fade's black end, a black tail) are left out. None
    when no face detector is available or no frame shows the source.
    """
    key = ("end_faces", start)
    if key not in ev.cache:
        ev.cache[key] = _count(ev, start)
    found: EndFaces | None = ev.cache[key]
    return found


def _count(ev: Evidence, start: bool) -> EndFaces | None:
    cv2 = import_cv2()
    shown = ev.render
    # The frames that show a source moment: a fade's near-black end or a black tail shows
    # nothing a face could be seen in. Not a luma cut-off: dark footage (Megamind's close-ups
    # average a luma of ~33) and a fade's dimmed frames still show their faces to BlazeFace
    # (measured: found at a tenth of the brightness).
    lit = [m.index for m in ev.matches if m.source is not None]
    if not lit:
        return None
    edge = float(shown.times[lit[0] if start else lit[-1]])
    lo, hi = (edge, edge + SPAN_S) if start else (edge - SPAN_S, edge)
    inside = [k for k in lit if lo - 1e-6 <= shown.times[k] <= hi + 1e-6]
    picked = [inside[round(n)] for n in np.linspace(0, len(inside) - 1, min(_FRAMES, len(inside)))]
    width = min(FACE_WIDTH, shown.width) // 2 * 2
    pictures = frames_at(shown.path, [float(shown.times[k]) for k in picked], width, "bgr24")
    counts = [count_faces(p, cv2.cvtColor(p, cv2.COLOR_BGR2GRAY))[0] for p in pictures]
    if not counts or any(c is None for c in counts):
        return None
    return EndFaces(seen=sum(1 for c in counts if c), frames=len(counts))
