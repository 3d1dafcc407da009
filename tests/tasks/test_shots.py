"""Picks resolved against measured shots (tasks/shots.py): a scene counted from the end."""

from __future__ import annotations

from tasks.brief import ShotPick, SourceUse
from tasks.shots import Shot, pick_shot, scene_count


def _shots(scenes: list[int], source: int = 0) -> list[Shot]:
    """One 2 s shot per entry, each part of the scene given (repeats: parts of a long take)."""
    return [
        Shot(source=source, index=i + 1, start_s=2.0 * i, end_s=2.0 * (i + 1), luma=100.0,
             motion=5.0, colourfulness=50.0, peak_s=2.0 * i + 1.0, scene=scene)
        for i, scene in enumerate(scenes)
    ]  # fmt: skip


def _from_end(count: int) -> ShotPick:
    return ShotPick(kind="scene_from_end", scene=count)


def test_the_scene_before_the_last_of_four_is_scene_three() -> None:
    shots = _shots([1, 2, 3, 4])
    assert pick_shot(shots, _from_end(2)) == shots[2]
    assert pick_shot(shots, _from_end(1)) == shots[3]
    assert pick_shot(shots, _from_end(4)) == shots[0]


def test_a_long_take_is_one_scene_opened_by_its_first_part() -> None:
    shots = _shots([1, 2, 2, 2, 3])
    assert scene_count(shots) == 3
    assert pick_shot(shots, _from_end(2)) == shots[1]


def test_fewer_scenes_than_counted_name_none() -> None:
    assert pick_shot(_shots([1, 2]), _from_end(3)) is None


def test_counted_over_the_clips_in_order() -> None:
    """As "the last shot" is the last clip's, so is the one before it."""
    shots = _shots([1, 2]) + _shots([1, 2, 3], source=1)
    assert pick_shot(shots, _from_end(2)) == shots[3]


def test_a_place_in_the_footage_whatever_stretch_is_asked() -> None:
    """Like "scene 3", it names a place: an asked stretch does not recount it."""
    shots = _shots([1, 2, 3, 4])
    head = SourceUse(kind="head", seconds=4.0)
    assert pick_shot(shots, _from_end(2), head, [8.0]) == shots[2]
