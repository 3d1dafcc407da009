"""Cheap OpenCV measurements of a frame: what a text-only model is told instead of the pixels.

Everything is deterministic and computed only for the frames chosen for analysis, never for
every decoded frame. The face count dominates (~12 ms of CPU per frame on a small cloud VM);
the rest together costs about a millisecond.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tasks._video import import_cv2

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "DominantColour",
    "FrameDescriptors",
    "describe_frame",
    "describe_with_thumbnail",
    "faces_available",
    "gray_thumbnail",
    "motion_between",
]

# Laplacian variance depends on resolution, so sharpness (and the rest but faces) is measured
# at one fixed width (smaller images as they are) to be comparable across clips.
_SHARPNESS_WIDTH = 320
# Faces: OpenCV's ``frontalface_alt2`` cascade on a 192-pixel-wide equalised gray copy, so a
# face needs to be about a tenth of the frame wide (the cascade's 20-pixel window). Chosen by
# measurement against hand-checked frames of the shared footage (Megamind: a frontal face in
# 89 of 90 sampled frames; vtest: none big enough): this finds 78-81 of the 89, over-counting
# in 2, where ``frontalface_default`` at 480 pixels found 75, over-counting in 13 (boxes on
# hair, hands, glasses), at 7x the cost (~90 ms of CPU per frame on a small cloud VM, not ~12).
_FACE_CASCADE = "haarcascade_frontalface_alt2.xml"
_FACE_WIDTH = 192
_FACE_MIN_SIZE = (20, 20)
# At this width a face spans only a few scales, so neighbouring-window votes are few: 1.15
# steps and two neighbours keep recall without the false boxes finer steps bring.
_FACE_SCALE_FACTOR = 1.15
_FACE_MIN_NEIGHBOURS = 2
_THUMB_SIZE = (64, 64)
_COLOUR_THUMB = (64, 36)
# Four levels per channel: 64 colour bins is coarse enough that a bin is a colour a person
# would name, fine enough to separate a sky from a shirt.
_COLOUR_SHIFT = 6
_MIN_COLOUR_SHARE = 0.05

# (name, RGB) — a short palette a text model and a person both understand.
_PALETTE: tuple[tuple[str, tuple[int, int, int]], ...] = (
    ("black", (0, 0, 0)),
    ("dark grey", (64, 64, 64)),
    ("grey", (128, 128, 128)),
    ("light grey", (192, 192, 192)),
    ("white", (255, 255, 255)),
    ("red", (200, 30, 30)),
    ("dark red", (110, 15, 20)),
    ("pink", (240, 150, 180)),
    ("orange", (240, 130, 30)),
    ("brown", (120, 75, 35)),
    ("beige", (220, 200, 160)),
    ("yellow", (235, 220, 40)),
    ("olive", (120, 120, 30)),
    ("green", (40, 160, 50)),
    ("dark green", (20, 80, 30)),
    ("teal", (20, 130, 130)),
    ("cyan", (60, 210, 230)),
    ("sky blue", (120, 180, 235)),
    ("blue", (30, 70, 200)),
    ("navy", (20, 30, 90)),
    ("purple", (120, 50, 160)),
    ("magenta", (210, 50, 190)),
)


class DominantColour(BaseModel):
    """One of the frame's main colours."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Nearest plain colour name (perceptual Lab distance).")
    hex: str = Field(description="Mean colour of the pixels in this bin, '#rrggbb'.")
    share: float = Field(description="Fraction of the frame's pixels, 0..1.")


