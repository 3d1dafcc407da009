"""Scenes counted from the end (tasks/brief/_from_end.py): "the penultimate shot", "the
second-to-last scene", "the last but one", "third from the end", as start, end and speed
picks; and phrasings of the last scene, or of a length, that stay what they were."""

from __future__ import annotations

import pytest

from tasks.brief import ShotPick, parse_request

FROM_END_2 = ShotPick(kind="scene_from_end", scene=2)


@pytest.mark.parametrize(
    "text",
    [
        "End on the penultimate shot.",
        "End on the second-to-last scene.",
        "Finish with the second to last scene, please.",
        "Close on the next-to-last shot.",
        "End on the last but one.",
        "End on the last scene but one.",
        "Close on the second last scene.",
        "End on the scene second from the end.",
        "Close on the penultimate.",
    ],
)
def test_an_end_counted_from_the_end(text: str) -> None:
    assert parse_request(text).end_on == FROM_END_2


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Open on the second-to-last scene and end on scene 1.", 2),
        ("Start with the third from the end.", 3),
        ("Open on the third-to-last shot.", 3),
        ("Start on the antepenultimate scene.", 3),
        ("Begin with the last but two.", 3),
    ],
)
def test_a_start_counted_from_the_end(text: str, count: int) -> None:
    assert parse_request(text).start_on == ShotPick(kind="scene_from_end", scene=count)


@pytest.mark.parametrize(
    "text",
    [
        "Play the penultimate shot at half speed.",
        "Slow the second-to-last scene to half speed.",
    ],
)
def test_a_speed_of_a_scene_counted_from_the_end(text: str) -> None:
    [speed] = parse_request(text).speeds
    assert (speed.factor, speed.applies_to, speed.pick) == (0.5, "part", FROM_END_2)


@pytest.mark.parametrize(
    ("text", "end_on"),
    [
        ("End on the last scene.", ShotPick(kind="last")),
        ("End on the final shot, last but not least.", ShotPick(kind="last")),
        # a stretch from scene 2 on, not the scene before the last
        (
            "Play from the second to the last scene and end on scene 4.",
            ShotPick(kind="scene", scene=4),
        ),
    ],
)
def test_the_last_scene_stays_the_last(text: str, end_on: ShotPick) -> None:
    assert parse_request(text).end_on == end_on


@pytest.mark.parametrize(
    "text",
    [
        "Hold the title for a second to last longer, end on the brightest shot.",
        "End on the brightest shot; the penultimate beat gets a cut.",
    ],
)
def test_words_that_name_no_scene_from_the_end(text: str) -> None:
    assert parse_request(text).end_on == ShotPick(kind="brightest")
