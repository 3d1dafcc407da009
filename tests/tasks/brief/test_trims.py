"""Subtractive asks kept as said (tasks/brief/_trims.py): what is taken off the source."""

from __future__ import annotations

import pytest

from tasks.brief import SourceUse, parse_request


@pytest.mark.parametrize(
    ("text", "trim"),
    [
        ("Trim 2 seconds off the start of the clip and shave the last second too.", (2, 1)),
        ("cut 3 s off each end of the street footage", (3, 3)),
        ("take 1.5 seconds off the top, in sepia", (1.5, 0)),
        ("knock two seconds off the end please", (0, 2)),
        ("lose the first half second of the trailer", (0.5, 0)),
        ("drop the last 3 seconds and fade out", (0, 3)),
        ("Drop the intro (the first 2 seconds), keep the soundtrack", (2, 0)),
        ("skip the opening 4 s and get rid of the final two seconds", (4, 2)),
    ],
)
def test_a_length_taken_off_an_end_is_a_trim(text: str, trim: tuple[float, float]) -> None:
    brief = parse_request(text)
    assert brief.use == SourceUse(kind="trim", trim=trim)
    assert brief.duration is None  # the length taken off is no length of the edit
    assert not any("off" in t or "first" in t or "last" in t for t in brief.free_text)


@pytest.mark.parametrize(
    ("text", "use"),
    [
        # "cut the first 4 seconds" names the head as often as its removal: left as it was
        ("cut the first 4 seconds", SourceUse(kind="head", seconds=4)),
        ("use the last 3 seconds of the clip", SourceUse(kind="tail", seconds=3)),
        ("a caption 2 s from the start", None),  # a place, not a trim
        ("don't trim 2 seconds off the start", None),
    ],
)
def test_no_trim_without_a_length_taken_off(text: str, use: SourceUse | None) -> None:
    assert parse_request(text).use == use


def test_a_trim_without_a_length_stays_free_text() -> None:
    brief = parse_request("Trim the fat, drop the intro. Fade in.")
    assert brief.use is None and brief.duration is None
    assert "Trim the fat" in brief.free_text
