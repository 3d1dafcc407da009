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


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("make it go 3x faster", 3.0),
        ("play it 2x quicker", 2.0),
        ("4x slower", 0.25),
        ("run it 2 times slower", 0.5),
        ("make it 3x the speed", 3.0),
    ],
)
def test_a_factor_said_with_its_direction(text: str, factor: float) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [pytest.approx(factor)]
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "factor"),
    [("slo-mo (50%)", 0.5), ("in slow motion (25%)", 0.25), ("sped up (2x)", 2.0)],
)
def test_a_bracketed_number_restates_the_speed(text: str, factor: float) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [pytest.approx(factor)]
    assert brief.free_text == []


def test_a_bracketed_share_of_something_else_is_no_speed() -> None:
    assert parse_request("zoom in (150%), 6 s").speeds == []
