"""The script is handed a copy (issue 12): mutating it cannot desynchronise the reader.

Host-side: the delivered render is decoded and compared with the input's own frames.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
