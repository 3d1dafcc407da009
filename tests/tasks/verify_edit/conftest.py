"""A synthetic source with four known shots, and renders of it made with MoviePy.

Every shot has its own colour, brightness and texture, and a bar sweeping across it, so each
frame's fingerprint is unique: the verifier's mapping has one right answer. Shot 4 is the
brightest; the source carries a 440 Hz AAC tone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tasks.shots import Shot

FPS = 24
SHOT_S = 2.0
# (RGB base colour) per shot; luma rises to the brightest, shot 4.
_BASES = ((150, 60, 40), (40, 90, 160), (60, 150, 70), (230, 210, 170))


def source_frame(t: float, size: tuple[int, int], sign: str | None = None) -> np.ndarray:
    """The source picture at ``t`` s (RGB), with ``sign`` written on it if given."""
    import cv2

    width, height = size
    shot = min(int(t // SHOT_S), len(_BASES) - 1)
    rng = np.random.default_rng(shot + 7)
    blobs = rng.integers(0, 90, (6, 10, 1), dtype=np.uint8)
    texture = cv2.resize(blobs, (width, height), interpolation=cv2.INTER_CUBIC)
    frame = np.clip(np.array(_BASES[shot], np.int16) + texture[:, :, None] - 45, 0, 255)
    frame = frame.astype(np.uint8)
    local = t - shot * SHOT_S
    x = int((local / SHOT_S) * (width + 80)) - 80
    bar = (20, 20, 20) if shot == 3 else (250, 250, 250)
    cv2.rectangle(frame, (x, 0), (x + 60, height), bar, -1)
    y = int(height * (0.15 + 0.7 * local / SHOT_S))
    cv2.circle(frame, (width - 40 - shot * 30, y), height // 6, (255, 255, 0), -1)
    if sign:
        # Text that belongs to the footage (a shop sign), just above where captions go.
        scale = width / 400
        at = (int(width * 0.08), int(height * 0.6))
        cv2.putText(frame, sign, at, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 6, cv2.LINE_AA)
        cv2.putText(frame, sign, at, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 2)
    return frame


def write_source(
    path: Path,
    size: tuple[int, int],
    seconds: float,
    audio: bool,
    sign: str | None = None,
    paint: Callable[[float, np.ndarray], np.ndarray] | None = None,
) -> Path:
    """Encode the source with PyAV (H.264 + optional AAC tone); ``paint(t, rgb)`` adds to it."""
    import av

    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "18"}
        sound = out.add_stream("aac", rate=44100) if audio else None
        for n in range(round(seconds * FPS)):
            picture = source_frame(n / FPS, size, sign)
            if paint is not None:
                picture = paint(n / FPS, picture)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = n
            out.mux(video.encode(frame))
        out.mux(video.encode())
        if sound is not None:
            total = int(seconds * 44100)
            for start in range(0, total, 1024):
                n = np.arange(start, min(total, start + 1024))
                samples = (0.3 * np.sin(2 * np.pi * 440 * n / 44100)).astype(np.float32)
                chunk = av.AudioFrame.from_ndarray(samples[None, :], format="fltp", layout="mono")
                chunk.sample_rate = 44100
                chunk.pts = start
                out.mux(sound.encode(chunk))
            out.mux(sound.encode())
    return path


def source_shots(seconds: float = 8.0) -> list[Shot]:
    """The shots as measure_shots would report them (luma ordered as the bases are)."""
    lumas = [0.299 * r + 0.587 * g + 0.114 * b for r, g, b in _BASES]
    count = round(seconds / SHOT_S)
    return [
        Shot(
            index=k + 1,
            start_s=k * SHOT_S,
            end_s=(k + 1) * SHOT_S,
            luma=lumas[k],
            motion=10.0,
            colourfulness=80.0,
            peak_s=k * SHOT_S + 1.0,
        )
        for k in range(count)
    ]


# A source whose shot 3 (4-6 s) shows a face, a Megamind close-up pasted top left, in its
# first half only.
FACE_FROM, FACE_TO = 2 * SHOT_S, 2.5 * SHOT_S
_CLOSE_UP = 150  # Megamind's frames from here on show one character facing the camera


def _close_ups(megamind: Path, count: int, width: int) -> list[np.ndarray]:
    import cv2

    capture = cv2.VideoCapture(str(megamind))
    capture.set(cv2.CAP_PROP_POS_FRAMES, _CLOSE_UP)
    pictures = []
    for _ in range(count):
        ok, bgr = capture.read()
        assert ok
        height = round(bgr.shape[0] * width / bgr.shape[1])
        small = cv2.resize(bgr, (width, height), interpolation=cv2.INTER_AREA)
        pictures.append(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
    capture.release()
    return pictures


def write_half_faced(path: Path) -> Path:
    """The half-faced source (skips without Megamind or a face detector)."""
    from tasks.footage import faces_available
    from tests.conftest import MEGAMIND

    if not MEGAMIND.exists():
        pytest.skip(f"shared footage missing: {MEGAMIND}")
    if not faces_available():
        pytest.skip("no face detector (BlazeFace model or Haar cascade) is installed")
    # Moving pictures, so every frame of the face half still has a fingerprint of its own.
    faces = _close_ups(MEGAMIND, round((FACE_TO - FACE_FROM) * FPS), 160)

    def paint(t: float, rgb: np.ndarray) -> np.ndarray:
        if FACE_FROM <= t < FACE_TO:
            face = faces[min(len(faces) - 1, round((t - FACE_FROM) * FPS))]
            rgb[8 : 8 + face.shape[0], 8 : 8 + face.shape[1]] = face
        return rgb

    return write_source(path, (320, 180), 8.0, audio=False, paint=paint)


def half_faced_shots() -> list[Shot]:
    """Its shots as measure_shots counts faces (a frame every 0.5 s, the 6th of each 12):
    shot 3's 4.25 and 4.75 s frames show the face; no other shot has one."""
    seen = (4.25, 4.75)
    return [
        s.model_copy(update={"faces": 1, "face_s": seen}) if s.index == 3 else s
        for s in source_shots()
    ]


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("verify_source")
    return write_source(folder / "source.mp4", (320, 180), 8.0, audio=True)


