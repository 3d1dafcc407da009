"""The single decode pass: every frame decoded once, a small copy made only of wanted ones."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from tasks._video import VideoReader, check_frame_shape, import_cv2
from tasks.footage.scenes import _Candidate, _SceneSampler
from tasks.footage.selection import _thin

if TYPE_CHECKING:
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]

__all__ = ["DEFAULT_ANALYSIS_STRIDE", "DETECT_WIDTH"]

# Scene detection works on a small copy (PySceneDetect's own SceneManager downscales too):
# content scores are mean HSV differences, which 96x~70 pixels estimate well, and at this size
# building the copy plus detection cost a fifth of a typical frame decode.
DETECT_WIDTH = 96
# Feed the detector every 2nd frame: cuts land within one frame of the truth, and the frames
# in between are only decoded, which pays for the detector.
DEFAULT_ANALYSIS_STRIDE = 2

_PICTURE_I = 1  # AVPictureType of an intra-coded frame (AV_PICTURE_TYPE_I)
_FULL_RANGE = 2  # AVColorRange of full-range (JPEG) samples (AVCOL_RANGE_JPEG)
# Decoded pixel formats whose planes the detector copy is built from directly (8-bit planar
# Y, U, V at any chroma subsampling); anything else goes through FFmpeg's converter.
_PLANAR_YUV = frozenset(
    {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "yuv440p", "yuvj440p"}
)
# Frames the decoder thread may run ahead of the analysis: enough to ride out a slow frame,
# few enough that the memory is a handful of frames.
DECODE_AHEAD = 4

_T = TypeVar("_T")


@dataclass
class _Decoding:
    decoded: int = 0  # written by the decoding loop, read once it has finished
    pool: list[_Candidate] = field(default_factory=list)  # uniform/keyframes candidates
    pool_stride: int = 1
    keyframes_seen: int = 0


def _decoded_frames(
    clip: Path, reader: VideoReader, strategy: str, stride: int, state: _Decoding
) -> Iterator[tuple[_Candidate, int]]:
    """Decode every frame; yield ``(candidate, keyframe ordinal)`` for the wanted ones.

    The candidate's small copy and sharpness are made here, as the frame decodes (on the
    decoder's thread when decoding runs ahead), so the consumer only feeds the detector. What
    is wanted is decided from ``state``, which the consumer may update meanwhile (uniform and
    keyframes thinning double ``pool_stride``); a stale stride only yields a frame more, which
    the consumer drops. ``state.decoded`` counts the frames that decoded.
    """
    cv2 = import_cv2()
    laplacian, mean_std, float_depth = cv2.Laplacian, cv2.meanStdDev, cv2.CV_32F
    small_size: tuple[int, int] | None = None
    for index, frame in enumerate(reader.frames()):
        ordinal = -1
        if strategy == "scene":
            want = index % stride == 0
        elif strategy == "uniform":
            want = index % state.pool_stride == 0
        else:
            want = False
            if frame.pict_type == _PICTURE_I:
                state.keyframes_seen += 1
                ordinal = state.keyframes_seen - 1
                want = ordinal % state.pool_stride == 0
        state.decoded = index + 1
        if not want:
            continue
        if small_size is None:
            check_frame_shape(clip, (frame.height, frame.width))
            # Sides even and height a multiple of 4: the copy is assembled as I420 (chroma
            # at half size, its rows packed two to a luma row).
            small_w = max(2, min(frame.width, DETECT_WIDTH) // 2 * 2)
            small_size = (small_w, max(4, round(frame.height * small_w / frame.width / 4) * 4))
        small, gray = _small_copy(frame, small_size)
        _, lap_std = mean_std(laplacian(gray, float_depth))
        yield _Candidate(index, float(lap_std[0][0]) ** 2, frame, small), ordinal


def _small_copy(frame: Any, size: tuple[int, int]) -> tuple[Image, Image]:
    """The detector's small BGR copy of a decoded frame, and its gray (luma) version.

    For planar YUV (nearly every codec's output) it is built from the planes by nearest
    neighbour, so only the ``size`` pixels are ever converted; FFmpeg's converter would first
    convert the whole frame (~1 ms a frame, more than decoding it).
    """
    cv2 = import_cv2()
    width, height = size
    name = frame.format.name
    if name in _PLANAR_YUV:
        nearest = cv2.INTER_NEAREST
        y, u, v = (
            np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, : plane.width]
            for plane in frame.planes[:3]
        )
        luma = cv2.resize(y, size, interpolation=nearest)
        if name.startswith("yuvj") or frame.color_range == _FULL_RANGE:
            # Full-range (JPEG) YCbCr: OpenCV's YCrCb conversion is exactly that.
            chroma = [cv2.resize(c, size, interpolation=nearest) for c in (v, u)]
            return cv2.cvtColor(cv2.merge([luma, *chroma]), cv2.COLOR_YCrCb2BGR), luma
        # Limited-range (video) YCbCr: OpenCV's I420 conversion, chroma at half size.
        half = (width // 2, height // 2)
        i420 = np.concatenate(
            [luma, *(cv2.resize(c, half, interpolation=nearest).reshape(-1, width) for c in (u, v))]
        )
        return cv2.cvtColor(i420, cv2.COLOR_YUV2BGR_I420), luma
    bgr = frame.to_ndarray(format="bgr24", width=width, height=height)
    return bgr, cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


class _Prefetched(Generic[_T]):
    """Iterate ``source`` on a background thread, at most ``depth`` items ahead of the reader.

    FFmpeg runs without the GIL while it decodes, so decoding frame N+1 overlaps the analysis
    of frame N. Used as a context manager: leaving it stops and joins the thread, so the
    reader can be closed safely afterwards, also when the consumer gives up early.
    """

    def __init__(self, source: Iterator[_T], depth: int) -> None:
        self._source = source
        self._items: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sample-frames-decode", daemon=True)

    def __enter__(self) -> Iterator[_T]:
        self._thread.start()
        return self._iterate()

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            for item in self._source:
                if not self._put(item):
                    return
        except BaseException as exc:  # handed to the reader, which raises it
            self._put(_Failed(exc))
            return
        self._put(_DONE)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._items.put(item, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False

    def _iterate(self) -> Iterator[_T]:
        while True:
            item = self._items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item


def _decode_once(
    clip: Path,
    reader: VideoReader,
    strategy: str,
    stride: int,
    scene_sampler: _SceneSampler | None,
    max_frames: int,
    concurrent: bool,
    progress: Callable[[int, int], None] | None = None,
) -> _Decoding:
    """The single decode pass: every frame decoded once, only a small copy of wanted ones made.

    ``progress(frames_decoded, frames_declared)`` is called now and then (a display only:
    the declared count can be wrong, containers lie).
    """
    state = _Decoding()
    pool_cap = max(16, 4 * max_frames)
    candidates = _decoded_frames(clip, reader, strategy, stride, state)
    with ExitStack() as stack:
        if concurrent:
            candidates = stack.enter_context(_Prefetched(candidates, DECODE_AHEAD))
        for candidate, ordinal in candidates:
            if progress is not None and candidate.frame_number % 16 == 0:
                progress(candidate.frame_number, reader.facts.declared_frames)
            # Wanted before a thinning made it unwanted (only when decoding ran ahead).
            stale = (strategy == "uniform" and candidate.frame_number % state.pool_stride != 0) or (
                strategy == "keyframes" and ordinal % state.pool_stride != 0
            )
            if stale:
                continue
            if scene_sampler is not None:
                scene_sampler.feed(candidate)
            else:
                state.pool.append(candidate)
                if len(state.pool) > pool_cap:
                    state.pool = _thin(state.pool, pool_cap)
                    state.pool_stride *= 2
    return state
