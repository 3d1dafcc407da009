"""Private helpers shared by the footage tasks: path checks, the container header, one decode pass.

Everything that turns a bad input into a one-line ``FootageError`` lives here, so ``probe``
and ``sample_frames`` reject the same files with the same words.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from core.exceptions import FootageError

__all__ = [
    "MAX_SIDE",
    "ContainerFacts",
    "VideoReader",
    "check_frame_shape",
    "check_readable",
    "effective_fps",
    "import_av",
    "import_cv2",
    "open_video",
    "reject_still_image",
]

# DCI 8K is 8192 wide; past that a header is lying or hostile and decoding it would allocate
# hundreds of megabytes per frame, so refuse before the first read.
MAX_SIDE = 8192
MAX_FPS = 1000.0
# After a failed packet read, how many more to try before calling it the end: a damaged run
# of bytes fails once per attempt, and the frames after it are still worth keeping.
RESYNC_ATTEMPTS = 8


@dataclass(frozen=True)
class ContainerFacts:
    """What the container header says (not yet checked against decoding)."""

    fps: float
    width: int
    height: int
    codec: str
    declared_frames: int


@lru_cache(maxsize=1)
def import_av() -> ModuleType:
    """Import PyAV, whose FFmpeg log stays off (PyAV's default).

    A damaged clip would print a line per bad packet; the CLI promises one error line, and
    what was lost is reported in the probe/manifest instead.
    """
    import av

    return av


@lru_cache(maxsize=1)
def import_cv2() -> ModuleType:
    """Import OpenCV with its and FFmpeg's console logging quietened.

    A damaged clip makes FFmpeg print a line per bad packet; the CLI promises one error line,
    and what was lost is reported in the probe/manifest instead. The variables only set
    defaults, so a developer can still turn the logs back on.
    """
    os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    import cv2

    return cv2


def check_readable(path: str | os.PathLike[str]) -> Path:
    """Reject paths that cannot be a readable video file, with a one-line reason.

    Args:
        path: The clip to check.

    Returns:
        The path as a ``Path``.

    Raises:
        FootageError: Missing, a directory, not a regular file, zero bytes or unreadable.
    """
    clip = Path(path)
    try:
        info = clip.stat()
    except FileNotFoundError:
        raise FootageError(f"no such file: {clip}") from None
    except PermissionError:
        raise FootageError(f"permission denied: cannot read {clip}") from None
    except OSError as exc:
        raise FootageError(f"cannot read {clip}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FootageError(f"is a directory, not a video file: {clip}")
    if not stat.S_ISREG(info.st_mode):
        raise FootageError(f"not a regular file: {clip}")
    if info.st_size == 0:
        raise FootageError(f"empty file (0 bytes), not a video: {clip}")
    try:
        with clip.open("rb") as handle:
            handle.read(1)
    except PermissionError:
        raise FootageError(f"permission denied: cannot read {clip}") from None
    except OSError as exc:
        raise FootageError(f"cannot read {clip}: {exc.strerror or exc}") from None
    return clip


def _codec_label(stream: Any) -> str:
    """FFmpeg's decoder name and the stream's FourCC, e.g. ``mpeg4/XVID``, ``h264/avc1``."""
    context = stream.codec_context
    tag = str(context.codec_tag or "").strip("\x00 ")
    name = str(context.name or "unknown")
    return f"{name}/{tag}" if tag and tag.isprintable() else name


def _declared_frames(stream: Any, fps: float) -> int:
    """The header's frame count, or one estimated from the declared duration (as OpenCV does)."""
    if stream.frames and stream.frames > 0:
        return int(stream.frames)
    if stream.duration and stream.time_base and fps > 0:
        return max(0, round(float(stream.duration * stream.time_base) * fps))
    return 0


class VideoReader:
    """One forward pass over a clip's first video stream, with PyAV (FFmpeg's own decoder).

    ``frames()`` yields every frame that decodes, in order, as ``av.VideoFrame`` objects in
    the codec's own pixel format: nothing is colour-converted until a caller asks, which is
    what lets an analysis cost less than OpenCV's ``read()`` loop (that converts every frame
    to full-size BGR). A packet that fails to decode is skipped, so the frames after a
    damaged run are still delivered (what was lost shows against the declared frame count).
    Use as a context manager, or call ``close``.
    """

    def __init__(self, container: Any, stream: Any, facts: ContainerFacts) -> None:
        self._container = container
        self._stream = stream
        self._audio: tuple[Any, Callable[[Any], None]] | None = None
        self.facts = facts

    def listen(self, sink: Callable[[Any, float], Callable[[Any], None]]) -> bool:
        """Demux the first audio stream with the video and give its packets to a sink.

        The audio is read in the same pass as the video, never in a second read of the file.

        Args:
            sink: Called now with the audio stream and the video's start time (seconds), it
                returns the function that ``frames()`` then calls with each audio packet.

        Returns:
            False when the clip has no audio stream (nothing is routed).
        """
        streams = self._container.streams.audio
        if not streams:
            return False
        start = self._stream.start_time
        origin = float(start * self._stream.time_base) if start is not None else 0.0
        self._audio = (streams[0], sink(streams[0], origin))
        return True

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the demuxer and decoder."""
        self._container.close()

    def frames(self) -> Iterator[Any]:
        """Decode the stream once, front to back; never seeks.

        Yields:
            Each decoded ``av.VideoFrame`` (audio packets go to the ``listen`` sink).
        """
        error = import_av().FFmpegError
        streams = (self._stream,) if self._audio is None else (self._stream, self._audio[0])
        packets = self._container.demux(*streams)
        failures = 0
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                return
            except error:
                # A read error ends PyAV's packet generator; the container's position is
                # past the bad bytes, so a new one resumes there, up to a limit.
                failures += 1
                if failures > RESYNC_ATTEMPTS:
                    return
                packets = self._container.demux(*streams)
                continue
            failures = 0
            if self._audio is not None and packet.stream.index != self._stream.index:
                self._audio[1](packet)
                continue
            try:
                decoded = packet.decode()
            except error:
                continue
            yield from decoded


def open_video(clip: Path, size_bytes: int) -> VideoReader:
    """Open a clip's first video stream and validate what its header declares.

    Args:
        clip: A path that passed ``check_readable``.
        size_bytes: Its size on disk, to catch frame counts no file of that size can hold.

    Returns:
        A reader (the caller closes it) whose ``facts`` hold the container's declarations.

    Raises:
        FootageError: Not a video, or a header declaring an absurd size or rate.
    """
    av = import_av()
    try:
        container = av.open(str(clip), metadata_errors="replace")
    except (av.FFmpegError, UnicodeDecodeError, OSError):
        raise FootageError(f"not a video (no decodable video stream): {clip}") from None
    try:
        if not container.streams.video:
            raise FootageError(f"not a video (no decodable video stream): {clip}")
        stream = container.streams.video[0]
        context = stream.codec_context
        rate = stream.guessed_rate or stream.average_rate
        fps = float(rate) if rate else 0.0
        facts = ContainerFacts(
            fps=fps,
            width=int(context.width or 0),
            height=int(context.height or 0),
            codec=_codec_label(stream),
            declared_frames=_declared_frames(stream, fps),
        )
        problem = _absurd(facts, size_bytes)
        if problem:
            raise FootageError(f"absurd declared {problem}, refusing to decode: {clip}")
    except BaseException:
        container.close()
        raise
    return VideoReader(container, stream, facts)


def _absurd(facts: ContainerFacts, size_bytes: int) -> str | None:
    if facts.width <= 0 or facts.height <= 0:
        return f"frame size {facts.width}x{facts.height}"
    if facts.width > MAX_SIDE or facts.height > MAX_SIDE:
        return f"frame size {facts.width}x{facts.height} (limit {MAX_SIDE} per side)"
    if not math.isfinite(facts.fps) or facts.fps < 0 or facts.fps > MAX_FPS:
        return f"frame rate {facts.fps:g} fps (limit {MAX_FPS:g})"
    # Containers may over-declare (we trust decoding), but less than one byte per frame is
    # not a miscount, it is a corrupt or hostile header.
    if facts.declared_frames > size_bytes:
        return f"frame count {facts.declared_frames} for a {size_bytes}-byte file"
    return None


def effective_fps(facts: ContainerFacts) -> float:
    """The frame rate to time frames with: the declared one, or 25 when the header has none."""
    return facts.fps if facts.fps > 0 else 25.0


def check_frame_shape(clip: Path, shape: tuple[int, ...]) -> None:
    """Refuse a decoded frame whose real size is absurd (headers are not the only liars).

    Args:
        clip: The clip, for the message.
        shape: ``frame.shape`` of the first decoded frame.

    Raises:
        FootageError: When the decoded frame is larger than any sane video frame.
    """
    height, width = int(shape[0]), int(shape[1])
    if width > MAX_SIDE or height > MAX_SIDE:
        raise FootageError(
            f"absurd decoded frame size {width}x{height} (limit {MAX_SIDE} per side): {clip}"
        )


def reject_still_image(clip: Path, frames: int, declared_frames: int) -> None:
    """Refuse a lone picture: FFmpeg opens a PNG or JPEG as a one-frame stream with no count.

    Args:
        clip: The clip, for the message.
        frames: Frames that decoded.
        declared_frames: Frames the container declared (0 for image files).

    Raises:
        FootageError: One frame and no declared count: a still image.
    """
    if frames == 1 and declared_frames == 0:
        raise FootageError(f"a single still image, not a video: {clip}")
