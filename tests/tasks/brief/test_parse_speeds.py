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


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("play it at a quarter of normal speed", 0.25),
        ("a third of the speed", 1 / 3),
        ("half the normal speed", 0.5),
        ("three quarters speed", 0.75),
        ("three-quarter speed", 0.75),
        ("at two thirds speed", 2 / 3),
        ("slowed down to quarter speed", 0.25),
        ("everything at a quarter of the speed", 0.25),
        ("a quarter of real time", 0.25),
    ],
)
def test_a_fraction_of_the_speed_is_its_factor(text: str, factor: float) -> None:
    """A share said as a fraction is the factor, and wins over a slow word beside it."""
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [pytest.approx(factor, abs=1e-3)]
    assert brief.free_text == []


def test_normal_speed_inside_a_fraction_is_no_speed_of_its_own() -> None:
    # holdout7 case 1: "normal speed" is what the quarter is of, not a second ask.
    brief = parse_request(
        "scene 2 sped up to double, and scene 4 - the last one - slowed right down to a "
        "quarter of normal speed."
    )
    assert [(s.factor, s.pick and s.pick.scene) for s in brief.speeds] == [(2.0, 2), (0.25, 4)]


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("play at normal speed", 1.0),
        ("slow motion at half speed", 0.5),
        ("a half-speed replay of the best moment", 0.5),
        ("the first quarter of the clip at normal speed", 1.0),
        ("the last third at half speed", 0.5),
    ],
)
def test_normal_speed_or_a_share_of_the_footage_stays_as_it_was(text: str, factor: float) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [pytest.approx(factor)]


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("play it at twice the normal speed", 2.0),
        ("two times the original speed", 2.0),
        ("three times normal speed", 3.0),
    ],
)
def test_a_multiple_of_normal_speed_is_the_multiple(text: str, factor: float) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [factor]
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "Nothing sped up or slowed down, hard cuts",
        "nothing should be sped up or slowed down",
        "don't speed it up or slow it down",
        "never slow it down nor speed it up",
        "don't speed anything up",
    ],
)
def test_speeds_refused_together_ask_real_time(text: str) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [1.0]
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "factors"),
    [
        ("no slow motion, or 2x", [2.0]),  # after a comma "or" offers an alternative
        ("don't speed it up; slow it down", [0.5]),
        ("nothing but slow motion", [0.5]),
    ],
)
def test_a_refusal_reaches_no_further(text: str, factors: list[float]) -> None:
    assert [s.factor for s in parse_request(text).speeds] == factors
