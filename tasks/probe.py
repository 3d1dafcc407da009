"""Probe a clip: what it really is, measured by decoding rather than believed from its header.

Containers lie (one real AVI declares 444 frames and decodes 68), so ``frames`` is the number of
frames that actually decode; ``declared_frames`` keeps what the header claimed. The content
sha256 is streamed and is what cache keys use.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, computed_field

from core.exceptions import FootageError
from core.files import sha256_file
from tasks._orientation import displayed_size
from tasks._video import (
    check_frame_shape,
    check_readable,
    effective_fps,
    open_video,
    reject_still_image,
)

__all__ = ["VideoProbe", "check_decodable", "declared_fps", "fingerprint", "probe"]


class VideoProbe(BaseModel):
    """Facts about one clip; ``frames`` and ``duration`` come from decoding, not the header."""

    model_config = ConfigDict(frozen=True)

    path: Path = Field(description="The clip as given.")
    sha256: str = Field(description="Hex sha256 of the file's bytes (cache-key identity).")
    frames: int = Field(description="Frames that actually decode.")
    declared_frames: int = Field(description="Frame count the container header declares (0: none).")
    fps: float = Field(description="Frame rate (declared; 25 assumed when the header has none).")
    duration: float = Field(description="Seconds of decodable video: frames / fps.")
    width: int = Field(description="Width in pixels of the frames as displayed (rotation applied).")
    height: int = Field(description="Height in pixels of the frames as displayed.")
    codec: str = Field(
        description="FFmpeg's decoder and the stream's FourCC, e.g. 'mpeg4/XVID', 'h264/avc1'."
    )
    size_bytes: int = Field(description="File size in bytes.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def lost_frames(self) -> int:
        """Frames the header declares that did not decode (0 when it declares none or fewer)."""
        return max(0, self.declared_frames - self.frames)

    def summary(self) -> str:
        """One human line, e.g. for the CLI."""
        lost = f", {self.lost_frames} declared frames lost" if self.lost_frames else ""
        return (
            f"{self.path.name}: {self.width}x{self.height} {self.codec} @ {self.fps:g} fps, "
            f"{self.frames} frames ({self.duration:.2f} s){lost}, {self.size_bytes} bytes, "
            f"sha256 {self.sha256[:12]}"
        )


def probe(path: str | os.PathLike[str]) -> VideoProbe:
    """Measure a clip by decoding every frame once (nothing is colour-converted).

    Args:
        path: The clip.

    Returns:
        The probe, with ``frames`` counted from decoding.

    Raises:
        FootageError: Missing, a directory, empty, unreadable, not a video, an absurd header,
            or a stream in which no frame decodes.
    """
    clip = check_readable(path)
    size = clip.stat().st_size
    frames = 0
    width = height = 0
    with open_video(clip, size) as reader:
        facts = reader.facts
        for frame in reader.frames():
            if frames == 0:
                check_frame_shape(clip, (frame.height, frame.width))
                width, height = displayed_size(frame)
            frames += 1
    if frames == 0:
        raise FootageError(f"no frame decodes (damaged or not a video): {clip}")
    reject_still_image(clip, frames, facts.declared_frames)
    fps = effective_fps(facts)
    return VideoProbe(
        path=clip,
        sha256=sha256_file(clip),
        frames=frames,
        declared_frames=facts.declared_frames,
        fps=fps,
        duration=frames / fps,
        width=width,
        height=height,
        codec=facts.codec,
        size_bytes=size,
    )


def fingerprint(path: str | os.PathLike[str]) -> str:
    """The content sha256 ``probe`` reports, without decoding: for cache look-ups.

    Args:
        path: The clip.

    Returns:
        Hex sha256 of the file's bytes.

    Raises:
        FootageError: Missing, a directory, empty or unreadable (not checked: being a video).
    """
    return sha256_file(check_readable(path))


def check_decodable(path: str | os.PathLike[str]) -> Path:
    """Cheap admission check: the file is a video whose first frame decodes.

    Reads the header and one frame, not the whole clip, so a job can refuse bad footage
    before it spends a model call (``probe`` decodes everything and hashes the bytes).

    Args:
        path: The clip.

    Returns:
        The path as a ``Path``.

    Raises:
        FootageError: Missing, a directory, empty, unreadable, not a video, an absurd header,
            or no frame decodes.
    """
    clip = check_readable(path)
    with open_video(clip, clip.stat().st_size) as reader:
        first = next(iter(reader.frames()), None)
        if first is None:
            raise FootageError(f"no frame decodes (damaged or not a video): {clip}")
        check_frame_shape(clip, (first.height, first.width))
    return clip


def declared_fps(path: str | os.PathLike[str]) -> float | None:
    """The frame rate a clip's header declares, read without decoding a frame.

    It is the rate ``probe`` times frames with, except that a header declaring none gives
    None here, not 25: a frame asked of such footage has no length anyone knows.

    Args:
        path: The clip.

    Returns:
        Frames per second, or None when the header declares no rate.

    Raises:
        FootageError: Missing, a directory, empty, unreadable, not a video or an absurd header.
    """
    clip = check_readable(path)
    with open_video(clip, clip.stat().st_size) as reader:
        fps = reader.facts.fps
    return fps if fps > 0 else None
