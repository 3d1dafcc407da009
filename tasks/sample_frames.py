"""Choose the few frames a vision model is shown, in one decode pass over the clip.

The vision model is the most expensive step, so what it sees decides cost and quality:

* **one decode pass**: every frame is decoded exactly once by our own PyAV loop (FFmpeg's
  decoder, as OpenCV uses); PySceneDetect's detector is fed frame by frame through its
  ``process_frame`` API (no second pass, no hand-written detector). No frame is ever
  colour-converted at full size: the detector gets a small copy built straight from the
  decoded YUV planes of every ``analysis_stride``-th frame, and only the chosen frames are
  converted, directly at their output size. That is what keeps the whole analysis near the
  cost of OpenCV's plain ``read()`` loop, which converts every frame to full-size BGR;
* **scenes first**: the ``max_frames`` budget goes round-robin over scenes, longest first, so
  every scene gets a frame before any gets a second; with more scenes than budget the longest
  distinct scenes win and the manifest says which were left out;
* **representative, not arbitrary**: per scene the sharpest frame near its middle, then frames
  spread across it; near-duplicates (perceptual hash) are dropped and counted;
* **bounded memory**: only a handful of candidate frames per scene are held, never the video;
* **overlapped work**: by default the decoder runs on its own thread (OpenCV releases the GIL)
  while this one analyses, and the chosen frames are encoded and described on a small worker
  pool, starting with each finished scene's lead frame while the clip is still decoding. The
  manifest is identical to the one ``concurrent=False`` produces on the calling thread alone;
* **pixel budget**: frames are resized to at most ``max_pixels`` with sides on the 28-pixel
  patch grid of Qwen2.5-VL, so ``visual_tokens`` (``ceil(h/28) * ceil(w/28)`` per frame) is
  exactly what the model will be charged.

Output: ``frame_NNN_FFFFFF.jpg`` files and ``manifest.json`` in ``out_dir``.
"""

from __future__ import annotations

import heapq
import math
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from core.exceptions import ConfigError, FootageError
from core.files import sha256_file
from tasks._video import (
    VideoReader,
    check_frame_shape,
    check_readable,
    displayed_size,
    effective_fps,
    import_cv2,
    open_video,
    quarter_turns,
    reject_still_image,
    upright,
)
from tasks.describe_frames import FrameDescriptors, describe_with_thumbnail, motion_between
from tasks.probe import VideoProbe

if TYPE_CHECKING:
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]

__all__ = [
    "MANIFEST_NAME",
    "SampleManifest",
    "SampledFrame",
    "Scene",
    "Strategy",
    "sample_frames",
    "visual_tokens",
]

Strategy = Literal["scene", "uniform", "keyframes"]
Detector = Literal["adaptive", "content"]

MANIFEST_NAME = "manifest.json"
PATCH = 28
DEFAULT_MAX_PIXELS = 448 * 448
# Scene detection works on a small copy (PySceneDetect's own SceneManager downscales too):
# content scores are mean HSV differences, which 96x~70 pixels estimate well, and at this size
# building the copy plus detection cost a fifth of a typical frame decode.
DETECT_WIDTH = 96
# Feed the detector every 2nd frame: cuts land within one frame of the truth, and the frames
# in between are only decoded, which pays for the detector.
DEFAULT_ANALYSIS_STRIDE = 2
# Candidate slots kept per open scene; each slot holds the sharpest frame of its stretch.
SLOTS_PER_SCENE = 12
# Initial slot length, in seconds of video; doubles whenever a scene outgrows its slots.
SLOT_SECONDS = 0.5
# With more scenes than budget: scenes kept as candidates beyond the budget (in case some are
# duplicates), and candidates kept for each of them.
SPARE_SCENES = 4
SPARE_CANDIDATES = 2
# phash (64 bits) Hamming distance at or under which two frames count as the same picture.
DEFAULT_DEDUP_DISTANCE = 6
JPEG_QUALITY = 88
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
# Threads encoding and describing chosen frames; the face detector dominates and releases the GIL.
RENDER_WORKERS = max(1, min(4, os.cpu_count() or 1))