class FrameDescriptors(BaseModel):
    """Measurements of one frame; ``to_text`` is what a blind model reads."""

    model_config = ConfigDict(frozen=True)

    width: int = Field(description="Width of the measured image in pixels.")
    height: int = Field(description="Height of the measured image in pixels.")
    brightness: float = Field(description="Mean luma, 0 (black) .. 1 (white).")
    contrast: float = Field(description="RMS contrast: std of luma / 255 (0 flat .. ~0.5).")
    saturation: float = Field(description="Mean HSV saturation, 0 (grey) .. 1 (vivid).")
    dominant_colours: list[DominantColour] = Field(description="Main colours, largest first.")
    sharpness: float = Field(
        description=f"Variance of the Laplacian at {_SHARPNESS_WIDTH}px wide (or less if smaller)."
    )
    motion: float | None = Field(
        description="Mean absolute luma change since the previous sample, 0..1; None for the first."
    )
    faces: int | None = Field(
        description="Frontal faces at least ~1/10 of the frame wide (OpenCV's Haar cascade); "
        "None if it is unavailable."
    )

    def to_text(self) -> str:
        """One compact line a text-only model can read.

        Returns:
            E.g. ``"bright (0.71), low contrast (0.09), vivid; colours sky blue #7ab4ea 46%,
            white #f4f4f2 30%; sharp (412); strong motion (0.21); faces 1"``.
        """
        colours = ", ".join(
            f"{c.name} {c.hex} {round(c.share * 100)}%" for c in self.dominant_colours
        )
        if self.motion is None:
            motion = "first sample"
        else:
            motion = f"{_grade(self.motion, (0.01, 0.04, 0.12), _MOTION_WORDS)} ({self.motion:.2f})"
        faces = "faces n/a" if self.faces is None else f"faces {self.faces}"
        parts = [
            f"{self.width}x{self.height}",
            f"{_grade(self.brightness, (0.2, 0.4, 0.65), _LIGHT_WORDS)} ({self.brightness:.2f})",
            f"{_grade(self.contrast, (0.08, 0.16, 0.28), _CONTRAST_WORDS)} ({self.contrast:.2f})",
            _grade(self.saturation, (0.12, 0.3, 0.55), _SATURATION_WORDS),
            f"colours {colours}" if colours else "no dominant colour",
            f"{_grade(self.sharpness, (30.0, 120.0, 400.0), _SHARP_WORDS)} ({self.sharpness:.0f})",
            motion,
            faces,
        ]
        return "; ".join(parts)


_LIGHT_WORDS = ("very dark", "dark", "mid-bright", "bright")
_CONTRAST_WORDS = ("flat", "low contrast", "normal contrast", "high contrast")
_SATURATION_WORDS = ("near grey", "muted", "colourful", "vivid")
_SHARP_WORDS = ("blurred", "soft", "sharp", "very sharp")
_MOTION_WORDS = ("no motion", "slight motion", "moderate motion", "strong motion")


def _grade(value: float, cuts: tuple[float, float, float], words: tuple[str, ...]) -> str:
    for cut, word in zip(cuts, words, strict=False):
        if value < cut:
            return word
    return words[-1]


def _measure_copy(bgr: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """The copy most measures use: at most ``_SHARPNESS_WIDTH`` wide, never upscaled.

    One fixed width keeps sharpness comparable across clips and costs a fraction of a
    full-resolution pass; upscaling would only blur what is measured.
    """
    cv2 = import_cv2()
    width = bgr.shape[1]
    if width <= _SHARPNESS_WIDTH:
        return bgr
    scale = _SHARPNESS_WIDTH / width
    # Area averaging only pays off for large reductions; below 2x linear is as good and cheaper.
    interpolation = cv2.INTER_AREA if scale <= 0.5 else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=interpolation))


