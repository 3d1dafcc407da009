"""Two bounds said with one unit (tasks/brief/_length.py): "at least 3 but under 5 seconds"
bounds the length both ways; the bare number shares the unit of the bound after it."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("At least 3 but under 5 seconds.", 3.0, 5.0),
        ("more than 4 and less than 6 s", 4.0, 6.0),
        ("no less than 3, no more than 5 s", 3.0, 5.0),
        ("under 5 but at least 3 seconds", 3.0, 5.0),
        ("at least 3 and at most 5 s, in sepia", 3.0, 5.0),
        ("at least 1 but under 2 minutes", 60.0, 120.0),
    ],
)
def test_a_bare_bound_shares_the_unit_of_the_next(text: str, low: float, high: float) -> None:
    brief = parse_request(text)
    assert brief.duration is not None
    assert (brief.duration.min_s, brief.duration.max_s) == (low, high)
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "at least 3 shots, under 5 seconds",  # a count of shots, not seconds
        "at least two scenes, no longer than 5 s",
        "under 4 and under 5 s",  # the same bound twice shares nothing
    ],
)
def test_a_bare_number_of_something_else_is_no_bound(text: str) -> None:
    brief = parse_request(text)
    assert brief.duration is not None
    assert brief.duration.min_s is None and brief.duration.max_s == 5.0
