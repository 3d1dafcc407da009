from __future__ import annotations

from pathlib import Path

import pytest

from core.exceptions import PolicyViolation, SandboxRunError
from sandbox.runner import Limits
from tasks.render import render
from tests.sandbox.clips import make_clip, video_stream_line

GOOD = """from moviepy import vfx

def edit(source):
    return source.subclipped(0, 3).with_effects([vfx.FadeIn(0.5), vfx.MirrorY()])
"""


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("render") / "clip.mp4", size="162x122")


def test_render_writes_h264_yuv420p(clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "job" / "edit.mp4"
    result = render(GOOD, [clip], out)
    assert result.output == out and out.is_file()
    assert result.duration_s == pytest.approx(3.0, abs=0.15)
    assert (result.width, result.height) == (162, 122)
    line = video_stream_line(out)
    assert "h264" in line and "yuv420p" in line and "162x122" in line
    assert [p.name for p in out.parent.iterdir()] == ["edit.mp4"]


def test_odd_sizes_are_made_even_for_yuv420p(clip: Path, tmp_path: Path) -> None:
    code = (
        "def edit(source):\n"
        "    return source.subclipped(0, 1).cropped(x1=0, y1=0, x2=161, y2=121)\n"
    )
    result = render(code, [clip], tmp_path / "even.mp4")
    assert (result.width, result.height) == (160, 120)


def test_failed_render_leaves_no_output(clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "job" / "edit.mp4"
    spin = "def edit(source):\n    while True:\n        pass\n"
    with pytest.raises(SandboxRunError, match="CPU-time limit"):
        render(spin, [clip], out, limits=Limits(cpu_s=2, wall_s=30))
    assert not out.exists() and not out.parent.exists()


def test_render_checks_the_policy_again(clip: Path, tmp_path: Path) -> None:
    with pytest.raises(PolicyViolation):
        render("import os\n\ndef edit(source):\n    return source\n", [clip], tmp_path / "x.mp4")


def test_output_must_be_mp4(clip: Path, tmp_path: Path) -> None:
    with pytest.raises(SandboxRunError, match=r"\.mp4"):
        render(GOOD, [clip], tmp_path / "x.mov")
