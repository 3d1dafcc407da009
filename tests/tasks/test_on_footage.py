"""Asks said against the source resolved on its footage (tasks/on_footage.py).

"Trim 2 s off the start", "everything but scene 2", "4 seconds shorter": the brief keeps the
words, the footage decides the seconds; a render planned from them shows only what is left.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sandbox.edl import compile_edl
from sandbox.runner import run_script
from tasks.brief import Brief, DurationAsk, ShotPick, SourceUse
from tasks.measure_shots import measure_shots
from tasks.on_footage import on_footage
from tasks.plan_edit import plan_edit
from tasks.shots import Shot
from tasks.verify_edit import verify_edit
from tests.tasks.shot_clips import FOUR_SHOTS, write_shots


def _shots(scenes: list[int], lumas: list[float] | None = None) -> list[Shot]:
    """One 2.5 s shot per entry, each part of the scene given (repeats: parts of one take)."""
    lumas = lumas or [100.0] * len(scenes)
    return [
        Shot(index=i + 1, start_s=2.5 * i, end_s=2.5 * (i + 1), luma=luma, motion=5.0,
             colourfulness=50.0, peak_s=2.5 * i + 1.0, scene=scene)
        for i, (scene, luma) in enumerate(zip(scenes, lumas, strict=True))
    ]  # fmt: skip


def _trim(start: float, end: float) -> Brief:
    return Brief(use=SourceUse(kind="trim", trim=(start, end)))


def _skip(*picks: ShotPick) -> Brief:
    return Brief(use=SourceUse(kind="except", skip=list(picks)))


def _scene(n: int) -> ShotPick:
    return ShotPick(kind="scene", scene=n)


@pytest.mark.parametrize(
    ("brief", "use"),
    [
        (_trim(2.0, 0.0), SourceUse(kind="tail", seconds=8.0)),
        (_trim(0.0, 1.0), SourceUse(kind="head", seconds=9.0)),
        (_trim(2.0, 1.0), SourceUse(kind="ranges", ranges=[(2.0, 9.0)])),
        (_skip(_scene(2)), SourceUse(kind="ranges", ranges=[(0.0, 2.5), (5.0, 10.0)])),
        (_skip(ShotPick(kind="last")), SourceUse(kind="head", seconds=7.5)),
        (_skip(ShotPick(kind="first")), SourceUse(kind="tail", seconds=7.5)),
        (
            _skip(ShotPick(kind="darkest")),  # scene 3
            SourceUse(kind="ranges", ranges=[(0.0, 5.0), (7.5, 10.0)]),
        ),
        (_skip(_scene(1), _scene(4)), SourceUse(kind="ranges", ranges=[(2.5, 7.5)])),
    ],
)
def test_what_is_taken_away_leaves_the_rest_in_seconds(brief: Brief, use: SourceUse) -> None:
    # four 2.5 s scenes of a 10 s clip; scene 3 the darkest
    shots = _shots([1, 2, 3, 4], lumas=[100.0, 120.0, 20.0, 90.0])
    assert on_footage(brief, shots, [10.0]).use == use


def test_a_long_take_is_left_out_whole() -> None:
    """Parts of one take are one scene: leaving out scene 2 leaves out every part of it."""
    shots = _shots([1, 2, 2, 3])
    resolved = on_footage(_skip(_scene(2)), shots, [10.0])
    assert resolved.use == SourceUse(kind="ranges", ranges=[(0.0, 2.5), (7.5, 10.0)])


@pytest.mark.parametrize(
    "brief", [_trim(6.0, 4.0), _skip(_scene(7)), _skip(_scene(1), _scene(2), _scene(3), _scene(4))]
)
def test_an_ask_the_footage_cannot_meet_stays_as_said(brief: Brief) -> None:
    assert on_footage(brief, _shots([1, 2, 3, 4]), [10.0]) == brief


def test_a_length_less_some_seconds_is_a_target() -> None:
    brief = Brief(duration=DurationAsk(shorter_by_s=4.0))
    duration = on_footage(brief, _shots([1, 2, 3, 4]), [10.0]).duration
    assert duration == DurationAsk(target_s=6.0, tolerance_s=0.3)


def test_a_render_without_a_scene_shows_none_of_it(tmp_path: Path) -> None:
    """Planned, rendered in the sandbox and decoded: scene 3 (the white one) never shows."""
    import av

    source = write_shots(tmp_path / "four.mp4", FOUR_SHOTS)
    shots = measure_shots(source)
    brief = _skip(_scene(3))
    plan = plan_edit(brief, shots, [8.0])
    out = tmp_path / "without-3.mp4"
    assert run_script(compile_edl(plan.edl), [source], out).ok
    with av.open(str(out)) as container:
        lumas = [float(np.mean(f.to_ndarray(format="gray"))) for f in container.decode(video=0)]
    assert lumas and max(lumas) < 200  # scene 3 is flat luma ~235; no other scene is
    checks = {r.criterion.id: r for r in verify_edit(out, [source], brief, shots)}
    assert checks["use"].passed, checks["use"].measured
    assert checks["use"].criterion.text == "uses 0 to 4 s, 6 to 8 s"
