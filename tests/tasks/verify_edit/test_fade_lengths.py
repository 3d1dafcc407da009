"""Fade lengths asked: planned as asked, rendered, and measured on the decoded render."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.edl import EditDecisionList, Segment, compile_edl
from sandbox.runner import run_script
from tasks.brief import Brief, CheckResult, DurationAsk
from tasks.plan_edit import plan_edit
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

ASKED = Brief(
    duration=DurationAsk(target_s=6.0),
    fade_in=True,
    fade_in_s=2.0,
    fade_out=True,
    fade_out_s=1.0,
    transitions="crossfade",
    transition_s=1.0,
)


def _fades(video: Path, source: Path, shots: list[Shot]) -> dict[str, CheckResult]:
    return {r.criterion.id: r for r in verify_edit(video, [source], ASKED, shots)}


def test_the_plan_takes_the_asked_lengths(shots: list[Shot]) -> None:
    edl = plan_edit(ASKED, shots, [8.0]).edl
    assert (edl.fade_in_s, edl.fade_out_s, edl.transition_s) == (2.0, 1.0, 1.0)
    # Too long to fit in half the edit: as long as fits, and said.
    short = ASKED.model_copy(update={"duration": DurationAsk(target_s=3.0), "fade_out_s": 4.0})
    plan = plan_edit(short, shots, [8.0])
    assert plan.edl.fade_out_s == pytest.approx(1.5)
    assert any("4 s fade" in note for note in plan.notes)


def test_fades_as_long_as_asked_pass_and_the_default_lengths_fail(
    source: Path, shots: list[Shot], tmp_path: Path
) -> None:
    edl = plan_edit(ASKED, shots, [8.0]).edl
    asked = tmp_path / "asked.mp4"
    assert run_script(compile_edl(edl), [source], asked).ok
    results = _fades(asked, source, shots)
    for key in ("fade_in", "fade_out"):
        assert results[key].passed is True, results[key].measured
    assert "2.0" in results["fade_in"].measured or "1.9" in results["fade_in"].measured
    # The same edit with the planner's default half-second fades misses both lengths.
    default = edl.model_copy(update={"fade_in_s": 0.5, "fade_out_s": 0.5})
    short = tmp_path / "default.mp4"
    assert run_script(compile_edl(default), [source], short).ok
    results = _fades(short, source, shots)
    for key in ("fade_in", "fade_out"):
        assert results[key].passed is False, results[key].measured
        assert "0.5" in results[key].measured, results[key].measured


def test_a_fade_into_black_and_white_is_timed_on_its_own_shot(
    source: Path, shots: list[Shot], tmp_path: Path
) -> None:
    # Grey keeps each colour's luma by its own factor: the blue shot after the faded green one
    # has a level 40% higher than it, which the green one never reaches (read as a long fade).
    brief = Brief(fade_in=True, fade_in_s=0.5, colour="monochrome")
    edl = EditDecisionList(
        segments=[Segment(start=4.5, end=5.5), Segment(start=2.5, end=4.0)],
        colour="monochrome",
        fade_in_s=0.5,
    )
    video = tmp_path / "grey.mp4"
    assert run_script(compile_edl(edl), [source], video).ok
    fade = {r.criterion.id: r for r in verify_edit(video, [source], brief, shots)}["fade_in"]
    assert fade.passed is True, fade.measured
