"""A start or end at a source time the user names: planned there, rendered, checked there."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.edl import compile_edl
from sandbox.runner import run_script
from tasks.brief import Brief, CheckResult, ShotPick
from tasks.plan_edit import plan_edit
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

from .conftest import FPS, Build


def _at(kind: str, t: float) -> Brief:
    return Brief.model_validate({kind: ShotPick(kind="time", time_s=t)})


def _check(video: Path, source: Path, shots: list[Shot], brief: Brief, key: str) -> CheckResult:
    return {r.criterion.id: r for r in verify_edit(video, [source], brief, shots)}[key]


@pytest.mark.parametrize(("frame", "passed"), [(72, True), (74, True), (63, False), (79, False)])
def test_a_start_at_a_named_time_is_checked_at_that_time(
    build: Build, source: Path, shots: list[Shot], frame: int, passed: bool
) -> None:
    """Holdout7 case 23: "kick off at the 3-second mark" passed on a start at 2.1 s, in the
    shot holding 3 s. Shot 2 is 2-4 s (frames 48-95): starts there but 0.3 s or more off
    3 s (frame 72) are misses; two frames off (the frame grid, matching) is the time."""
    start = frame / FPS
    video = build(f"from-{frame}", [(start, 5.5), (6.0, 7.5)])
    result = _check(video, source, shots, _at("start_on", 3.0), "start_on")
    assert result.passed is passed, result.measured
    assert f"source {start:.2f} s" in result.measured


def test_a_start_at_a_named_time_is_read_through_a_fade_in(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    # The first frames are (near) black and match nothing: the time is taken back through them.
    video = build("from-3-faded", [(3.0, 5.5), (6.0, 7.5)], fade_in=0.5)
    result = _check(video, source, shots, _at("start_on", 3.0), "start_on")
    assert result.passed is True, result.measured
    late = _check(video, source, shots, _at("start_on", 2.5), "start_on")
    assert late.passed is False, late.measured


@pytest.mark.parametrize(("end", "passed"), [(5.0, True), (5.4, False)])
def test_an_end_at_a_named_time_is_checked_at_that_time(
    build: Build, source: Path, shots: list[Shot], end: float, passed: bool
) -> None:
    video = build(f"to-{end}", [(0.5, 1.5), (3.5, end)])
    result = _check(video, source, shots, _at("end_on", 5.0), "end_on")
    assert result.passed is passed, result.measured


def test_a_plan_starting_and_ending_at_named_times_renders_there(
    source: Path, shots: list[Shot], tmp_path: Path
) -> None:
    """The planner cuts the first segment from the named time on (the shot holding 3 s was
    centred on its peak, 2.5 s) and the last one up to the named end."""
    brief = Brief(
        start_on=ShotPick(kind="time", time_s=3.0), end_on=ShotPick(kind="time", time_s=6.5)
    )
    plan = plan_edit(brief, shots, [8.0])
    video = tmp_path / "named.mp4"
    done = run_script(compile_edl(plan.edl), [source], video)
    assert done.ok, done.reason
    results = {r.criterion.id: r for r in verify_edit(video, [source], brief, shots)}
    assert results["start_on"].passed is True, results["start_on"].measured
    assert results["end_on"].passed is True, results["end_on"].measured
