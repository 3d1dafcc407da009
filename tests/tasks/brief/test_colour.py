"""Sepia said in words (tasks/brief/_colour.py): brown tints and the look of old photographs,
never brown or old things in the footage."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "the colour must be old style like the brown photos",
        "a brownish tint",
        "brown tint, 10 s",
        "give it a brown tone",
        "tint it brown",
        "make the colours brownish",
        "vintage brown, 6 s",
        "vintage brown tones please",
        "old photo look",
        "an old-photograph effect",
        "like an old photograph",
        "make it look like an old photo",
        "in the style of old photographs",
        "an antique tone",
    ],
)
def test_the_brown_of_old_photographs_is_sepia(text: str) -> None:
    brief = parse_request(text)
    assert brief.colour == "sepia"
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "colour"),
    [
        ("the brown dog", None),
        ("start on the brown dog", None),
        ("the old man", None),
        ("a slideshow of old photos", None),
        ("keep the brown jacket", None),
        ("vintage brown jacket", None),
        ("the old film look", None),
        ("make it look like old black and white photos", "monochrome"),
        ("don't make it look like an old photo", "natural"),
    ],
)
def test_brown_or_old_things_are_no_sepia(text: str, colour: str | None) -> None:
    assert parse_request(text).colour == colour


@pytest.mark.parametrize(
    "text",
    [
        "no colour fx, keep the colours as they are",
        "no colour fx",
        "without colour effects",
        "no color adjustments please",
        "no colour edits",
        "without any colour treatment",
    ],
)
def test_no_change_to_colour_keeps_it_natural(text: str) -> None:
    assert parse_request(text).colour == "natural"


@pytest.mark.parametrize(
    "text",
    ["no colour", "no colour, 8 s", "without colour", "no colours please", "remove the colour"],
)
def test_no_colour_alone_is_still_monochrome(text: str) -> None:
    assert parse_request(text).colour == "monochrome"


@pytest.mark.parametrize(
    "text",
    ["grey colours", "gray colors, 2x fast", "grey tones please", "shades of grey", "turn it grey"],
)
def test_grey_said_of_the_picture_is_monochrome(text: str) -> None:
    assert parse_request(text).colour == "monochrome"


@pytest.mark.parametrize("text", ["start on the grey car", "the grey sky at the end", "a grey day"])
def test_grey_things_in_the_footage_are_no_look(text: str) -> None:
    assert parse_request(text).colour is None


@pytest.mark.parametrize(
    "text",
    [
        "So we're clear, in black and white terms: under 6 seconds, cuts only",
        "here it is spelled out in black and white: 6 s, hard cuts",
        "it's not that black and white, but keep it to 6 s",
        "it's a black-and-white question of length: 6 s",
    ],
)
def test_black_and_white_as_plain_speaking_is_no_look(text: str) -> None:
    assert parse_request(text).colour is None


@pytest.mark.parametrize(
    ("text", "colour"),
    [
        ("in black and white", "monochrome"),
        ("a black and white film look, 6 s", "monochrome"),
        ("spell it out in black and white terms, and make it black and white", "monochrome"),
        ("it's not black and white", "natural"),
    ],
)
def test_black_and_white_said_of_the_picture_stays_a_look(text: str, colour: str) -> None:
    assert parse_request(text).colour == colour
