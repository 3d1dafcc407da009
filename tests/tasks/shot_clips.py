"""Clips whose shots have known brightness, motion and colour, written with PyAV (H.264 + AAC).

``FOUR_SHOTS`` is the planner's test bed: one answer per superlative, so a test can say which
shot "the brightest" or "the most motion" must be without measuring anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

FPS = 24
SIZE = (160, 120)


@dataclass(frozen=True)
class Look:
    """One shot: a flat BGR colour, with a box that moves from ``moves_from`` (fraction) on."""

    bgr: tuple[int, int, int]
    seconds: float
    box_speed: int = 0  # pixels a frame
    moves_from: float = 0.0
    box_bgr: tuple[int, int, int] = (128, 128, 128)


# 1 dark still, 2 grey with fast motion in its second half, 3 bright still, 4 saturated red
# with a slow box: darkest 1, most motion 2, brightest 3, most colourful 4.
FOUR_SHOTS = (
    Look((30, 30, 30), 2.0),
    Look((110, 110, 110), 2.0, box_speed=9, moves_from=0.5, box_bgr=(250, 250, 250)),
    Look((235, 235, 235), 2.0),
    Look((20, 20, 210), 2.0, box_speed=1, box_bgr=(20, 20, 150)),
)


def write_shots(path: Path, looks: tuple[Look, ...], audio: bool = True) -> Path:
    """Encode ``looks`` back to back as an H.264 MP4 (with a quiet tone when ``audio``)."""
    import av

    width, height = SIZE
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"g": "12", "preset": "ultrafast"}
        sound = container.add_stream("aac", rate=22050) if audio else None
        for look in looks:
            count = round(look.seconds * FPS)
            x = 10
            for index in range(count):
                image = np.empty((height, width, 3), np.uint8)
                image[:] = look.bgr
                if look.box_speed and index >= look.moves_from * count:
                    x = (x + look.box_speed) % (width - 40)
                if look.box_speed:
                    image[40:80, x : x + 40] = look.box_bgr
                frame = av.VideoFrame.from_ndarray(image, format="bgr24")
                container.mux(video.encode(frame))
        container.mux(video.encode())
        if sound is not None:
            _tone(container, sound, sum(look.seconds for look in looks))
    path.chmod(0o644)
    return path


def _tone(container: object, stream: object, seconds: float) -> None:
    import av

    rate, chunk = 22050, 1024
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    for start in range(0, samples.size, chunk):
        frame = av.AudioFrame.from_ndarray(
            samples[None, start : start + chunk], format="flt", layout="mono"
        )
        frame.sample_rate = rate
        container.mux(stream.encode(frame))  # type: ignore[attr-defined]
    container.mux(stream.encode())  # type: ignore[attr-defined]


def decoded_luma(path: Path) -> tuple[list[float], float]:
    """Mean luma of every decoded frame of ``path``, and its frame rate."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or FPS)
        values = [
            float(frame.to_ndarray(format="gray").mean()) for frame in container.decode(stream)
        ]
    return values, fps


def has_audio(path: Path) -> bool:
    import av

    with av.open(str(path)) as container:
        return bool(container.streams.audio)
