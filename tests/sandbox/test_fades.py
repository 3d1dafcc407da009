"""A script's fade to black is black on the last frame the render writes (trusted fade).

Frames are written at i / fps while i < int(duration * fps), so the last one falls up to two
frames before the clip's end: MoviePy's own FadeOut, which reaches black at the end, left a
10 fps edit ending on a fifth or more of its picture. The harness hands scripts a FadeOut
that ends on the last frame written, on the render's own frame rate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sandbox.runner import run_script
from tests.sandbox.clips import make_clip

# What the coder model writes: MoviePy's own fade, applied to the final clip.
_SCRIPT = """
from moviepy import vfx


def edit(source):
    clip = source.subclipped(0, {end}).with_effects([vfx.FadeOut(0.5)])
    return clip{then}
"""


def _luma(path: Path) -> list[float]:
    import av

    with av.open(str(path)) as container:
        return [float(f.to_ndarray(format="gray").mean()) for f in container.decode(video=0)]


@pytest.mark.parametrize(
    ("rate", "end", "then"),
    [
        (10, 1.99, ""),
        (10, 2.05, ""),
        (10, 2.13, ""),
        # Faded at 24 fps, written at 10: the fade ends on the render's grid, not the clip's.
        (24, 2.05, ".with_fps(10)"),
    ],
)
def test_a_scripts_fade_out_is_black_on_the_last_frame_written(
    tmp_path: Path, rate: int, end: float, then: str
) -> None:
    source = make_clip(tmp_path / "source.mp4", seconds=3.0, rate=rate)
    code = _SCRIPT.format(end=end, then=then)
    out = run_script(code, [source], tmp_path / "faded.mp4")
    assert out.ok, out.reason
    luma = _luma(tmp_path / "faded.mp4")
    assert len(luma) == int(end * 10)  # every frame the writer writes, at 10 fps
    assert luma[-1] < 8, luma[-6:]  # black
    assert luma[-6] > 1.5 * luma[-3] > 0, luma[-6:]  # reached gradually
    assert np.mean(luma[:5]) > 60  # the picture before the fade is untouched
