"""Tiny synthetic clips for sandbox tests (small and short, so renders stay fast)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_clip(
    path: Path,
    seconds: float = 4.0,
    size: str = "160x120",
    pattern: str = "testsrc",
    rate: int = 24,
) -> Path:
    """Encode a synthetic H.264 + AAC clip with ffmpeg's lavfi sources."""
    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"{pattern}=size={size}:rate={rate}",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=22050",
            "-t",
            str(seconds),
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )
    path.chmod(0o644)
    return path


def video_stream_line(path: Path) -> str:
    """The ``Stream ... Video:`` line ffmpeg prints for ``path``."""
    import imageio_ffmpeg

    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return next(line for line in proc.stderr.splitlines() if "Video:" in line)
