"""Render the example clip: 10 s, 320x180, 24 fps, four scenes with hard cuts.

Each scene has its own background colour and a moving shape, so scene detection has
unambiguous cuts at 2.5 s, 5.0 s and 7.5 s (frames 60, 120, 180). Deterministic: the same
script always writes the same frames.

    python examples/make_clip.py [OUTPUT]      # default: examples/clip.mp4
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

WIDTH, HEIGHT, FPS = 320, 180, 24
SCENE_SECONDS = 2.5
CUTS_S = (2.5, 5.0, 7.5)

# (background BGR, shape BGR, shape kind)
SCENES = (
    ((40, 20, 150), (60, 220, 255), "circle"),  # dark red ground, yellow ball rolling right
    ((140, 90, 20), (255, 255, 255), "square"),  # blue ground, white square rising
    ((40, 130, 30), (200, 40, 220), "triangle"),  # green ground, magenta triangle spinning
    ((30, 30, 30), (0, 140, 255), "bars"),  # near-black ground, orange bars sweeping
)


def _frame(scene: int, t: float) -> np.ndarray:
    import cv2

    background, colour, kind = SCENES[scene]
    image = np.empty((HEIGHT, WIDTH, 3), dtype=np.uint8)
    image[:] = background
    # A soft vertical gradient gives the frames some texture without hurting compression.
    shade = np.linspace(0, 40, HEIGHT, dtype=np.uint8)[:, None, None]
    image = cv2.add(image, np.broadcast_to(shade, image.shape).copy())
    u = t / SCENE_SECONDS  # 0..1 within the scene
    if kind == "circle":
        cv2.circle(image, (int(30 + u * 260), 100 + int(20 * np.sin(u * 12))), 22, colour, -1)
    elif kind == "square":
        y = int(150 - u * 120)
        cv2.rectangle(image, (135, y - 25), (185, y + 25), colour, -1)
    elif kind == "triangle":
        angle = u * 2 * np.pi
        pts = [
            (
                160 + 50 * np.cos(angle + k * 2 * np.pi / 3),
                90 + 50 * np.sin(angle + k * 2 * np.pi / 3),
            )
            for k in range(3)
        ]
        cv2.fillPoly(image, [np.array(pts, dtype=np.int32)], colour)
    else:
        for k in range(4):
            x = int((u * WIDTH + k * 80) % WIDTH)
            cv2.rectangle(image, (x, 20), (x + 25, 160), colour, -1)
    return image


def frames() -> list[np.ndarray]:
    """Every frame of the clip, in order (BGR)."""
    per_scene = int(SCENE_SECONDS * FPS)
    return [_frame(s, i / FPS) for s in range(len(SCENES)) for i in range(per_scene)]


def write(output: Path) -> Path:
    """Encode the clip as H.264 MP4 (ffmpeg from imageio-ffmpeg, which moviepy ships)."""
    import imageio_ffmpeg

    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial.mp4")
    writer = imageio_ffmpeg.write_frames(
        str(partial),
        (WIDTH, HEIGHT),
        fps=FPS,
        codec="libx264",
        pix_fmt_in="bgr24",
        output_params=["-pix_fmt", "yuv420p", "-g", str(FPS), "-movflags", "+faststart"],
        macro_block_size=4,
        ffmpeg_log_level="error",
    )
    writer.send(None)
    for image in frames():
        writer.send(np.ascontiguousarray(image).tobytes())
    writer.close()
    partial.replace(output)
    return output


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("clip.mp4")
    path = write(target)
    print(f"wrote {path} ({path.stat().st_size} bytes, cuts at {', '.join(map(str, CUTS_S))} s)")
