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
        # a negated "under" is a minimum
        ("not under 5 s and no longer than 8 s", 5.0, 8.0),
        ("No longer than 10 seconds but not under 8.", 8.0, 10.0),
        ("not below 4 s, under 6 s", 4.0, 6.0),
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


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("at least three secs but not more than 5 pls, sepia colour", 3.0, 5.0),
        ("at least 3 secs but no more than 5", 3.0, 5.0),
        ("at least 3 s, max 5", 3.0, 5.0),
        ("no more than 8 s and at least 4", 4.0, 8.0),
        ("no less than 2 minutes and no more than 3", 120.0, 180.0),
        ("at least 3 s, under 5.5", 3.0, 5.5),
    ],
)
def test_a_bare_bound_shares_the_unit_of_the_one_before(text: str, low: float, high: float) -> None:
    brief = parse_request(text)
    assert brief.duration is not None
    assert (brief.duration.min_s, brief.duration.max_s) == (low, high)


@pytest.mark.parametrize(
    "text", ["at least 3 s but under 5 scenes", "at least 5 s and under 2x speed"]
)
def test_a_bare_number_after_a_bound_of_something_else_is_no_bound(text: str) -> None:
    brief = parse_request(text)
    assert brief.duration is not None
    assert brief.duration.max_s is None


def test_not_under_is_a_minimum() -> None:
    brief = parse_request("hard cuts, not under 6 s, with the caption 'Coming Friday'")
    assert brief.duration is not None
    assert (brief.duration.min_s, brief.duration.max_s) == (6.0, None)
