"""Slips in the parser's own words (tasks/brief/_typos.py) read as the word meant."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request
from tasks.brief._typos import correct_typos
from tasks.brief.model import ShotPick


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("secnd", "second"),  # a letter left out
        ("begining", "beginning"),
        ("midle", "middle"),
        ("crosfades", "crossfades"),
        ("monocrome", "monochrome"),
        ("sepai", "sepia"),  # two letters swapped
        ("tranistion", "transition"),
        ("captoin", "caption"),
        ("vidoe", "video"),
        ("transitoins", "transitions"),
        ("stilest", "stillest"),
        ("footgae", "footage"),
        ("musicc", "music"),  # a letter added
        ("colourfull", "colourful"),
        ("mobement", "movement"),  # a letter changed
        ("Begining", "Beginning"),  # the case is kept
        ("MONOCROME", "MONOCHROME"),
    ],
)
def test_a_slip_reads_as_the_word_meant(typo: str, meant: str) -> None:
    assert correct_typos(f"a {typo}, please") == f"a {meant}, please"


@pytest.mark.parametrize(
    "word",
    [
        # English words one edit from a vocabulary word stay themselves
        "spend", "round", "found", "while", "write", "shoes", "steed", "minuet", "scent",
        "faced", "lower", "shorts", "tonal", "relay", "reply", "mound", "blank", "whose",
        # too short to tell a slip from another word
        "secs", "midl", "fde", "sond",
        # one edit from two words: no telling which was meant
        "aotion", "aound",
        # nowhere near a vocabulary word
        "zoomed", "grainy", "birthday",
    ],
)  # fmt: skip
def test_a_word_that_is_no_slip_is_kept(word: str) -> None:
    assert correct_typos(f"{word} it") == f"{word} it"


def test_quoted_text_is_kept_as_written() -> None:
    assert correct_typos('caption "Begining" at the begining') == (
        'caption "Begining" at the beginning'
    )
    assert parse_request('add the caption "Begining of the end"').captions == [
        "Begining of the end"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "pls make a 15 secnd vid from the begining, midle and end of the footage, with crosfades",
        "15 secnds from the begining, middel and end, crossfdaes between them",
        "Begining, midle and ending of the vidoe, crosfade transitoins, 15 seconds",
    ],
)
def test_a_request_full_of_slips_is_read(text: str) -> None:
    brief = parse_request(text)
    assert brief.duration is not None and brief.duration.target_s == 15.0
    assert brief.use is not None and brief.use.kind == "beginning_middle_end"
    assert brief.transitions == "crossfade"
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "colour"),
    [
        ("in monocrome, 6 s", "monochrome"),
        ("sepai tones, 6 s", "sepia"),
        ("6 s, gresycale", "monochrome"),
    ],
)
def test_a_slip_in_a_look(text: str, colour: str) -> None:
    brief = parse_request(text)
    assert brief.colour == colour and brief.duration is not None


def test_spend_is_no_speed() -> None:
    assert parse_request("spend 3 seconds on the beach, then the rest").speeds == []


@pytest.mark.parametrize(
    "text",
    [
        "Make a 15 second edit of the street that stars at 0:30, in black and white.",
        "it should star from 0:30",
    ],
)
def test_an_english_word_where_only_a_verb_of_the_edit_fits_is_that_verb(text: str) -> None:
    assert parse_request(text).start_on == ShotPick(kind="time", time_s=30.0)


@pytest.mark.parametrize(
    "text",
    ["the stars at 0:30 are lovely", "a film that stars Tom Hanks", "stars at night, 5 s"],
)
def test_the_english_word_stays_where_it_reads(text: str) -> None:
    assert correct_typos(text) == text
