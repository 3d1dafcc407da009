"""Chosen frames rendered: converted at their output size, upright, JPEG-encoded, described."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from core.exceptions import FootageError
from tasks._orientation import displayed_size, quarter_turns, upright
from tasks._video import import_cv2
from tasks.footage.descriptors import FrameDescriptors, describe_with_thumbnail
from tasks.footage.scenes import _Candidate
from tasks.footage.tokens import target_size
from tasks.ocr import read_text_bgr

if TYPE_CHECKING:
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]

__all__ = ["JPEG_QUALITY", "RENDER_WORKERS"]

JPEG_QUALITY = 88
# Threads encoding and describing chosen frames; the face detector dominates and releases the GIL.
RENDER_WORKERS = max(1, min(4, os.cpu_count() or 1))

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Rendered:
    """A chosen frame as written: JPEG bytes and descriptors (motion not yet known)."""

    width: int
    height: int
    jpeg: bytes
    descriptors: FrameDescriptors
    thumb: Image  # gray_thumbnail, for the next pick's motion


_thread_state = threading.local()


def _reformatter() -> Any:
    """This thread's FFmpeg converter (one may not be shared by threads).

    It keeps its scaler between frames of the same size: a new one per frame costs more than
    the conversion itself.
    """
    reformatter = getattr(_thread_state, "reformatter", None)
    if reformatter is None:
        from av.video.reformatter import VideoReformatter

        reformatter = _thread_state.reformatter = VideoReformatter()
    return reformatter


def _render(frame_number: int, source: Any, max_pixels: int, read_text: bool) -> _Rendered:
    """Convert a decoded frame to BGR at the pixel budget, encode it as JPEG and describe it.

    With ``read_text`` the text on screen is read (OCR) from the same converted picture.
    """
    cv2 = import_cv2()
    out_w, out_h = target_size(*displayed_size(source), max_pixels)
    turns = quarter_turns(source)
    # One FFmpeg pass converts and scales (area averaging: no aliasing on large reductions),
    # cheaper than converting at full size and resizing after; then it is turned upright.
    coded_w, coded_h = (out_h, out_w) if turns % 2 else (out_w, out_h)
    converted = _reformatter().reformat(source, coded_w, coded_h, "bgr24", interpolation="AREA")
    image = np.ascontiguousarray(upright(converted.to_ndarray(), turns))
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 BGR image
        raise FootageError(f"could not encode frame {frame_number} as JPEG")
    descriptors, thumb = describe_with_thumbnail(image)
    if read_text:
        # Lines with no letter or digit are shapes OCR took for symbols (a box read as "■").
        lines = [line for line in read_text_bgr(image) if any(c.isalnum() for c in line)]
        descriptors = descriptors.model_copy(update={"text": lines})
    return _Rendered(out_w, out_h, jpeg.tobytes(), descriptors, thumb)


class _Renderer:
    """Renders chosen frames, on a worker pool when concurrent, else when asked for.

    Rendering is a pure function of the frame, so a frame rendered early (speculatively, while
    the clip still decodes) gives exactly what rendering it at the end would; a speculation
    that is not picked costs one wasted render, at most one per scene within the budget.
    """

    def __init__(self, max_pixels: int, concurrent: bool, read_text: bool = False) -> None:
        self.max_pixels = max_pixels
        self.read_text = read_text
        self.concurrent = concurrent
        self._pool = (
            ThreadPoolExecutor(RENDER_WORKERS, thread_name_prefix="sample-frames")
            if concurrent
            else None
        )
        self._jobs: dict[int, Future[_Rendered]] = {}

    def __enter__(self) -> _Renderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            # Speculative renders nobody picked must not outlive the call.
            self._pool.shutdown(wait=True, cancel_futures=True)

    def background(self, fn: Callable[..., _T], *args: Any) -> Callable[[], _T]:
        """Start ``fn(*args)`` on the pool (or defer it); the returned thunk gives its result."""
        if self._pool is None:
            return lambda: fn(*args)
        return self._pool.submit(fn, *args).result

    def start(self, candidate: _Candidate) -> None:
        """Begin rendering ``candidate`` in the background (no-op when not concurrent)."""
        if self._pool is not None and candidate.frame_number not in self._jobs:
            self._jobs[candidate.frame_number] = self._pool.submit(
                _render, candidate.frame_number, candidate.frame, self.max_pixels, self.read_text
            )

    def result(self, candidate: _Candidate) -> _Rendered:
        """The rendered frame, waiting for a background render or rendering it now."""
        job = self._jobs.get(candidate.frame_number)
        if job is not None:
            return job.result()
        return _render(candidate.frame_number, candidate.frame, self.max_pixels, self.read_text)
