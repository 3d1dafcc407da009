from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

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


# --- decoding what was rendered ----------------------------------------------------------
# The render is decoded and compared with the source: the frames must be the planned
# segment's frames, and the sound must be there and still line up with the picture.

_RATE = 8000  # audio decode rate (Hz)
_ONSET_S = 1.5  # the source's tone starts here; before it, silence


@pytest.fixture(scope="module")
def cued_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s of testsrc (a picture that changes every frame) and a tone from 1.5 s on."""
    import imageio_ffmpeg

    path = tmp_path_factory.mktemp("render-cued") / "cued.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            *("-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", "testsrc=size=160x120:rate=24"),
            *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050"),
            *("-af", f"volume='if(lt(t,{_ONSET_S}),0,1)':eval=frame"),
            *("-t", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"),
            str(path),
        ],
        check=True,
    )
    return path


def _frames(path: Path) -> list[Any]:
    import cv2

    capture = cv2.VideoCapture(str(path))
    frames = []
    ok, frame = capture.read()
    while ok:
        frames.append(frame.astype("float32"))
        ok, frame = capture.read()
    capture.release()
    return frames


def _audio(path: Path) -> Any:
    """Mono samples at ``_RATE``; empty when the file has no audio stream."""
    import imageio_ffmpeg
    import numpy as np

    proc = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            *("-loglevel", "error", "-i", str(path), "-map", "0:a?"),
            *("-ac", "1", "-ar", str(_RATE), "-f", "s16le", "-"),
        ],
        capture_output=True,
        check=False,  # no audio stream: ffmpeg refuses to write an empty output
    )
    return np.frombuffer(proc.stdout, dtype=np.int16).astype("float32")


def _onset_s(samples: Any) -> float:
    """When the sound starts: the first 10 ms window clearly above silence."""
    import numpy as np

    window = _RATE // 100
    rms = [
        float(np.sqrt(np.mean(samples[i : i + window] ** 2)))
        for i in range(0, len(samples) - window, window)
    ]
    loud = max(rms)
    return next(i for i, v in enumerate(rms) if v > loud / 4) * window / _RATE


def test_rendered_frames_are_the_planned_segment_and_the_sound_stays_in_sync(
    cued_clip: Path, tmp_path: Path
) -> None:
    import numpy as np

    code = "def edit(source):\n    return source.subclipped(1, 3)\n"
    out = render(code, [cued_clip], tmp_path / "cut.mp4").output
    source, rendered = _frames(cued_clip), _frames(out)

    assert len(rendered) == pytest.approx(48, abs=1)  # 2 s at 24 fps
    for i in (0, 12, 24, 40):
        planned = float(np.abs(rendered[i] - source[24 + i]).mean())
        unplanned = float(np.abs(rendered[i] - source[i]).mean())
        assert planned < 6 and planned * 3 < unplanned, (i, planned, unplanned)

    sound = _audio(out)
    assert len(sound) / _RATE == pytest.approx(2.0, abs=0.1), "audio missing or cut short"
    # The tone starts 1.5 s into the source, so 0.5 s into this cut (AAC's priming aside).
    assert _onset_s(sound) == pytest.approx(_ONSET_S - 1, abs=0.06)
    assert _onset_s(_audio(cued_clip)) == pytest.approx(_ONSET_S, abs=0.06)
