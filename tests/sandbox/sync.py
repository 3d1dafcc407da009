"""A render's sound against its picture, measured on the decoded files.

Files are decoded with PyAV on their own clocks: frames at their timestamps, sound by
``tasks.audio.read_audio`` (placed at its timestamps, 0 = the video stream's start).

* ``measure``: for a piece of a render that plays source ``src_start`` onwards at speed 1
  from ``out_start``, where its sound is found in the source's (normalised
  cross-correlation over the whole piece, to a sample at 16 kHz) minus where the edit puts
  it. Positive when the sound runs ahead of the picture.
* ``write_events``/``flashes_and_clicks``: a source whose picture flashes and whose sound
  clicks at the same known times, and where a decoded clip shows and sounds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tasks.audio import SAMPLE_RATE, read_audio

_SEARCH_S = 0.25  # how far the sound is looked for either side of the edit's own time


def _brightness(path: Path) -> tuple[list[float], list[float]]:
    """Every frame's time (s, from the video stream's start) and mean grey level."""
    import av

    times, levels = [], []
    with av.open(str(path)) as container:
        stream: Any = container.streams.video[0]
        origin = float((stream.start_time or 0) * stream.time_base)
        for frame in container.decode(stream):
            times.append(float(frame.pts * stream.time_base) - origin)
            levels.append(float(frame.to_ndarray(format="gray").mean()))
    return times, levels


def _sound_offset(
    render: np.ndarray, source: np.ndarray, out_start: float, out_end: float, src_start: float
) -> float:
    """Where the piece's sound is in the source, minus where the edit puts it (s)."""
    from tasks.verify_edit._sync import _normalised_correlation

    piece = render[round((out_start + 0.1) * SAMPLE_RATE) : round((out_end - 0.1) * SAMPLE_RATE)]
    lo = round((src_start + 0.1 - _SEARCH_S) * SAMPLE_RATE)
    hi = lo + piece.size + round(2 * _SEARCH_S * SAMPLE_RATE)
    scores = _normalised_correlation(source[max(0, lo) : hi].astype(np.float64), piece)
    best = int(np.argmax(scores))
    if scores[best] < 0.8:
        raise AssertionError(f"the piece's sound was not found in the source ({scores[best]:.2f})")
    return (max(0, lo) + best) / SAMPLE_RATE - (src_start + 0.1)


def measure(render: Path, source: Path, pieces: list[tuple[float, float, float]]) -> list[float]:
    """The sound's offset (s) in each ``(out_start, out_end, src_start)`` piece at speed 1."""
    heard, original = read_audio(render), read_audio(source)
    assert heard is not None and original is not None, "both files need sound"
    return [_sound_offset(heard.mono, original.mono, a, b, s) for a, b, s in pieces]


# A source of events: at each time a white flash on the picture (``FLASH_FRAMES`` long) and
# a click on the sound, both starting exactly on a frame.
FPS = 24
FLASH_FRAMES = 4
_RATE = 48_000
_SIZE = (160, 120)


def write_events(path: Path, seconds: float, events: list[float], *, sound_from: float) -> Path:
    """A clip whose flashes and clicks start together at ``events`` (s, on frames).

    Its AC-3 sound starts ``sound_from`` s after the picture, behind a first packet that
    does not decode: Megamind.avi's case, with a gap longer than a frame.
    """
    import av

    flashes = {round(t * FPS) + k for t in events for k in range(FLASH_FRAMES)}
    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=FPS)
        video.width, video.height = _SIZE
        video.pix_fmt = "yuv420p"
        sound: Any = out.add_stream("ac3", rate=_RATE)
        sound.layout = "mono"
        for index in range(round(seconds * FPS)):
            level = 230 if index in flashes else 30
            image = np.full((_SIZE[1], _SIZE[0], 3), level, np.uint8)
            out.mux(video.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(video.encode())
        broken = av.Packet(bytes(range(256)) * 3)
        broken.stream, broken.pts, broken.dts = sound, 0, 0
        broken.time_base = sound.time_base
        out.mux(broken)
        _mux_sound(out, sound, _clicks(seconds, events), sound_from)
    path.chmod(0o644)
    return path


def _clicks(seconds: float, events: list[float]) -> np.ndarray:
    track = np.zeros(round(seconds * _RATE), np.float32)
    t = np.arange(round(0.04 * _RATE)) / _RATE
    click = (0.6 * np.sin(2 * np.pi * 2000 * t)).astype(np.float32)
    for at in events:
        start = round(at * _RATE)
        track[start : start + click.size] = click
    return track


def _mux_sound(out: Any, sound: Any, track: np.ndarray, start_s: float) -> None:
    import av

    size = sound.codec_context.frame_size or 1536
    first = round(start_s * _RATE)
    for at in range(first, track.size, size):
        chunk = np.zeros(size, np.float32)
        piece = track[at : at + size]
        chunk[: piece.size] = piece
        frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
        frame.sample_rate, frame.pts = _RATE, at
        out.mux(sound.encode(frame))
    out.mux(sound.encode())


def flashes_and_clicks(path: Path) -> tuple[list[float], list[float]]:
    """The decoded clip's flash starts (frame times) and click starts (s, its video clock)."""
    times, levels = _brightness(path)
    bright = [level > 128 for level in levels]
    flashes = [times[i] for i in range(len(times)) if bright[i] and not (i and bright[i - 1])]
    heard = read_audio(path)
    assert heard is not None, "the clip has no sound"
    loud = np.abs(heard.mono) > 0.1
    quiet = round(0.1 * SAMPLE_RATE)  # a click starts after this much quiet
    starts = np.flatnonzero(loud)
    clicks = [
        float(i) / SAMPLE_RATE for k, i in enumerate(starts) if k == 0 or i - starts[k - 1] > quiet
    ]
    return flashes, clicks
