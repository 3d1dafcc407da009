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
