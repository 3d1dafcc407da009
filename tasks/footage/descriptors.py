"""Cheap OpenCV measurements of a frame: what a text-only model is told instead of the pixels.

Everything is deterministic and computed only for the frames chosen for analysis, never for
every decoded frame. The face count dominates: MediaPipe's BlazeFace short-range model through
OpenCV's dnn module costs ~3.3 ms of CPU per frame single-threaded on a 2-vCPU cloud VM; when
its model file is not installed or not the expected one, OpenCV's Haar cascade counts instead,
at ~14 ms (same frames, same machine). The rest together costs about a millisecond.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tasks._video import import_cv2
from tasks.footage.colours import DominantColour, dominant_colours
from tasks.footage.faces import count_faces

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "FrameDescriptors",
    "describe_frame",
    "describe_with_thumbnail",
    "gray_thumbnail",
    "motion_between",
]

# Laplacian variance depends on resolution, so sharpness (and the rest but faces) is measured
# at one fixed width (smaller images as they are) to be comparable across clips.
_SHARPNESS_WIDTH = 320

_THUMB_SIZE = (64, 64)
_COLOUR_THUMB = (64, 36)


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
        description="Faces at least ~1/11 of the frame's longer side (some only from ~1/7; "
        "MediaPipe's BlazeFace short-range model at a 128-pixel input), or frontal faces at "
        "least ~1/10 of the frame wide with the Haar fallback (see face_detector); None if "
        "neither detector is available."
    )
    face_detector: str | None = Field(
        description="Which detector counted ``faces``: 'blazeface' (MediaPipe's BlazeFace "
        "short-range model), 'haar' (OpenCV's frontalface_alt2 cascade, the fallback when the "
        "model is not installed or not the expected file), or None when neither is available."
    )
    text: list[str] | None = Field(
        default=None,
        description="Lines of text read on screen by OCR (RapidOCR), top to bottom; None when "
        "the frame was not read.",
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
        if self.text:
            parts.append("text on screen: " + " / ".join(f'"{line}"' for line in self.text))
        elif self.text is not None:
            parts.append("no text on screen")
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
    faces, face_detector = count_faces(small, gray)

    descriptors = FrameDescriptors(
        width=width,
        height=height,
        brightness=round(float(mean[0][0]) / 255.0, 4),
        contrast=round(float(std[0][0]) / 255.0, 4),
        saturation=round(saturation, 4),
        dominant_colours=dominant_colours(colour_thumb),
        sharpness=round(float(lap_std[0][0]) ** 2, 2),
        motion=motion,
        faces=faces,
        face_detector=face_detector,
    )
    return descriptors, np.asarray(thumb, np.uint8)
