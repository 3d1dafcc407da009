"""One low-resolution decode pass per file: what the verifier measures is read from here.

Every decoded frame (at most ``MAX_RATE`` a second) becomes a 16x16 grey thumbnail (the
fingerprint), a small grey picture (to see what a render added to its source), its mean
luma and its mean saturation; the render also keeps a small colour
picture every ``1 / COLOUR_RATE`` s (colour checks) and a larger one every ``1 / OCR_RATE`` s
(captions). Nothing here judges anything: it only turns files into numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tasks._video import check_readable, effective_fps, import_av, import_cv2, open_video

__all__ = [
    "OCR_WIDTH",
    "SMALL_WIDTH",
    "AudioFacts",
    "Footage",
    "frame_at",
    "frames_at",
    "read_footage",
]

MAX_RATE = 30.0
COLOUR_RATE = 10.0
OCR_RATE = 2.0
OCR_WIDTH = 640
THUMB = 16
SMALL_WIDTH = 96

FloatArray = NDArray[np.float32]


@dataclass(frozen=True)
class AudioFacts:
    """The first audio stream, if any: its codec and loudness (RMS, dBFS)."""

    codec: str | None
    rms_dbfs: float | None


@dataclass
class Footage:
    """A clip reduced to per-frame numbers (times in seconds from the first frame)."""

    path: Path
    width: int
    height: int
    sample_aspect: float
    fps: float
    duration_s: float
    times: FloatArray
    thumbs: FloatArray  # (n, THUMB * THUMB) grey, 0-255
    smalls: NDArray[np.uint8]  # (n, h, w) grey, SMALL_WIDTH wide
    luma: FloatArray  # (n,) mean BT.601 luma, 0-255
    saturation: FloatArray  # (n,) mean HSV saturation, 0-255
    # The same grey pictures made as the plain mean of R, G and B: how MoviePy's and many
    # tools' black-and-white (and sepia, a tint of it) weigh colours, unlike BT.601 luma. A
    # graded render is matched against whichever grey it was made with.
    thumbs_mean: FloatArray = field(
        default_factory=lambda: np.zeros((0, THUMB * THUMB), np.float32)
    )
    smalls_mean: NDArray[np.uint8] = field(default_factory=lambda: np.zeros((0, 1, 1), np.uint8))
    colour_times: list[float] = field(default_factory=list)
    colour_frames: list[NDArray[np.uint8]] = field(default_factory=list)  # small HSV images
    ocr_times: list[float] = field(default_factory=list)
    ocr_frames: list[NDArray[np.uint8]] = field(default_factory=list)  # RGB, OCR_WIDTH wide
    audio: AudioFacts = AudioFacts(None, None)

    def nearest(self, t: float) -> int:
        """The index of the decoded frame nearest ``t`` s (the first or last beyond the ends)."""
        k = int(np.clip(np.searchsorted(self.times, t), 0, len(self.times) - 1))
        if k > 0 and abs(self.times[k - 1] - t) < abs(self.times[k] - t):
            k -= 1
        return k


def _size_for(width: int, height: int, target: int) -> tuple[int, int]:
    """``(w, h)`` no wider than ``target``, same aspect, even sides (swscale's liking)."""
    if width <= target:
        return width, height
    return target, max(2, round(height * target / width / 2) * 2)


def _frame_time(frame: Any, index: int, fps: float) -> float:
    return float(frame.time) if frame.time is not None else index / fps


def _centre_window(shape: float, aspect: float | None) -> tuple[float, float, float, float]:
    """The centre crop (fractions x0, y0, x1, y1) of a ``shape``-wide picture at ``aspect``."""
    if aspect is None or abs(shape / aspect - 1.0) < 0.02:
        return (0.0, 0.0, 1.0, 1.0)
    if aspect < shape:
        keep = aspect / shape
        return ((1 - keep) / 2, 0.0, (1 + keep) / 2, 1.0)
    keep = shape / aspect
    return (0.0, (1 - keep) / 2, 1.0, (1 + keep) / 2)


def read_footage(
    path: Path, *, keep_pictures: bool = False, aspect: float | None = None
) -> Footage:
    """Decode ``path`` once at low resolution.

    Args:
        path: A video file.
        keep_pictures: Also keep colour pictures and OCR-sized pictures (for the render).
        aspect: Measure only the centre crop of this display aspect (width / height): a
            source seen through a render of another shape (a 9:16 cut of 16:9 footage).

    Returns:
        The clip's per-frame numbers.

    Raises:
        FootageError: Not a readable video.
    """
    cv2 = import_cv2()
    clip = check_readable(path)
    with open_video(clip, clip.stat().st_size) as reader:
        facts = reader.facts
        fps = effective_fps(facts)
        stream = reader._stream
        stream.thread_type = "AUTO"
        sar = stream.codec_context.sample_aspect_ratio
        shape = facts.width * (float(sar) if sar else 1.0) / facts.height
        fx0, fy0, fx1, fy1 = _centre_window(shape, aspect)
        # Decode wide enough that the crop is still about SMALL_WIDTH wide.
        small = _size_for(facts.width, facts.height, round(SMALL_WIDTH / (fx1 - fx0)))
        x0, x1 = round(fx0 * small[0]), round(fx1 * small[0])
        y0, y1 = round(fy0 * small[1]), round(fy1 * small[1])
        # OCR reads a small render enlarged: captions on a 180-line picture are ~20 px high,
        # below what the text detector finds reliably.
        big = (OCR_WIDTH, max(2, round(facts.height * OCR_WIDTH / facts.width / 2) * 2))
        times: list[float] = []
        thumbs: list[FloatArray] = []
        smalls: list[NDArray[np.uint8]] = []
        thumbs_mean: list[FloatArray] = []
        smalls_mean: list[NDArray[np.uint8]] = []
        luma: list[float] = []
        sat: list[float] = []
        empty = np.zeros(0, np.float32)
        foot = Footage(
            path=clip,
            width=facts.width,
            height=facts.height,
            sample_aspect=float(sar) if sar else 1.0,
            fps=fps,
            duration_s=0.0,
            times=empty,
            thumbs=empty,
            smalls=np.zeros((0, y1 - y0, x1 - x0), np.uint8),
            luma=empty,
            saturation=empty,
        )
        # Times count from the stream's start, as players, MoviePy and the audio do: a stream
        # whose first frame comes a frame late (AVI, pts 1) shows that frame at 1/fps.
        origin = stream.start_time
        start: float | None = (
            float(origin * stream.time_base) if origin is not None and stream.time_base else None
        )
        last = -1.0
        next_colour = next_ocr = 0.0
        for index, frame in enumerate(reader.frames()):
            raw_t = _frame_time(frame, index, fps)
            start = raw_t if start is None else start
            t = raw_t - start
            last = max(last, t)
            if times and t - times[-1] < 1.0 / MAX_RATE - 1e-3:
                continue
            rgb = frame.to_ndarray(width=small[0], height=small[1], format="rgb24")
            rgb = np.ascontiguousarray(rgb[y0:y1, x0:x1])
            grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
            hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
            times.append(t)
            thumb = cv2.resize(grey, (THUMB, THUMB), interpolation=cv2.INTER_AREA)
            thumbs.append(thumb.astype(np.float32).ravel())
            smalls.append(grey)
            if not keep_pictures:  # a source: also its plain-mean grey (see Footage)
                plain = rgb.mean(axis=2).round().astype(np.uint8)
                smalls_mean.append(plain)
                small_thumb = cv2.resize(plain, (THUMB, THUMB), interpolation=cv2.INTER_AREA)
                thumbs_mean.append(small_thumb.astype(np.float32).ravel())
            luma.append(float(grey.mean()))
            sat.append(float(hsv[:, :, 1].mean()))
            if keep_pictures and t >= next_colour - 1e-3:
                foot.colour_times.append(t)
                foot.colour_frames.append(hsv)
                next_colour = t + 1.0 / COLOUR_RATE
            if keep_pictures and t >= next_ocr - 1e-3:
                foot.ocr_times.append(t)
                foot.ocr_frames.append(
                    frame.to_ndarray(width=big[0], height=big[1], format="rgb24")
                )
                next_ocr = t + 1.0 / OCR_RATE
    foot.times = np.asarray(times, np.float32)
    foot.thumbs = np.stack(thumbs) if thumbs else np.zeros((0, THUMB * THUMB), np.float32)
    if smalls:
        foot.smalls = np.stack(smalls)
    if smalls_mean:
        foot.smalls_mean = np.stack(smalls_mean)
        foot.thumbs_mean = np.stack(thumbs_mean)
    foot.luma = np.asarray(luma, np.float32)
    foot.saturation = np.asarray(sat, np.float32)
    # The last frame is shown for one frame period: that is what a player's clock says.
    foot.duration_s = max(0.0, last + 1.0 / fps) if times else 0.0
    foot.audio = _audio_facts(clip)
    return foot


def _audio_facts(path: Path) -> AudioFacts:
    """The first audio stream's codec and RMS level over the whole stream (dBFS)."""
    av = import_av()
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return AudioFacts(None, None)
        stream = container.streams.audio[0]
        codec = str(stream.codec_context.name)
        total = 0.0
        count = 0
        try:
            for frame in container.decode(stream):
                array = frame.to_ndarray()
                samples = array.astype(np.float64)
                if np.issubdtype(array.dtype, np.integer):
                    samples /= float(np.iinfo(array.dtype).max)
                total += float(np.square(samples).sum())
                count += samples.size
        except av.FFmpegError:
            pass
    if count == 0:
        return AudioFacts(codec, None)
    rms = (total / count) ** 0.5
    return AudioFacts(codec, float(20.0 * np.log10(rms)) if rms > 0 else -120.0)


def frame_at(path: Path, t: float, width: int = OCR_WIDTH) -> NDArray[np.uint8] | None:
    """The RGB frame shown at ``t`` s (from the first frame), ``width`` wide.

    Used only for the few source frames whose text the verifier must read.
    """
    found = frames_at(path, [t], width)
    return found[0] if found else None


def frames_at(
    path: Path, times: list[float], width: int, fmt: str = "rgb24"
) -> list[NDArray[np.uint8]]:
    """The frames shown at ``times`` s (from the first frame, ascending), ``width`` wide.

    Seeks to the keyframe before the first time and decodes forward once: for the few
    frames a check must see in colour and at more than thumbnail size. Empty if none decode.
    """
    if not times:
        return []
    av = import_av()
    pictures: list[NDArray[np.uint8]] = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
        container.seek(max(0, int((start + times[0] - 1.0) / stream.time_base)), stream=stream)
        w, h = stream.codec_context.width, stream.codec_context.height
        size = (width, max(2, round(h * width / w / 2) * 2))  # as the render's OCR pictures
        wanted = iter(times)
        target = start + next(wanted)
        best = None
        for frame in container.decode(stream):
            # The frame shown at ``target`` is the last one that starts by then.
            while frame.time is not None and frame.time > target + 1e-3 and best is not None:
                pictures.append(best.to_ndarray(width=size[0], height=size[1], format=fmt))
                nxt = next(wanted, None)
                if nxt is None:
                    return pictures
                target = start + nxt
            best = frame
        if best is not None:  # the times left are at or past the last frame
            pictures.append(best.to_ndarray(width=size[0], height=size[1], format=fmt))
            pictures.extend(pictures[-1] for _ in wanted)
    return pictures
