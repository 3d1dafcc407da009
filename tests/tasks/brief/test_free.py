"""Free text (tasks/brief/_free.py): what is left once the rules read a request."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "Take 0:10-0:25 of the street footage and play it twice as fast.",
        "A one-minute cut of my wedding video, in full colour.",
        "Pull 5-8s and 12-15s out of the street video.",
        "Half-speed version of the trailer's opening 2.5 seconds.",
        "run it for ten seconds",
    ],
)
def test_naming_the_footage_asks_nothing(text: str) -> None:
    assert parse_request(text).free_text == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("a 6 s cut of the street footage that feels like a dream sequence", "dream"),
        ("end on the villain's reveal", "villain"),
        ("a 10 s cut of the clip with the dog in every shot", "dog"),
    ],
)
def test_an_ask_beside_the_footage_name_is_kept(text: str, word: str) -> None:
    assert any(word in f for f in parse_request(text).free_text)


@pytest.mark.parametrize(
    "text",
    [
        "Reel for Insta from the trailer - 9:16, somewhere between 8 and 10 seconds, cuts "
        "landing on the beat, keep the music and master it to -14 LUFS.",
        "I'm after a teaser that's at least 6 seconds long.",
        "I'd like something that's roughly 8 seconds",
        "Put the calmest, stillest bit in slo-mo (50%)",
        "use the whole trailer but make it go 3x faster, and kill the audio",
        "Grab the last 20 seconds of the street scene, square format.",
        "Could you flip the scene order so it plays last-to-first?",
        "close on the last one, loudness at -16 LUFS",
        "neither fade in nor fade out",
    ],
)
def test_a_clause_read_into_fields_is_not_also_free_text(text: str) -> None:
    assert parse_request(text).free_text == []


@pytest.mark.parametrize(
    "text",
    ["street clip: use 0:03 to 0:07 only", "Trailer - 6 s, sepia", "The beach video: 5 s"],
)
def test_a_label_naming_the_footage_asks_nothing(text: str) -> None:
    assert parse_request(text).free_text == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("6 s, cuts landing on the beat, with a dreamy glow", "dreamy glow"),
        ("the whole trailer at 2x, with the hero in the last shot", "hero"),
        ("crop to 4:5 around the dancer", "dancer"),
        ("street clip with the red car: 6 s", "red car"),
    ],
)
def test_an_ask_beside_a_read_one_is_kept(text: str, word: str) -> None:
    assert any(word in f for f in parse_request(text).free_text)


@pytest.mark.parametrize(
    "clause", ["butterflies drift across", "andante feel", "thenar close-ups", "plush look"]
)
def test_a_clause_keeps_a_word_that_begins_like_a_joining_word(clause: str) -> None:
    """Only a whole "but"/"and"/"then"/"plus" is trimmed off a clause: "butterflies" stays."""
    assert clause in parse_request(f"Make it 6 seconds, {clause}").free_text
