"""Lengths asked against the source's by what is taken off it (tasks/brief/_relative.py)."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "Can you cut it down by 4 seconds? Use every scene.",
        "make it 4 seconds shorter, in sepia",
        "shorten the trailer by four seconds",
        "take 4 s off the running time",
    ],
)
def test_a_length_less_than_the_sources(text: str) -> None:
    brief = parse_request(text)
    assert brief.duration is not None
    assert brief.duration.shorter_by_s == 4 and brief.duration.target_s is None
    assert brief.with_source_length(10).duration.target_s == 6  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Take a third off the trailer's running time.", 2 / 3),
        ("cut it down by half", 0.5),
        ("shorten the clip by 25%", 0.75),
        ("Half the length of the full trailer, dialogue kept.", 0.5),
    ],
)
def test_a_share_taken_off_the_sources_length(text: str, share: float) -> None:
    brief = parse_request(text)
    assert brief.duration is not None
    assert brief.duration.share_of_source == pytest.approx(share)
    assert brief.duration.target_s is None and brief.duration.shorter_by_s is None


@pytest.mark.parametrize(
    "text",
    [
        "no shorter than 4 seconds",  # a bound
        "make each shot 1 s shorter",  # a shot's length
        "cut it down to 4 seconds",  # a target
    ],
)
def test_no_cut_of_the_sources_length(text: str) -> None:
    brief = parse_request(text)
    assert brief.duration is None or brief.duration.shorter_by_s is None
