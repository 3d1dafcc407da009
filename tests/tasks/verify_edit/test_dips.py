"""A cut into a shot that opens on black is a cut; a dip to black the edit made is a fade.

Holdout8 case 24: the trailer's first frame is black, and a hard cut into the trailer's
opening read as a fade (the render's luma dipped to 0 at the join), so "simple cuts only"
failed. The source's own dark frames are no dip: only frames darker than the source moment
they show are.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tasks.brief import Brief
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

from .conftest import FPS, render, source_frame, source_shots

SIZE = (320, 180)
# The source opens on this many black frames, as the trailer does (one, or two at 24 fps).
BLACK_FRAMES = 3


def _write(path: Path) -> Path:
    """The conftest's four-shot source, its first frames black."""
    import av

    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height = SIZE
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "18"}
        for n in range(round(8.0 * FPS)):
            picture = source_frame(n / FPS, SIZE)
            if n < BLACK_FRAMES:
                picture = np.zeros_like(picture)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = n
            out.mux(video.encode(frame))
        out.mux(video.encode())
    return path


@pytest.fixture(scope="module")
def opens_on_black(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("dips") / "black-open.mp4")


def _transitions(video: Path, source: Path, shots: list[Shot], asked: str) -> tuple[bool, str]:
    brief = Brief(transitions=asked)  # type: ignore[arg-type]
    (result,) = [
        r for r in verify_edit(video, [source], brief, shots) if r.criterion.kind == "transitions"
    ]
    return bool(result.passed), result.measured


def test_a_cut_into_the_sources_opening_black_is_a_cut(
    opens_on_black: Path, tmp_path: Path
) -> None:
    """Scene 3, then the source from its first (black) frames, then scene 4, hard cuts: the
    render is black for a few frames after the first join, as the source is there."""
    video = render(opens_on_black, tmp_path / "cut.mp4", [(4.5, 5.5), (0.0, 1.2), (6.2, 7.2)])
    from tasks.verify_edit._footage import read_footage

    luma = read_footage(video).luma
    assert float(luma[24 : 24 + BLACK_FRAMES].max()) < 5.0  # the cut does show the black
    ok, measured = _transitions(video, opens_on_black, source_shots(), "cut")
    assert ok and measured.startswith("2 shot changes: cut at 1.0 s, cut at 2.2 s"), measured


def test_a_fade_into_the_sources_opening_black_is_still_a_fade(
    opens_on_black: Path, tmp_path: Path
) -> None:
    """The same pieces dipped through black: each join is a fade, the one into the source's
    black opening too (the outgoing shot is dimmed below what its source shows)."""
    ranges = [(4.5, 5.5), (0.0, 1.2), (6.2, 7.2)]
    video = render(opens_on_black, tmp_path / "fade.mp4", ranges, join="fade")
    ok, measured = _transitions(video, opens_on_black, source_shots(), "fade")
    assert ok and measured.startswith("2 shot changes: fade at 1.0 s, fade at 2.2 s"), measured
    cut, _ = _transitions(video, opens_on_black, source_shots(), "cut")
    assert not cut


def test_the_trailer_from_scene_3_to_its_last_shot_with_cuts_only(
    megamind: Path, tmp_path: Path
) -> None:
    """Holdout8 case 24 end to end: parsed, planned on the measured trailer, rendered in the
    sandbox and verified. One of its pieces starts at the trailer's black first frame."""
    from sandbox.edl import compile_edl
    from sandbox.runner import run_script
    from tasks.brief import parse_request
    from tasks.measure_shots import measure_shots
    from tasks.plan_edit import plan_edit

    brief = parse_request(
        "A running time of 3 to 4.5 seconds, opening on scene 3 and closing on the trailer's "
        "final shot, simple cuts only."
    )
    shots = measure_shots(megamind)
    plan = plan_edit(brief, shots, [shots[-1].end_s])
    assert any(seg.start < 0.05 for seg in plan.edl.segments)  # the black first frame plays
    out = run_script(compile_edl(plan.edl), [megamind], tmp_path / "case24.mp4")
    assert out.ok, out.reason
    results = {
        r.criterion.kind: r for r in verify_edit(tmp_path / "case24.mp4", [megamind], brief, shots)
    }
    assert results["transitions"].passed, results["transitions"].measured
    assert all(r.passed is not False for r in results.values()), results