_T = TypeVar("_T")


class Scene(BaseModel):
    """A shot: frames ``start_frame`` .. ``end_frame - 1`` (end exclusive, as in PySceneDetect)."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(description="0-based position of the scene in the clip.")
    start_frame: int = Field(description="First frame of the scene (0-based, decoded order).")
    end_frame: int = Field(description="One past the last frame of the scene.")
    start_s: float = Field(description="Start time in seconds.")
    end_s: float = Field(description="End time in seconds (exclusive).")

    @property
    def frames(self) -> int:
        """Length of the scene in frames."""
        return self.end_frame - self.start_frame


class SampledFrame(BaseModel):
    """One chosen frame, written as a JPEG."""

    model_config = ConfigDict(frozen=True)

    scene: int = Field(description="Index of the scene the frame belongs to.")
    frame_number: int = Field(description="0-based frame number in decoded order.")
    timestamp: float = Field(description="Seconds from the start: frame_number / fps.")
    path: Path = Field(description="The JPEG written for this frame.")
    phash: str = Field(description="Perceptual hash (imagehash.phash, 64 bits, hex).")
    width: int = Field(description="JPEG width (a multiple of 28).")
    height: int = Field(description="JPEG height (a multiple of 28).")
    visual_tokens: int = Field(description="Qwen2.5-VL image tokens: ceil(h/28)*ceil(w/28).")
    descriptors: FrameDescriptors = Field(description="Cheap OpenCV measurements of the frame.")

    @property
    def label(self) -> str:
        """A short human label, e.g. ``"scene 2 @ 4.17s"``."""
        return f"scene {self.scene} @ {self.timestamp:.2f}s"


class SampleManifest(BaseModel):
    """What was sampled from one clip and why; written as ``manifest.json``."""

    video: VideoProbe = Field(description="The clip, with frames counted by this decode pass.")
    strategy: Strategy = Field(description="How frames were chosen.")
    detector: str | None = Field(description="PySceneDetect detector used (scene strategy only).")
    analysis_stride: int = Field(description="Every Nth frame was colour-converted and analysed.")
    max_frames: int = Field(description="The frame budget asked for.")
    max_pixels: int = Field(description="The per-frame pixel budget asked for.")
    scenes: list[Scene] = Field(
        description="Scenes found (one whole-clip scene without detection)."
    )
    frames: list[SampledFrame] = Field(description="Chosen frames in time order.")
    decoded_frames: int = Field(description="Frames that decoded in the pass.")
    lost_frames: int = Field(description="Frames the container declares that did not decode.")
    visual_tokens: int = Field(description="Sum of the frames' visual tokens.")
    dropped_duplicates: int = Field(description="Candidates skipped as near-duplicates (phash).")
    uncovered_scenes: list[int] = Field(
        description="Scenes that got no frame (budget or duplicates)."
    )
    notes: list[str] = Field(description="Plain-language remarks: losses, budget trade-offs.")

    @property
    def tokens_per_minute(self) -> float:
        """Visual tokens per minute of decodable footage."""
        minutes = self.video.duration / 60.0
        return self.visual_tokens / minutes if minutes > 0 else 0.0


def visual_tokens(width: int, height: int) -> int:
    """Qwen2.5-VL image tokens for a ``width`` x ``height`` image (one per 28x28 patch).

    Args:
        width: Image width in pixels.
        height: Image height in pixels.

    Returns:
        ``ceil(height / 28) * ceil(width / 28)``.
    """
    return math.ceil(height / PATCH) * math.ceil(width / PATCH)


def target_size(width: int, height: int, max_pixels: int) -> tuple[int, int]:
    """Output size under a pixel budget, sides on the 28-pixel grid, never upscaled.

    Args:
        width: Source width.
        height: Source height.
        max_pixels: Upper bound on ``width * height`` of the result.

    Returns:
        ``(width, height)``, each a multiple of 28 and at least 28.
    """
    scale = min(1.0, math.sqrt(max_pixels / float(width * height)))
    out_w = max(PATCH, int(width * scale) // PATCH * PATCH)
    out_h = max(PATCH, int(height * scale) // PATCH * PATCH)
    return out_w, out_h


@dataclass
class _Candidate:
    frame_number: int
    sharpness: float
    frame: Any  # the decoded av.VideoFrame (a reference: nothing converted or copied)
    small: Image  # detector-resolution BGR, for the perceptual hash
    phash: Any = None


@dataclass
class _ClosedScene:
    index: int
    start: int
    end: int
    candidates: list[_Candidate]  # representative order: best first, then spread out


@dataclass
class _OpenScene:
    start: int
    slot_len: int
    slots: dict[int, _Candidate] = field(default_factory=dict)

    def offer(self, candidate: _Candidate) -> None:
        """Hold ``candidate`` if it is the sharpest of its slot."""
        slot = (candidate.frame_number - self.start) // self.slot_len
        while slot >= SLOTS_PER_SCENE:
            # Halve the resolution of the slot grid: keep the sharper of each adjacent pair.
            merged: dict[int, _Candidate] = {}
            for index, kept in self.slots.items():
                other = merged.get(index // 2)
                if other is None or kept.sharpness > other.sharpness:
                    merged[index // 2] = kept
            self.slots = merged
            self.slot_len *= 2
            slot = (candidate.frame_number - self.start) // self.slot_len
        held = self.slots.get(slot)
        if held is None or candidate.sharpness > held.sharpness:
            self.slots[slot] = candidate


def _representative_order(candidates: list[_Candidate], start: int, end: int) -> list[_Candidate]:
    """Best frame first (sharp and central), then greedily the ones farthest from those chosen."""
    if len(candidates) <= 1:
        return list(candidates)
    length = max(1, end - start)
    middle = (start + end - 1) / 2.0
    top = max(c.sharpness for c in candidates) or 1.0

    def centred(c: _Candidate) -> float:
        return (c.sharpness / top) * (1.0 - 0.5 * abs(c.frame_number - middle) / (length / 2.0))

    remaining = sorted(candidates, key=lambda c: c.frame_number)
    first = max(remaining, key=centred)
    order = [first]
    remaining.remove(first)
    while remaining:

        def spread(c: _Candidate) -> float:
            gap = min(abs(c.frame_number - o.frame_number) for o in order) / length
            return gap * (0.5 + 0.5 * c.sharpness / top)

        pick = max(remaining, key=spread)
        order.append(pick)
        remaining.remove(pick)
    return order


class _SceneSampler:
    """Feeds PySceneDetect and keeps a bounded set of candidate frames per scene."""

    def __init__(
        self,
        detector: Any,
        fps: float,
        max_frames: int,
        on_close: Callable[[_Candidate], None] | None = None,
    ) -> None:
        from scenedetect import FrameTimecode

        self._timecode = FrameTimecode
        self._on_close = on_close
        self._detector = detector
        self._fps = fps
        self._budget = max_frames
        self._slot_len = max(1, round(fps * SLOT_SECONDS))
        self._open = _OpenScene(start=0, slot_len=self._slot_len)
        self.closed: list[_ClosedScene] = []
        self._longest: list[tuple[int, int, _ClosedScene]] = []

    def feed(self, candidate: _Candidate) -> None:
        """Detect cuts up to this frame, then offer it."""
        cuts = self._detector.process_frame(
            self._timecode(candidate.frame_number, self._fps), candidate.small
        )
        for cut in cuts:
            self._cut(int(cut.frame_num))
        self._open.offer(candidate)

    def finish(self, end: int) -> None:
        for cut in self._detector.post_process(self._timecode(max(0, end - 1), self._fps)):
            self._cut(int(cut.frame_num))
        self._close(self._open, end)

    def _cut(self, at: int) -> None:
        if at <= self._open.start:
            return
        # The detector reports a cut a few frames late, so frames after it went to the old
        # scene's slots: move them to the new scene.
        late = [c for c in self._open.slots.values() if c.frame_number >= at]
        self._open.slots = {k: c for k, c in self._open.slots.items() if c.frame_number < at}
        self._close(self._open, at)
        self._open = _OpenScene(start=at, slot_len=self._slot_len)
        for candidate in sorted(late, key=lambda c: c.frame_number):
            self._open.offer(candidate)

    def _close(self, scene: _OpenScene, end: int) -> None:
        ordered = _representative_order(list(scene.slots.values()), scene.start, end)
        closed = _ClosedScene(len(self.closed), scene.start, end, ordered)
        self.closed.append(closed)
        self._prune(closed)
        # While scenes fit the budget, a closed scene's best frame is shown unless it
        # duplicates an earlier one: worth rendering now, while the decoder is still busy.
        if self._on_close is not None and closed.candidates and len(self.closed) <= self._budget:
            self._on_close(closed.candidates[0])

    def _prune(self, newest: _ClosedScene) -> None:
        # Round-robin allocation never gives a scene more than ceil(budget / scenes) frames
        # (one spare for duplicates), and with more scenes than budget only the longest ones
        # are shown: holding more pixels than that would only cost memory.
        count = len(self.closed)
        if count <= self._budget:
            keep = math.ceil(self._budget / count) + 1
            for scene in self.closed:
                del scene.candidates[keep:]
        elif count == self._budget + 1:
            for scene in self.closed:
                self._admit(scene)
        else:
            self._admit(newest)

    def _admit(self, scene: _ClosedScene) -> None:
        """Keep pixels only for the longest ``budget + SPARE_SCENES`` scenes.

        A heap, because films have thousands of shots; kept scenes hold two candidates, the
        others only their bounds.
        """
        del scene.candidates[SPARE_CANDIDATES:]
        # Heap order = eviction order: shortest first, then the later of equal lengths,
        # mirroring _allocate's preference for long, early scenes.
        entry = (scene.end - scene.start, -scene.index, scene)
        if len(self._longest) < self._budget + SPARE_SCENES:
            heapq.heappush(self._longest, entry)
        elif entry[:2] > self._longest[0][:2]:
            heapq.heapreplace(self._longest, entry)[2].candidates.clear()
        else:
            scene.candidates.clear()


def _make_detector(kind: Detector) -> Any:
    from scenedetect.detectors import AdaptiveDetector, ContentDetector

    if kind == "adaptive":
        return AdaptiveDetector()
    if kind == "content":
        return ContentDetector()
    raise ConfigError(f"unknown scene detector {kind!r}: use 'adaptive' or 'content'")


def _phash(candidate: _Candidate) -> Any:
    if candidate.phash is None:
        import imagehash
        from PIL import Image as PILImage

        rgb = candidate.small[:, :, ::-1]
        candidate.phash = imagehash.phash(PILImage.fromarray(rgb))
    return candidate.phash


class _Deduper:
    def __init__(self, distance: int) -> None:
        self.distance = distance
        self.kept: list[Any] = []
        self.dropped = 0

    def accept(self, candidate: _Candidate) -> bool:
        digest = _phash(candidate)
        if any(digest - other <= self.distance for other in self.kept):
            self.dropped += 1
            return False
        self.kept.append(digest)
        return True


def _allocate(
    scenes: list[_ClosedScene], budget: int, deduper: _Deduper
) -> list[tuple[_ClosedScene, _Candidate]]:
    """Round-robin over scenes, longest first: one frame each before anyone gets a second."""
    order = sorted(scenes, key=lambda s: (-(s.end - s.start), s.index))
    cursors = {s.index: 0 for s in order}
    chosen: list[tuple[_ClosedScene, _Candidate]] = []
    while len(chosen) < budget:
        progressed = False
        for scene in order:
            if len(chosen) >= budget:
                break
            while cursors[scene.index] < len(scene.candidates):
                candidate = scene.candidates[cursors[scene.index]]
                cursors[scene.index] += 1
                progressed = True
                if deduper.accept(candidate):
                    chosen.append((scene, candidate))
                    break
        if not progressed:
            break
    return chosen


def _evenly(candidates: list[_Candidate], budget: int, deduper: _Deduper) -> list[_Candidate]:
    """Pick up to ``budget`` candidates spread evenly in time, skipping near-duplicates."""
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: c.frame_number)
    first, last = ordered[0].frame_number, ordered[-1].frame_number
    span = max(1, last - first + 1)
    chosen: list[_Candidate] = []
    used: set[int] = set()
    for slot in range(min(budget, len(ordered))):
        target = first + (slot + 0.5) * span / min(budget, len(ordered))
        for candidate in sorted(ordered, key=lambda c: abs(c.frame_number - target)):
            if candidate.frame_number in used:
                continue
            used.add(candidate.frame_number)
            if deduper.accept(candidate):
                chosen.append(candidate)
                break
    return sorted(chosen, key=lambda c: c.frame_number)


def _thin(candidates: list[_Candidate], cap: int) -> list[_Candidate]:
    """Keep every other candidate when over ``cap``: what is left stays evenly spread."""
    return candidates[::2] if len(candidates) > cap else candidates


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
) -> _Decoding:
    """The single decode pass: every frame decoded once, only a small copy of wanted ones made."""
    state = _Decoding()
    pool_cap = max(16, 4 * max_frames)
    candidates = _decoded_frames(clip, reader, strategy, stride, state)
    with ExitStack() as stack:
        if concurrent:
            candidates = stack.enter_context(_Prefetched(candidates, DECODE_AHEAD))
        for candidate, ordinal in candidates:
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


def sample_frames(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    max_frames: int = 8,
    strategy: Strategy | str = "scene",
    max_pixels: int = DEFAULT_MAX_PIXELS,
    detector: Detector = "adaptive",
    analysis_stride: int | None = None,
    dedup_distance: int = DEFAULT_DEDUP_DISTANCE,
    concurrent: bool = True,
) -> SampleManifest:
    """Decode a clip once, choose up to ``max_frames`` frames, write JPEGs and ``manifest.json``.

    Args:
        path: The clip.
        out_dir: Directory for the JPEGs and the manifest (created; earlier ``frame_*.jpg``
            files in it are removed so the manifest and directory agree).
        max_frames: Frame budget for the whole clip.
        strategy: ``scene`` (PySceneDetect scenes, default), ``uniform`` (evenly spaced) or
            ``keyframes`` (the codec's intra frames, evenly thinned).
        max_pixels: Per-frame pixel budget; the default 448*448 is ~256 Qwen2.5-VL tokens.
        detector: PySceneDetect detector for the scene strategy: ``adaptive`` or ``content``.
        analysis_stride: Analyse every Nth frame (the others are decoded but not converted);
            default 2. Cuts are then exact to within ``stride - 1`` frames.
        dedup_distance: phash Hamming distance at or under which frames are duplicates.
        concurrent: Decode on a background thread and encode/describe the chosen frames on a
            worker pool (default); False does everything on the calling thread. The manifest
            and files are the same either way.

    Returns:
        The manifest (also written to ``out_dir/manifest.json``).

    Raises:
        FootageError: The clip is missing, unreadable, not a video, absurd or undecodable.
        ConfigError: A budget, strategy or detector that makes no sense.
    """
    if max_frames < 1:
        raise ConfigError(f"max_frames must be at least 1, got {max_frames}")
    if max_pixels < PATCH * PATCH:
        raise ConfigError(f"max_pixels must be at least {PATCH * PATCH}, got {max_pixels}")
    if strategy not in ("scene", "uniform", "keyframes"):
        raise ConfigError(f"unknown strategy {strategy!r}: use scene, uniform or keyframes")
    if analysis_stride is not None and analysis_stride < 1:
        raise ConfigError(f"analysis_stride must be at least 1, got {analysis_stride}")

    clip = check_readable(path)
    with _Renderer(max_pixels, concurrent) as renderer:
        return _sample(
            clip,
            Path(out_dir),
            renderer,
            max_frames=max_frames,
            strategy=strategy,
            detector=detector,
            stride=analysis_stride or DEFAULT_ANALYSIS_STRIDE,
            dedup_distance=dedup_distance,
        )


def _sample(
    clip: Path,
    out_dir: Path,
    renderer: _Renderer,
    *,
    max_frames: int,
    strategy: Strategy,
    detector: Detector,
    stride: int,
    dedup_distance: int,
) -> SampleManifest:
    """``sample_frames`` once its arguments are checked."""
    size = clip.stat().st_size
    reader = open_video(clip, size)
    facts = reader.facts
    # Hashing reads the whole file: on the worker pool it overlaps the decode.
    content_hash = renderer.background(sha256_file, clip)
    fps = effective_fps(facts)
    max_pixels = renderer.max_pixels
    scene_sampler = (
        _SceneSampler(_make_detector(detector), fps, max_frames, on_close=renderer.start)
        if strategy == "scene"
        else None
    )
    try:
        decoding = _decode_once(
            clip, reader, strategy, stride, scene_sampler, max_frames, renderer.concurrent
        )
    finally:
        reader.close()
    decoded, pool = decoding.decoded, decoding.pool

    if decoded == 0:
        raise FootageError(f"no frame decodes (damaged or not a video): {clip}")
    reject_still_image(clip, decoded, facts.declared_frames)

    notes: list[str] = []
    lost = max(0, facts.declared_frames - decoded)
    if lost:
        notes.append(
            f"{lost} of {facts.declared_frames} declared frames did not decode "
            f"({100.0 * lost / facts.declared_frames:.0f}% lost); kept the {decoded} that did"
        )
    deduper = _Deduper(dedup_distance)
    picks: list[tuple[int, _Candidate]]
    if scene_sampler is not None:
        scene_sampler.finish(decoded)
        closed = scene_sampler.closed
        scenes = [_scene(s.index, s.start, s.end, fps) for s in closed]
        chosen = _allocate(closed, max_frames, deduper)
        picks = [(s.index, c) for s, c in chosen]
        if len(closed) > max_frames:
            notes.append(
                f"{len(closed)} scenes but a budget of {max_frames} frames: showing the longest "
                "distinct scenes"
            )
    else:
        scenes = [_scene(0, 0, decoded, fps)]
        if strategy == "keyframes" and not decoding.keyframes_seen:
            notes.append("the decoder reported no intra frames: keyframes strategy found none")
        picks = [(0, c) for c in _evenly(pool, max_frames, deduper)]
    if deduper.dropped:
        notes.append(f"{deduper.dropped} near-duplicate candidates skipped (phash)")
    covered = {scene for scene, _ in picks}
    uncovered = [s.index for s in scenes if s.index not in covered]

    width, height = displayed_size(picks[0][1].frame) if picks else (facts.width, facts.height)
    video = VideoProbe(
        path=clip,
        sha256=content_hash(),
        frames=decoded,
        declared_frames=facts.declared_frames,
        fps=fps,
        duration=decoded / fps,
        width=width,
        height=height,
        codec=facts.codec,
        size_bytes=size,
    )
    frames = _write_frames(out_dir, picks, fps, renderer)
    manifest = SampleManifest(
        video=video,
        strategy=strategy,
        detector=detector if strategy == "scene" else None,
        analysis_stride=stride if strategy == "scene" else decoding.pool_stride,
        max_frames=max_frames,
        max_pixels=max_pixels,
        scenes=scenes,
        frames=frames,
        decoded_frames=decoded,
        lost_frames=lost,
        visual_tokens=sum(f.visual_tokens for f in frames),
        dropped_duplicates=deduper.dropped,
        uncovered_scenes=uncovered,
        notes=notes,
    )
    _write(out_dir / MANIFEST_NAME, (manifest.model_dump_json(indent=2) + "\n").encode())
    return manifest


def _scene(index: int, start: int, end: int, fps: float) -> Scene:
    return Scene(
        index=index,
        start_frame=start,
        end_frame=end,
        start_s=round(start / fps, 4),
        end_s=round(end / fps, 4),
    )


def _write(target: Path, data: bytes) -> None:
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


def _write_frames(
    out_dir: Path, picks: list[tuple[int, _Candidate]], fps: float, renderer: _Renderer
) -> list[SampledFrame]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        stale = set(out_dir.glob("frame_*.jpg"))
    except OSError as exc:
        raise ConfigError(f"cannot write frames to {out_dir}: {exc.strerror or exc}") from None
    ordered = sorted(picks, key=lambda p: p[1].frame_number)
    for _, candidate in ordered:
        renderer.start(candidate)
    frames: list[SampledFrame] = []
    previous = None
    for number, (scene, candidate) in enumerate(ordered):
        rendered = renderer.result(candidate)
        target = out_dir / f"frame_{number:03d}_{candidate.frame_number:06d}.jpg"
        _write(target, rendered.jpeg)
        stale.discard(target)
        descriptors = rendered.descriptors
        if previous is not None:
            # Motion is the one measure that depends on the previous pick, so it is added
            # here, in time order, by the same function describe_frame uses.
            motion = motion_between(rendered.thumb, previous)
            descriptors = descriptors.model_copy(update={"motion": motion})
        previous = rendered.thumb
        frames.append(
            SampledFrame(
                scene=scene,
                frame_number=candidate.frame_number,
                timestamp=round(candidate.frame_number / fps, 4),
                path=target,
                phash=str(_phash(candidate)),
                width=rendered.width,
                height=rendered.height,
                visual_tokens=visual_tokens(rendered.width, rendered.height),
                descriptors=descriptors,
            )
        )
    # Earlier runs' frames that this run did not rewrite: gone, so the folder matches the
    # manifest (rewritten names are simply overwritten, which is cheaper than unlinking).
    for leftover in stale:
        leftover.unlink(missing_ok=True)
    return frames


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


def _render(frame_number: int, source: Any, max_pixels: int) -> _Rendered:
    """Convert a decoded frame to BGR at the pixel budget, encode it as JPEG and describe it."""
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
    return _Rendered(out_w, out_h, jpeg.tobytes(), descriptors, thumb)


class _Renderer:
    """Renders chosen frames, on a worker pool when concurrent, else when asked for.

    Rendering is a pure function of the frame, so a frame rendered early (speculatively, while
    the clip still decodes) gives exactly what rendering it at the end would; a speculation
    that is not picked costs one wasted render, at most one per scene within the budget.
    """

    def __init__(self, max_pixels: int, concurrent: bool) -> None:
        self.max_pixels = max_pixels
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
                _render, candidate.frame_number, candidate.frame, self.max_pixels
            )

    def result(self, candidate: _Candidate) -> _Rendered:
        """The rendered frame, waiting for a background render or rendering it now."""
        job = self._jobs.get(candidate.frame_number)
        if job is not None:
            return job.result()
        return _render(candidate.frame_number, candidate.frame, self.max_pixels)
