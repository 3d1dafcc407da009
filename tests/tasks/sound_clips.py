"""Sources with known sound for edit tests: unique pictures plus a click track or speech.

Every frame differs (a per-shot texture and a sweeping bar), so the verifier's frame mapping
has one answer; the sound is a click track at a known BPM (``tests.tasks.audio.media``) or
espeak-ng phrases at known times.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tests.tasks.audio.media import RATE

FPS = 24
SIZE = (192, 108)
SHOT_S = 3.0


def picture(index: int) -> np.ndarray:
    """Frame ``index`` (RGB): shot texture from its own seed, a bar at its own place."""
    import cv2

    width, height = SIZE
    t = index / FPS
    shot = int(t // SHOT_S)
    rng = np.random.default_rng(shot + 11)
    blobs = rng.integers(0, 200, (5, 8, 3), dtype=np.uint8)
    frame = cv2.resize(blobs, (width, height), interpolation=cv2.INTER_CUBIC)
    x = int(((t - shot * SHOT_S) / SHOT_S) * (width + 40)) - 40
    cv2.rectangle(frame, (x, 0), (x + 30, height), (250, 250, 250), -1)
    y = int(height * ((index * 7) % 97) / 97)
    cv2.circle(frame, (width // 3, y), height // 7, (10, 10, 10), -1)
    return np.ascontiguousarray(frame)


def write(
    path: Path, seconds: float, audio: np.ndarray, black: tuple[float, float] | None = None
) -> Path:
    """H.264 video of ``picture`` frames plus ``audio`` (mono at ``RATE``) as AAC.

    ``black``: a span of seconds whose frames are black (a shot opening on black).
    """
    import av

    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height = SIZE
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "20"}
        sound = out.add_stream("aac", rate=RATE)
        sound.layout = "mono"
        for index in range(round(seconds * FPS)):
            shown = picture(index)
            if black is not None and black[0] <= index / FPS < black[1]:
                shown = np.zeros_like(shown)
            frame = av.VideoFrame.from_ndarray(shown, format="rgb24")
            out.mux(video.encode(frame))
        out.mux(video.encode())
        size = sound.codec_context.frame_size or 1024
        for start in range(0, len(audio), size):
            chunk = np.zeros(size, np.float32)
            piece = audio[start : start + size]
            chunk[: len(piece)] = piece
            heard = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
            heard.sample_rate = RATE
            heard.pts = start
            out.mux(sound.encode(heard))
        out.mux(sound.encode())
    return path


def render_edl(edl: Any, source: Path, output: Path) -> Path:
    """Run the compiled script of ``edl`` on ``source`` with MoviePy, at its rate as the sandbox."""
    from moviepy import VideoFileClip

    from sandbox.edl import compile_edl

    scope: dict[str, Any] = {}
    exec(compile_edl(edl), scope)  # trusted: compiled from a validated EDL
    clip = VideoFileClip(str(source))
    scope["edit"](clip).write_videofile(
        str(output),
        fps=clip.fps,
        codec="libx264",
        audio_codec="aac",
        preset="ultrafast",
        logger=None,
    )
    clip.close()
    return output
