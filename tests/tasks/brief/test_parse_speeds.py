"""Speeds (tasks/brief/parse.py) written as a share of real time or as a change of it."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("half as fast", 0.5),
        ("play it half as quick", 0.5),
        ("make it 20% faster", 1.2),
        ("play it 50% slower", 0.5),
        ("speed it up by 25 percent", 1.25),
        ("speed up by 50%", 1.5),
        ("slow the whole thing down by 50%", 0.5),
    ],
)
def test_speeds_as_a_share_or_a_change(text: str, factor: float) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [pytest.approx(factor)]
    assert brief.free_text == []
