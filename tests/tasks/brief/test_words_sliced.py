"""Words refused a cut through them (tasks/brief/_sound.py, _rules.py): "don't slice through
any words" asks whole words, and its "words" are no caption."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "keep the dialogue but don't slice through any words",
        "don't chop into the words",
        "never clip any words",
        "don't cut through any words, 7 s",
        "don't slice up the sentences",
    ],
)
def test_a_cut_through_words_refused_asks_whole_words(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.whole_words
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text", ["don't cut through the scenes", "slice through the words on screen", "chop it down"]
)
def test_cuts_through_other_things_are_no_whole_words(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is None or not brief.sound.whole_words
