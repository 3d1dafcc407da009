"""Display rotation of decoded frames: how far a frame turns to stand upright, and turning it.

Phones record portrait video as landscape frames plus a display rotation; every consumer that
shows a frame (the vision model, contact sheets, the probe's reported size) must see it upright.
"""

from __future__ import annotations

from typing import Any

from tasks._video import import_cv2

__all__ = ["displayed_size", "quarter_turns", "upright"]


def quarter_turns(frame: Any) -> int:
    """How many quarter turns counter-clockwise make ``frame`` upright, 0..3.

    Phones record portrait video as landscape frames plus a display rotation; players (and
    OpenCV's ``VideoCapture``) turn them upright, so the vision model must see them so too.

    Args:
        frame: A decoded ``av.VideoFrame``.

    Returns:
        0 for none; 1 for 90 degrees counter-clockwise, 2 for 180, 3 for 90 clockwise.
    """
    return round(float(frame.rotation or 0) / 90.0) % 4


def displayed_size(frame: Any) -> tuple[int, int]:
    """``(width, height)`` of a decoded frame as it is shown, after its display rotation."""
    width, height = int(frame.width), int(frame.height)
    return (height, width) if quarter_turns(frame) % 2 else (width, height)


def upright(image: Any, turns: int) -> Any:
    """Rotate a BGR image by ``turns`` quarter turns counter-clockwise (see ``quarter_turns``)."""
    if turns == 0:
        return image
    cv2 = import_cv2()
    codes = {
        1: cv2.ROTATE_90_COUNTERCLOCKWISE,
        2: cv2.ROTATE_180,
        3: cv2.ROTATE_90_CLOCKWISE,
    }
    return cv2.rotate(image, codes[turns])
