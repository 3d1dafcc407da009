"""The script is handed a copy (issue 12): mutating it cannot desynchronise the reader.

Host-side: the delivered render is decoded and compared with the input's own frames.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sandbox._handed import GRID, fingerprint, open_input
from sandbox.probe import probe_media
from sandbox.runner import Limits, _run_unchecked, run_script
from sandbox.samples import _frames_at

HERE = Path(__file__).parent
PROCESSES = 24 + 8 * (os.cpu_count() or 2)
LIMITS = Limits(cpu_s=60, processes=PROCESSES, wall_s=120.0)


def hostile(name: str) -> str:
    return (HERE / "hostile" / f"{name}.py").read_text(encoding="utf-8")


def _difference(a: Path, b: Path, index: int) -> float:
    first, second = (_frames_at(p, [index], 24.0)[index] for p in (a, b))
    return sum(abs(x - y) for x, y in zip(first, second, strict=True)) / len(first)


def test_mutating_the_handed_clip_leaves_the_render_intact(clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.mp4"
    result = _run_unchecked(hostile("handed_clip_mutation"), [clip], out, limits=LIMITS)
    assert result.ok, result.reason
    facts = probe_media(out)
    assert facts.duration_s == pytest.approx(1.0, abs=0.1)
    assert (facts.width, facts.height, facts.audio_streams) == (160, 120, 1)
    for index in (0, 12, 23):  # the input's own pictures, frame for frame
        assert _difference(out, clip, index) < 6, index


def test_a_size_alias_cannot_be_resized(clip: Path, tmp_path: Path) -> None:
    # Policy-legal: item assignment into a local name that aliases the handed size.
    source = "def edit(source):\n    size = source.size\n    size[0] = 40\n    return source\n"
    result = run_script(source, [clip], tmp_path / "o.mp4", limits=LIMITS)
    assert not result.ok and "TypeError" in (result.reason or ""), result.reason
    assert not (tmp_path / "o.mp4").exists()


def test_a_handed_frame_cannot_be_written(clip: Path, tmp_path: Path) -> None:
    # Policy-legal: in-place arithmetic on a frame the reader decoded.
    source = (
        "def edit(source):\n    frame = source.get_frame(0)\n    frame += 100\n"
        "    return source.subclipped(0, 1)\n"
    )
    result = run_script(source, [clip], tmp_path / "o.mp4", limits=LIMITS)
    assert not result.ok and "read-only" in (result.reason or ""), result.reason


# --- the harness's side, run on the host: how inputs are opened and frames reduced -------
def test_an_input_is_opened_with_one_probe_and_no_sound_decoder(
    clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moviepy import AudioFileClip
    from moviepy.audio.io import readers
    from moviepy.video.io import ffmpeg_reader

    probes: list[str] = []

    def counted(probe: Any) -> Any:
        def run(filename: str, *args: Any, **kwargs: Any) -> Any:
            probes.append(filename)
            return probe(filename, *args, **kwargs)

        return run

    monkeypatch.setattr(
        ffmpeg_reader, "ffmpeg_parse_infos", counted(ffmpeg_reader.ffmpeg_parse_infos)
    )
    monkeypatch.setattr(readers, "ffmpeg_parse_infos", counted(readers.ffmpeg_parse_infos))
    (trusted, sound), handed = open_input(str(clip), audio=True)
    # A dry run never hears the sound: no ffmpeg for it until a sample is read.
    assert sound is not None and sound.reader is None and len(probes) == 1
    assert handed.audio.duration == pytest.approx(trusted.duration, abs=0.1)
    heard = handed.audio.get_frame(np.array([0.5, 1.5]))
    assert sound.reader is not None and len(probes) == 1  # the video's probe, reused
    with AudioFileClip(str(clip)) as own:
        assert np.array_equal(heard, own.get_frame(np.array([0.5, 1.5])))
    assert (handed.audio.nchannels, handed.audio.fps) == (own.nchannels, own.fps)
    trusted.close()
    sound.reader.close()


@pytest.mark.parametrize("shape", [(120, 160, 3), (7, 5, 3), (1, 1, 3), (13, 300, 4), (90, 2, 3)])
def test_a_fingerprint_is_the_mean_of_each_block(shape: tuple[int, int, int]) -> None:
    frame = np.random.default_rng(7).integers(0, 256, shape, dtype=np.uint8)
    height, width = shape[:2]
    cells = max(1, min(GRID, height, width))
    rows = [height * i // cells for i in range(cells + 1)]
    cols = [width * j // cells for j in range(cells + 1)]
    expected = [
        round(float(v))
        for i in range(cells)
        for j in range(cells)
        for v in frame[rows[i] : rows[i + 1], cols[j] : cols[j + 1], :3].mean(axis=(0, 1))
    ]
    assert fingerprint(frame) == expected
