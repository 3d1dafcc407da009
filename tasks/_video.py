"""Private helpers shared by the footage tasks: path checks, hashing, opening a capture.

Everything that turns a bad input into a one-line ``FootageError`` lives here, so ``probe``
and ``sample_frames`` reject the same files with the same words.
"""

from __future__ import annotations

import hashlib
import math
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from studio.exceptions import FootageError

if TYPE_CHECKING:
    import cv2

__all__ = [
    "MAX_SIDE",
    "ContainerFacts",
    "check_frame_shape",
    "check_readable",
    "effective_fps",
    "import_cv2",
    "open_video",
    "reject_still_image",
    "sha256_file",
]

# DCI 8K is 8192 wide; past that a header is lying or hostile and decoding it would allocate
# hundreds of megabytes per frame, so refuse before the first read.
MAX_SIDE = 8192
MAX_FPS = 1000.0

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class ContainerFacts:
    """What the container header says (not yet checked against decoding)."""

    fps: float
    width: int
    height: int
    codec: str
    declared_frames: int


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


def sha256_file(path: Path) -> str:
    """Hash a file's bytes in 1 MiB chunks (never the whole file in memory).

    Args:
        path: File to hash.

    Returns:
        The hex sha256 of the content.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fourcc(value: float) -> str:
    code = int(value)
    if code <= 0:
        return "unknown"
    text = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4))
    return text.strip("\x00 ") if text.isprintable() else f"0x{code:08x}"


def open_video(clip: Path, size_bytes: int) -> tuple[cv2.VideoCapture, ContainerFacts]:
    """Open a clip with the FFmpeg backend and validate what its header declares.

    The FFmpeg backend is forced so a lone JPEG or PNG is not opened as a one-image
    "sequence" by OpenCV's image backend.

    Args:
        clip: A path that passed ``check_readable``.
        size_bytes: Its size on disk, to catch frame counts no file of that size can hold.

    Returns:
        The open capture (caller releases it) and the container's declared facts.

    Raises:
        FootageError: Not a video, or a header declaring an absurd size or rate.
    """
    cv2 = import_cv2()

    capture = cv2.VideoCapture(str(clip), cv2.CAP_FFMPEG)
    if not capture.isOpened():
        capture.release()
        raise FootageError(f"not a video (no decodable video stream): {clip}")
    width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
    height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    fps = float(capture.get(cv2.CAP_PROP_FPS))
    declared = capture.get(cv2.CAP_PROP_FRAME_COUNT)
    facts = ContainerFacts(
        fps=fps,
        width=width,
        height=height,
        codec=_fourcc(capture.get(cv2.CAP_PROP_FOURCC)),
        declared_frames=int(declared) if math.isfinite(declared) and declared > 0 else 0,
    )
    problem = _absurd(facts, size_bytes)
    if problem:
        capture.release()
        raise FootageError(f"absurd declared {problem}, refusing to decode: {clip}")
    return capture, facts


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
