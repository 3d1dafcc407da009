"""Reverse order glossed by its first shot (tasks/brief/_order.py): "(last scene first)" says
how the order runs, it places no shot at the start."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "scenes in the opposite order (last scene first) w/ hard cuts",
        "scenes in reverse order, last scene first",
        "reverse the scene order so the last scene comes first",
        "the shots in reverse order: last shot first, 6 s",
        "Flip the order so it's last shot first",
        "reverse the order so it goes last scene first",
    ],
)
def test_a_reverse_order_glossed_by_its_first_shot(text: str) -> None:
    brief = parse_request(text)
    assert brief.order == "reverse"
    assert brief.start_on is None


@pytest.mark.parametrize(
    "text", ["put the last scene first", "reverse order, then start on the last scene"]
)
def test_the_last_shot_placed_first_alone_is_a_start(text: str) -> None:
    start = parse_request(text).start_on
    assert start is not None and start.kind == "last"