@pytest.fixture(scope="session")
def shots() -> list[Shot]:
    return source_shots()


Build = Callable[..., Path]


@pytest.fixture(scope="session")
def build(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """``build(name, ranges, **options)``: a render of the source's ``ranges`` (cached)."""
    folder = tmp_path_factory.mktemp("verify_renders")
    made: dict[str, Path] = {}

    def make(name: str, ranges: list[tuple[float, float]], **options: Any) -> Path:
        if name not in made:
            made[name] = render(source, folder / f"{name}.mp4", ranges, **options)
        return made[name]

    return make


def _caption(text: str, window: tuple[float, float]) -> Callable[[Any, float], np.ndarray]:
    import cv2

    def draw(get_frame: Any, t: float) -> np.ndarray:
        frame = np.array(get_frame(t))
        if window[0] <= t < window[1]:
            h, w = frame.shape[:2]
            scale = w / 400
            cv2.putText(
                frame,
                text,
                (int(w * 0.08), int(h * 0.8)),
                cv2.FONT_HERSHEY_SIMPLEX,
                scale,
                (0, 0, 0),
                int(6 * scale) + 2,
                cv2.LINE_AA,
            )
            cv2.putText(
                frame,
                text,
                (int(w * 0.08), int(h * 0.8)),
                cv2.FONT_HERSHEY_SIMPLEX,
                scale,
                (255, 255, 255),
                int(2 * scale) + 1,
                cv2.LINE_AA,
            )
        return frame

    return draw


def _sepia(frame: np.ndarray) -> np.ndarray:
    grey = frame.astype(np.float32).mean(axis=2, keepdims=True) / 255.0
    tone = np.array([255, 200, 140], np.float32)
    return np.clip(grey * tone, 0, 255).astype(np.uint8)


def render(
    source: Path,
    output: Path,
    ranges: list[tuple[float, float]],
    *,
    speed: float = 1.0,
    join: str = "cut",
    fade_in: float = 0.0,
    fade_out: float = 0.0,
    colour: str = "natural",
    caption: tuple[str, float, float] | None = None,
    audio: bool = True,
    size: tuple[int, int] | None = None,
    extra: Callable[[Any, Any], Any] | None = None,
) -> Path:
    """Cut ``ranges`` of the source together with MoviePy 2, as an edit script would."""
    from moviepy import VideoFileClip, concatenate_videoclips, vfx

    src = VideoFileClip(str(source))
    parts = [src.subclipped(a, b) for a, b in ranges]
    if speed != 1.0:
        parts = [p.with_effects([vfx.MultiplySpeed(speed)]) for p in parts]
    if join == "fade":
        parts = [p.with_effects([vfx.FadeIn(0.3), vfx.FadeOut(0.3)]) for p in parts]
        clip = concatenate_videoclips(parts)
    elif join == "crossfade":
        parts = [parts[0], *(p.with_effects([vfx.CrossFadeIn(0.5)]) for p in parts[1:])]
        clip = concatenate_videoclips(parts, method="compose", padding=-0.5)
    else:
        clip = concatenate_videoclips(parts)
    if extra is not None:
        clip = extra(clip, src)
    if fade_in:
        clip = clip.with_effects([vfx.FadeIn(fade_in)])
    if fade_out:
        clip = clip.with_effects([vfx.FadeOut(fade_out)])
    if colour == "monochrome":
        clip = clip.with_effects([vfx.BlackAndWhite()])
    elif colour == "sepia":
        clip = clip.image_transform(_sepia)
    if caption is not None:
        clip = clip.transform(_caption(caption[0], (caption[1], caption[2])))
    if size is not None:
        clip = clip.resized(new_size=size)
    if not audio:
        clip = clip.without_audio()
    clip.write_videofile(
        str(output),
        fps=FPS,
        codec="libx264",
        audio_codec="aac",
        preset="ultrafast",
        logger=None,
        audio=audio,
    )
    src.close()
    return output
