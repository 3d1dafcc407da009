"""Shots named by reference (tasks/brief/_refs.py): "the scene right after it", "the same
scene it opens on", "that closing scene", and a shot beside an end, counted from it."""

from __future__ import annotations

import pytest

from tasks.brief import ShotPick, parse_request


@pytest.mark.parametrize(
    ("text", "end_scene"),
    [
        ("Start on scene 2 and close on the scene right after it.", 3),
        ("Open on scene 4 and end on the shot just before that one.", 3),
        ("Open on the first shot and close on the scene after the first one.", 2),
    ],
)
def test_a_scene_beside_another_is_moved_from_it(text: str, end_scene: int) -> None:
    end = parse_request(text).end_on
    assert end is not None and (end.kind, end.scene) == ("scene", end_scene)


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        ("Start on scene 2, close on scene 3; play that closing scene at half speed.", 3),
        ("Open on scene 4 and close with a half-speed replay of the same scene it opens on.", 4),
    ],
)
def test_a_speed_of_an_end_named_again_is_that_ends(text: str, scene: int) -> None:
    [speed] = parse_request(text).speeds
    assert speed.pick is not None and (speed.pick.kind, speed.pick.scene) == ("scene", scene)


@pytest.mark.parametrize(
    "text",
    [
        "Close on the scene just before the final one.",
        "End on the scene before the last one.",
    ],
)
def test_a_scene_beside_the_last_is_the_second_from_the_end(text: str) -> None:
    assert parse_request(text).end_on == ShotPick(kind="scene_from_end", scene=2)


def test_a_scene_beyond_an_end_names_none() -> None:
    brief = parse_request("End on the scene before the first one.")
    assert brief.end_on is None
    assert brief.free_text  # kept, unchecked


def test_a_shot_list_row_before_the_last_is_a_speed_of_it() -> None:
    """Holdout12 case 5: the shot list's last row names the scene before the last one."""
    brief = parse_request(
        "Shot list:\n1. Scene 4 -- 1.5 s\n2. Scene 2 -- 1.5 s\n"
        "3. The scene before the last one -- 1 s of it at quarter speed (4 s on screen)\n"
        "Running time: 7 s."
    )
    assert brief.end_on == ShotPick(kind="scene_from_end", scene=2)
    [speed] = brief.speeds
    assert (speed.factor, speed.pick) == (0.25, ShotPick(kind="scene_from_end", scene=2))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("End on the final scene.", "last"),
        ("Play the closing scene at half speed.", "last"),
        ("End on the last scene, after it fades.", "last"),
    ],
)
def test_ends_named_plainly_stay_ends(text: str, kind: str) -> None:
    brief = parse_request(text)
    pick = brief.end_on or brief.speeds[0].pick
    assert pick is not None and pick.kind == kind


def test_a_moment_before_the_last_scene_does_something_is_no_scene() -> None:
    """Said by what the last scene does, it is a moment, kept unchecked as before."""
    brief = parse_request("End on the shot before the last scene fades out.")
    assert brief.end_on is None
    assert brief.free_text
