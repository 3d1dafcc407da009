"""How long the edit must be (tasks/brief/_length.py): bounds as people write them."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "high"),
    [
        ("Nothing longer then 5 seconds please", 5.0),  # "then" for "than"
        ("no longer then 6 s", 6.0),
        ("shorter then 12 s", 12.0),
        ("Not more long than 8 seconds please.", 8.0),  # a learner's "longer"
        ("it must not be more long than 7 s", 7.0),
        ("nothing more than 9 seconds", 9.0),
        ("nothing over 10 s", 10.0),
    ],
)
def test_a_maximum_said_loosely(text: str, high: float) -> None:
    d = parse_request(text).duration
    assert d is not None and (d.target_s, d.min_s, d.max_s) == (None, None, high)


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("nothing shorter than 4 s", 4.0),
        ("not more short than 5 seconds", 5.0),
        ("longer then 3 s", 3.0),
        ("no shorter than 6 s", 6.0),
    ],
)
def test_a_minimum_said_loosely(text: str, low: float) -> None:
    d = parse_request(text).duration
    assert d is not None and (d.target_s, d.min_s, d.max_s) == (None, low, None)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("no text. no fade in. 12s. start on the most colourful shot", 12.0),
        ("No audio at all. 7 sec.", 7.0),
        ("Add no captions! 9 seconds.", 9.0),
        ("no transitions; 10 s", 10.0),
        # "then" is "than" only after a comparative
        ("make it 6 s then add a fade", 6.0),
        ("cut the intro, then 8 seconds total", 8.0),
    ],
)
def test_a_length_standing_alone_is_the_target(text: str, target: float) -> None:
    d = parse_request(text).duration
    assert d is not None and (d.target_s, d.min_s, d.max_s) == (target, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "fade in 2 s",
        "a 1.5 s fade at the start",
        "hold each shot 2 s",
        "dissolves of 0.5 s",
        "fade out over the last 3 seconds. no text",
        # a join's length, said before its joins
        "half a second between shots, dipping to black",
        "a 2 s pause between the scenes",
    ],
)
def test_the_length_of_another_ask_in_the_same_sentence_is_no_target(text: str) -> None:
    d = parse_request(text).duration
    assert d is None or d.target_s is None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("What I need from you is half a min of it in sepia", 30.0),
        ("all I want from them is a 10 s cut", 10.0),
        ("forget my notes from yesterday: 8 seconds", 8.0),
    ],
)
def test_from_a_person_is_no_point_of_the_footage(text: str, target: float) -> None:
    d = parse_request(text).duration
    assert d is not None and d.target_s == target


@pytest.mark.parametrize(
    ("text", "target", "low", "high"),
    [
        ("the whole edit must come in at 5 seconds", 5.0, None, None),
        ("clocking in at 8 s", 8.0, None, None),
        # its unit left out: only a length can follow "clocks in at"
        ("so it clocks in at 10", 10.0, None, None),
        ("the first 30 s at 3x so it clocks in at 10", 10.0, None, None),
        ("can this clock in at about eight?", 8.0, None, None),
        # a spot named by its seconds, as broadcast writes it
        ("No more than a :15 out of the street footage", None, None, 15.0),
        ("cut me a :30 of the trailer", 30.0, None, None),
        ("under a 10-second cut", None, None, 10.0),
        # guards: a bound of something else, a point of the footage
        ("6 s, no more than two shots", 6.0, None, None),
        ("cut at 5 seconds", None, None, None),
    ],
)
def test_a_length_the_edit_comes_in_at(
    text: str, target: float | None, low: float | None, high: float | None
) -> None:
    d = parse_request(text).duration
    got = (d.target_s, d.min_s, d.max_s) if d else (None, None, None)
    assert got == (target, low, high)


@pytest.mark.parametrize(
    ("text", "low", "high", "target"),
    [
        ("Six seconds, no more. Hard cuts.", None, 6.0, None),
        ("two minutes, no more", None, 120.0, None),  # was read as a target before
        ("8 s and not a second longer.", None, 8.0, None),
        ("12 seconds - no longer!", None, 12.0, None),
        ("Ten seconds, no less, in sepia.", 10.0, None, None),
        # guards: "no more" that goes on to another ask bounds nothing
        ("Six seconds, no more than two shots.", None, None, 6.0),
        ("Six seconds, no more slow motion.", None, None, 6.0),
    ],
)
def test_a_length_then_no_more_is_a_bound(
    text: str, low: float | None, high: float | None, target: float | None
) -> None:
    """ "Six seconds, no more" caps the length: anything up to six seconds answers it."""
    d = parse_request(text).duration
    assert d is not None
    assert (d.min_s, d.max_s, d.target_s) == (low, high, target)
