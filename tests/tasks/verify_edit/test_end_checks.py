"""Ends checked on the decoded render (tasks/verify_edit/_end_checks.py): a scene counted
from the end is the scene the footage's count makes it, as a scene number is."""

from __future__ import annotations

from pathlib import Path

from tasks.brief import Brief, ShotPick
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

from .conftest import Build

# Every scene of the four, 1.5 s of each, in source order; then with the last two swapped.
IN_ORDER = [(0.25, 1.75), (2.25, 3.75), (4.25, 5.75), (6.25, 7.75)]
SWAPPED = [IN_ORDER[0], IN_ORDER[1], IN_ORDER[3], IN_ORDER[2]]
BEFORE_THE_LAST = ShotPick(kind="scene_from_end", scene=2)


def _end(render: Path, source: Path, shots: list[Shot], pick: ShotPick) -> tuple[bool | None, str]:
    [result] = [r for r in verify_edit(render, [source], Brief(end_on=pick), shots)
                if r.criterion.id == "end_on"]  # fmt: skip
    return result.passed, result.measured + " | " + result.discrepancy


def test_an_edit_ending_on_the_scene_before_the_last_passes(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    passed, said = _end(build("swapped", SWAPPED), source, shots, BEFORE_THE_LAST)
    assert passed is True, said
    assert said.startswith("the edit ends on scene 3"), said


def test_an_edit_ending_on_the_last_scene_fails_it(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    passed, said = _end(build("good", IN_ORDER), source, shots, BEFORE_THE_LAST)
    assert passed is False
    assert "to end on the second-to-last scene (scene 3, 4.0" in said, said


def test_more_scenes_from_the_end_than_the_footage_has_are_unmeasured(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    passed, said = _end(
        build("good", IN_ORDER), source, shots, ShotPick(kind="scene_from_end", scene=5)
    )
    assert passed is None
    assert said.startswith("no shot qualifies as the 5th-to-last scene"), said


def test_any_part_of_a_long_scene_is_that_scene(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    """Scene 3 measured in two parts (a long take): ending on its second part ends on it,
    as with a scene number, though the pick names the scene's first part."""
    third = shots[2]
    parts = [
        third.model_copy(update={"end_s": 5.0, "peak_s": 4.5, "scene": 3}),
        third.model_copy(update={"index": 4, "start_s": 5.0, "peak_s": 5.5, "scene": 3}),
    ]
    last = shots[3].model_copy(update={"index": 5, "scene": 4})
    split = [*(s.model_copy(update={"scene": s.index}) for s in shots[:2]), *parts, last]
    render = build("late_part", [IN_ORDER[0], IN_ORDER[1], IN_ORDER[3], (5.1, 5.9)])
    passed, said = _end(render, source, split, BEFORE_THE_LAST)
    assert passed is True, said
