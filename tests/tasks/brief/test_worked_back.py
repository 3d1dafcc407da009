"""Shots walked through last to first (tasks/brief/_worked_back.py)."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request
from tasks.brief.model import ShotPick


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("work backwards to scene #1", ShotPick(kind="scene", scene=1)),
        ("go backwards to the first shot", ShotPick(kind="first")),
        ("then move back to scene 2", ShotPick(kind="scene", scene=2)),
    ],
)
def test_working_backwards_to_a_shot_reverses_the_order_and_ends_there(
    text: str, end: ShotPick
) -> None:
    brief = parse_request(text)
    assert (brief.order, brief.playback, brief.end_on) == ("reverse", None, end)
    assert brief.free_text == []


def test_the_penultimate_scene_worked_back_from() -> None:
    brief = parse_request(
        "Start with the penultimate scene and work backwards to scene #1, 300 ms dips to black "
        "between them, a 5-second cut overall."
    )
    assert brief.start_on == ShotPick(kind="scene_from_end", scene=2)
    assert brief.end_on == ShotPick(kind="scene", scene=1)
    assert (brief.order, brief.playback) == ("reverse", None)
    assert (brief.transitions, brief.transition_s) == ("fade", 0.3)


@pytest.mark.parametrize("text", ["play it backwards", "run the clip in reverse"])
def test_time_played_backwards_stays_playback(text: str) -> None:
    brief = parse_request(text)
    assert (brief.playback, brief.order, brief.end_on) == ("reverse", None, None)