def gray_thumbnail(bgr: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """A small fixed-size grayscale copy of a frame, the ``previous_gray`` for motion.

    Args:
        bgr: A BGR (or already gray) image.

    Returns:
        A 64x64 uint8 gray image, made exactly as ``describe_frame`` makes its own.
    """
    cv2 = import_cv2()
    gray = bgr if bgr.ndim == 2 else cv2.cvtColor(_measure_copy(bgr), cv2.COLOR_BGR2GRAY)
    return np.asarray(cv2.resize(gray, _THUMB_SIZE, interpolation=cv2.INTER_AREA), np.uint8)


def _cascade_xml() -> Path | None:
    cv2 = import_cv2()
    # OpenCV 5 moved the cascade classifier out of the main wheels; without it faces are
    # reported as unknown rather than as zero.
    if getattr(cv2, "CascadeClassifier", None) is None or getattr(cv2, "data", None) is None:
        return None
    xml = Path(cv2.data.haarcascades) / _FACE_CASCADE
    return xml if xml.is_file() else None


# OpenCV's CascadeClassifier keeps its scan buffers in the object: two threads running
# detectMultiScale on one instance corrupt each other's boxes (measured: most results differ).
# So each caller borrows an instance of its own; at most one per concurrent caller is loaded
# (~8 ms each), and they are reused for the life of the process.
_idle_cascades: queue.SimpleQueue[Any] = queue.SimpleQueue()


@lru_cache(maxsize=1)
def _cascade_loads() -> bool:
    """Load the face cascade once to learn whether it works; that instance starts the pool."""
    xml = _cascade_xml()
    if xml is None:
        return False
    cascade = import_cv2().CascadeClassifier(str(xml))
    if cascade.empty():
        return False
    _idle_cascades.put(cascade)
    return True


@contextmanager
def _borrowed_cascade() -> Iterator[Any | None]:
    """A face cascade for the caller's exclusive use, or None when OpenCV has none."""
    if not _cascade_loads():
        yield None
        return
    try:
        cascade = _idle_cascades.get_nowait()
    except queue.Empty:
        cascade = import_cv2().CascadeClassifier(str(_cascade_xml()))
    try:
        yield cascade
    finally:
        _idle_cascades.put(cascade)


def faces_available() -> bool:
    """Tell whether this OpenCV build ships the Haar face cascade.

    Returns:
        True when ``describe_frame`` can count faces.
    """
    return _cascade_loads()


_PALETTE_RGB = np.array([colour for _, colour in _PALETTE], np.float32)


def _name_colour(bgr: npt.NDArray[np.uint8]) -> str:
    # "Redmean" weighted RGB distance: close to perceptual for naming, and unlike a Lab
    # conversion it needs no OpenCV lookup tables built on first use.
    blue, green, red = (float(v) for v in bgr)
    mean_red = (_PALETTE_RGB[:, 0] + red) / 2.0
    d_red = _PALETTE_RGB[:, 0] - red
    d_green = _PALETTE_RGB[:, 1] - green
    d_blue = _PALETTE_RGB[:, 2] - blue
    distance = (
        (2.0 + mean_red / 256.0) * d_red**2
        + 4.0 * d_green**2
        + (2.0 + (255.0 - mean_red) / 256.0) * d_blue**2
    )
    return _PALETTE[int(np.argmin(distance))][0]


def _dominant_colours(thumb_bgr: npt.NDArray[np.uint8], top: int = 3) -> list[DominantColour]:
    thumb = thumb_bgr.reshape(-1, 3)
    levels = thumb >> _COLOUR_SHIFT
    bins = (
        (levels[:, 0].astype(np.int32) << 4) | (levels[:, 1].astype(np.int32) << 2) | levels[:, 2]
    )
    counts = np.bincount(bins, minlength=64)
    total = float(len(bins))
    colours: list[DominantColour] = []
    for index in np.argsort(counts)[::-1][:top]:
        share = counts[index] / total
        if share < _MIN_COLOUR_SHARE:
            break
        mean = thumb[bins == index].mean(axis=0).round().astype(np.uint8)
        blue, green, red = (int(v) for v in mean)
        colours.append(
            DominantColour(
                name=_name_colour(mean),
                hex=f"#{red:02x}{green:02x}{blue:02x}",
                share=round(float(share), 3),
            )
        )
    return colours


def _count_faces(gray: npt.NDArray[np.uint8]) -> int | None:
    """Frontal faces in a gray image (``describe_with_thumbnail``'s measure copy)."""
    cv2 = import_cv2()
    with _borrowed_cascade() as cascade:
        if cascade is None:
            return None
        if gray.shape[1] > _FACE_WIDTH:
            scale = _FACE_WIDTH / gray.shape[1]
            gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        found = cascade.detectMultiScale(
            cv2.equalizeHist(gray),
            scaleFactor=_FACE_SCALE_FACTOR,
            minNeighbors=_FACE_MIN_NEIGHBOURS,
            minSize=_FACE_MIN_SIZE,
        )
    return len(found)


def motion_between(thumb: npt.NDArray[Any], previous_gray: npt.NDArray[Any]) -> float:
    """Mean absolute luma change between two samples, 0..1 (the ``motion`` descriptor).

    Args:
        thumb: ``gray_thumbnail`` of the current sample.
        previous_gray: ``gray_thumbnail`` of the previous sample (any gray or BGR image is
            converted and resized to match).

    Returns:
        The change, rounded to 4 decimals.
    """
    cv2 = import_cv2()
    previous = previous_gray
    if previous.ndim == 3:
        previous = cv2.cvtColor(previous, cv2.COLOR_BGR2GRAY)
    if previous.shape != thumb.shape:
        previous = cv2.resize(previous, _THUMB_SIZE, interpolation=cv2.INTER_AREA)
    return round(float(cv2.mean(cv2.absdiff(thumb, previous))[0]) / 255.0, 4)


def describe_frame(
    bgr: npt.NDArray[Any], previous_gray: npt.NDArray[Any] | None = None
) -> FrameDescriptors:
    """Measure one frame.

    Args:
        bgr: The frame, BGR uint8 (as OpenCV decodes it).
        previous_gray: ``gray_thumbnail`` of the previous sample (any gray image is resized to
            match), to measure motion between samples; None for the first sample.

    Returns:
        The descriptors.

    Raises:
        ValueError: Not a non-empty 3-channel uint8 image.
    """
    return describe_with_thumbnail(bgr, previous_gray)[0]


def describe_with_thumbnail(
    bgr: npt.NDArray[Any], previous_gray: npt.NDArray[Any] | None = None
) -> tuple[FrameDescriptors, npt.NDArray[np.uint8]]:
    """``describe_frame`` that also returns the frame's ``gray_thumbnail`` (for the next call).

    Args:
        bgr: The frame, BGR uint8.
        previous_gray: As for ``describe_frame``.

    Returns:
        The descriptors and this frame's motion thumbnail, computed once for both.
    """
    if bgr.ndim != 3 or bgr.shape[2] != 3 or bgr.size == 0 or bgr.dtype != np.uint8:
        raise ValueError(f"expected a BGR uint8 image, got shape {bgr.shape} {bgr.dtype}")
    cv2 = import_cv2()
    height, width = int(bgr.shape[0]), int(bgr.shape[1])
    small = _measure_copy(bgr)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    mean, std = cv2.meanStdDev(gray)
    _, lap_std = cv2.meanStdDev(cv2.Laplacian(gray, cv2.CV_32F))
    colour_thumb = cv2.resize(small, _COLOUR_THUMB, interpolation=cv2.INTER_AREA)
    saturation = float(cv2.mean(cv2.cvtColor(colour_thumb, cv2.COLOR_BGR2HSV)[:, :, 1])[0]) / 255.0

    thumb = cv2.resize(gray, _THUMB_SIZE, interpolation=cv2.INTER_AREA)
    motion = None if previous_gray is None else motion_between(thumb, previous_gray)

    descriptors = FrameDescriptors(
        width=width,
        height=height,
        brightness=round(float(mean[0][0]) / 255.0, 4),
        contrast=round(float(std[0][0]) / 255.0, 4),
        saturation=round(saturation, 4),
        dominant_colours=_dominant_colours(colour_thumb),
        sharpness=round(float(lap_std[0][0]) ** 2, 2),
        motion=motion,
        faces=_count_faces(gray),
    )
    return descriptors, np.asarray(thumb, np.uint8)
