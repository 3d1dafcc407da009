"""The edit's first shot said as where it runs from (tasks/brief/_onwards.py)."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request
from tasks.brief.model import ShotPick


@pytest.mark.parametrize(
    ("text", "pick"),
    [
        ("from scene #2 on", ShotPick(kind="scene", scene=2)),
        ("from the second scene onwards", ShotPick(kind="scene", scene=2)),
        ("the clip from 0:15 onward", ShotPick(kind="time", time_s=15.0)),
        ("from the brightest shot to the end", ShotPick(kind="brightest")),
    ],
)
def test_a_shot_run_on_from_is_the_start(text: str, pick: ShotPick) -> None:
    brief = parse_request(text)
    assert brief.start_on == pick
    assert brief.free_text == []


def test_a_speed_said_with_where_the_edit_runs_from_is_the_whole_edits() -> None:
    brief = parse_request(
        "Half-speed version of the trailer from scene #2 on, anywhere between 5 and 8 seconds "
        "long, with its soundtrack."
    )
    assert brief.start_on == ShotPick(kind="scene", scene=2)
    assert [(s.factor, s.applies_to, s.pick) for s in brief.speeds] == [(0.5, "all", None)]


@pytest.mark.parametrize("text", ["scene 2 at half speed", "open on scene 2 at half speed"])
def test_a_speed_said_of_a_shot_stays_that_shots(text: str) -> None:
    speeds = parse_request(text).speeds
    assert [(s.applies_to, s.pick) for s in speeds] == [("part", ShotPick(kind="scene", scene=2))]


def test_a_span_from_one_shot_to_another_is_no_start() -> None:
    assert parse_request("from scene 2 to scene 3").start_on is None
