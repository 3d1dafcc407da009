"""Bring a rendered video's loudness to a target (EBU R128 integrated, measured, not assumed).

The render's audio is measured with pyloudnorm (``levels.integrated_lufs``), one gain is
applied by FFmpeg (the video stream is copied, the audio re-encoded as AAC), and the result
is measured again; a second pass corrects what the encoder or the limiter moved. A gain
that would push the sample peak over ``PEAK_DBFS`` goes through FFmpeg's limiter.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.exceptions import FootageError
from tasks.audio.decode import SAMPLE_RATE, read_audio
from tasks.audio.levels import integrated_lufs, peak_dbfs

__all__ = ["PEAK_DBFS", "Normalised", "measure_lufs", "normalise_loudness"]

PEAK_DBFS = -1.0
# Closer than this to the target is done.
_CLOSE_LU = 0.3


@dataclass(frozen=True)
class Normalised:
    """Loudness before and after, LUFS (None: silent or no audio), and the gain applied."""

    before: float | None
    after: float | None
    gain_db: float


def measure_lufs(path: Path) -> tuple[float | None, float | None]:
    """Integrated loudness (LUFS) and sample peak (dBFS) of a file's audio; Nones without."""
    decoded = read_audio(path)
    if decoded is None or decoded.samples.shape[1] == 0:
        return None, None
    return integrated_lufs(decoded.samples, SAMPLE_RATE), peak_dbfs(decoded.samples)


def _apply(source: Path, target: Path, gain_db: float, limit: bool) -> None:
    import imageio_ffmpeg

    chain = f"volume={gain_db:.2f}dB"
    if limit:
        chain += f",alimiter=limit={10 ** (PEAK_DBFS / 20):.4f}:level=false"
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-i", str(source),
        "-map", "0:v?", "-map", "0:a:0", "-c:v", "copy", "-af", chain,
        "-c:a", "aac", "-b:a", "192k", "-movflags", "+faststart", str(target),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
        raise FootageError(f"cannot normalise the loudness of {source.name}: {last}")


def normalise_loudness(video: Path, target_lufs: float) -> Normalised:
    """Rewrite ``video`` in place so its audio measures ``target_lufs``.

    Args:
        video: A rendered video with an audio track (MP4).
        target_lufs: The integrated loudness to reach, e.g. -14.

    Returns:
        What was measured before and after and the total gain; a file without audio, or
        with silence, is left as it is (``before`` None).

    Raises:
        FootageError: FFmpeg could not rewrite the file.
    """
    before, peak = measure_lufs(video)
    if before is None:
        return Normalised(None, None, 0.0)
    current, total = before, 0.0
    for _ in range(2):
        if abs(current - target_lufs) <= _CLOSE_LU:
            break
        gain = target_lufs - current
        limit = peak is not None and peak + gain > PEAK_DBFS
        handle, name = tempfile.mkstemp(suffix=video.suffix or ".mp4", dir=video.parent)
        os.close(handle)
        staged = Path(name)
        try:
            _apply(video, staged, gain, limit)
            os.replace(staged, video)
        finally:
            staged.unlink(missing_ok=True)
        total += gain
        measured, peak = measure_lufs(video)
        if measured is None:
            break
        current = measured
    return Normalised(before, current, round(total, 2))
