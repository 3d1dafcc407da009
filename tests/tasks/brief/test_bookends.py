"""Both ends picked in one ask (tasks/brief/_bookends.py): "bookend it with ..."."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Bookend it with the first and last shots, 5 seconds all in", "first", "last"),
        ("bookend it with the opening and closing scenes", "first", "last"),
        ("bookend the video with the brightest shot and the darkest one", "brightest", "darkest"),
        ("bookended by scene 2 and scene 4", "scene", "scene"),
        ("bookend it with a face", "faces", "faces"),
    ],
)
def test_a_bookend_places_a_pick_at_each_end(text: str, first: str, last: str) -> None:
    brief = parse_request(text)
    assert brief.start_on is not None and brief.start_on.kind == first
    assert brief.end_on is not None and brief.end_on.kind == last
    assert brief.free_text == []


def test_two_picks_keep_the_order_they_are_said_in() -> None:
    brief = parse_request("bookended by scene 2 and scene 4")
    assert brief.start_on is not None and brief.start_on.scene == 2
    assert brief.end_on is not None and brief.end_on.scene == 4


def test_a_refused_bookend_places_nothing() -> None:
    brief = parse_request("don't bookend it with the first and last shots")
    assert brief.start_on is None and brief.end_on is None
