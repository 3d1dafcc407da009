"""Clips with known sound: espeak-ng speech and click tracks at known times, muxed by PyAV.

Every clip is small (160x120 video at 24 fps) with an audio track whose content is known to
the sample: phrases start where the test put them, clicks fall on a known beat grid.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import in_ci

FPS = 24
SIZE = (160, 120)
RATE = 44_100


@dataclass(frozen=True)
class Phrase:
    """Words spoken from ``start`` to ``end`` seconds (the audible part of espeak's output)."""

    text: str
    start: float
    end: float


def espeak(text: str, folder: Path) -> tuple[np.ndarray, int]:
    """espeak-ng's rendering of ``text``: float samples in -1..1 and their rate."""
    if shutil.which("espeak-ng") is None:
        message = "espeak-ng is not installed (scripts/install --dev installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    target = folder / f"espeak-{abs(hash(text))}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(target), text], check=True)
    with wave.open(str(target)) as handle:
        rate = handle.getframerate()
        data = np.frombuffer(handle.readframes(handle.getnframes()), np.int16)
    return data.astype(np.float32) / 32768.0, rate


def resample(samples: np.ndarray, rate: int, to: int = RATE) -> np.ndarray:
    """Linear resampling (good enough for speech into a test track)."""
    times = np.arange(round(len(samples) * to / rate)) / to
    return np.interp(times, np.arange(len(samples)) / rate, samples).astype(np.float32)


def speech_track(
    phrases: Sequence[tuple[str, float]], duration: float, folder: Path
) -> tuple[np.ndarray, list[Phrase]]:
    """A track of ``duration`` s with each phrase's speech starting (audibly) at its time."""
    track = np.zeros(round(duration * RATE), np.float32)
    placed: list[Phrase] = []
    for text, at in phrases:
        voice, rate = espeak(text, folder)
        voice = resample(voice, rate)
        loud = np.nonzero(np.abs(voice) > 0.02)[0]
        voice = voice[loud[0] : loud[-1] + 1]
        start = round(at * RATE)
        track[start : start + len(voice)] += voice[: len(track) - start]
        placed.append(Phrase(text, at, at + len(voice) / RATE))
    return track, placed


def click_track(bpm: float, duration: float, first: float = 0.25) -> tuple[np.ndarray, list[float]]:
    """Drum-like clicks (a decaying 60 Hz thump plus a noise burst) on a ``bpm`` grid."""
    track = np.zeros(round(duration * RATE), np.float32)
    rng = np.random.default_rng(7)
    length = round(0.08 * RATE)
    t = np.arange(length) / RATE
    hit = (np.sin(2 * np.pi * 60 * t) + 0.5 * rng.standard_normal(length)) * np.exp(-t * 40)
    beats = list(np.arange(first, duration - 0.1, 60.0 / bpm))
    for beat in beats:
        start = round(beat * RATE)
        end = min(len(track), start + length)
        track[start:end] += 0.6 * hit[: end - start].astype(np.float32)
    return track, [round(float(b), 4) for b in beats]


def mux(
    path: Path,
    duration: float,
    audio: np.ndarray | None,
    *,
    codec: str = "aac",
    cards: Sequence[tuple[float, str]] = (),
    size: tuple[int, int] = SIZE,
) -> Path:
    """Write a clip: moving-box video (or title cards from their start times) plus ``audio``.

    Args:
        path: Output file (.mkv holds any of the codecs used here).
        duration: Seconds of video.
        audio: Mono samples at ``RATE``, or None for a clip without an audio track.
        codec: Audio encoder (``aac``, ``ac3``, ``mp2``, ``pcm_s16le``).
        cards: ``(start_s, text)``: from each start the frame is that text, white on black.
    """
    import av
    import cv2

    with av.open(str(path), "w") as container:
        video = container.add_stream("mpeg4", rate=FPS)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        video.bit_rate = 400_000
        sound = None
        if audio is not None:
            sound = container.add_stream(codec, rate=RATE)
            sound.layout = "mono"
        frames = round(duration * FPS)
        for index in range(frames):
            shown = [(s, text) for s, text in cards if s <= index / FPS]
            image = _picture(index, shown, size, cv2)
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
            container.mux(video.encode(frame))
        container.mux(video.encode())
        if sound is not None and audio is not None:
            size = sound.codec_context.frame_size or 1024
            fmt = sound.codec_context.format.name
            for start in range(0, len(audio), size):
                chunk = audio[start : start + size]
                if len(chunk) < size:
                    chunk = np.pad(chunk, (0, size - len(chunk)))
                data = _as_format(chunk, fmt)
                frame = av.AudioFrame.from_ndarray(data, format=fmt, layout="mono")
                frame.sample_rate = RATE
                frame.pts = start
                container.mux(sound.encode(frame))
            container.mux(sound.encode())
    return path


def _as_format(chunk: np.ndarray, fmt: str) -> np.ndarray:
    clipped = np.clip(chunk, -1.0, 1.0)
    if fmt.startswith("s16"):
        return (clipped * 32767).astype(np.int16).reshape(1, -1)
    return clipped.astype(np.float32).reshape(1, -1)


def _picture(
    index: int, cards: list[tuple[float, str]], size: tuple[int, int], cv2: Any
) -> np.ndarray:
    width, height = size
    image = np.zeros((height, width, 3), np.uint8)
    if cards:
        text = cards[-1][1]
        scale = width / 320
        box = cv2.getTextSize(text, cv2.FONT_HERSHEY_DUPLEX, scale, 2)[0]
        origin = ((width - box[0]) // 2, (height + box[1]) // 2)
        cv2.putText(image, text, origin, cv2.FONT_HERSHEY_DUPLEX, scale, (255, 255, 255), 2)
        return image
    image[:] = (40 + index % 50, 90, 160)
    x = (index * 4) % (width - 20)
    image[50:70, x : x + 20] = (230, 230, 230)
    return image
