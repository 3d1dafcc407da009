"""A length asked as a share of the source's (tasks/brief/_length.py, Brief.with_source_length):
"cut the clip to half its original length" is a share until the footage is known, then a
target in seconds."""

from __future__ import annotations

import pytest

from tasks.brief import Brief, DurationAsk, merge, parse_request


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Cut the clip to half its original length and open with the darkest bit.", 0.5),
        ("trim it to a third of the video's running time", 1 / 3),
        ("50% of the original length, in sepia", 0.5),
        ("make it half as long as the original", 0.5),
        ("cut it to two-thirds of its length", 2 / 3),
        ("bring the trailer down to a quarter of its runtime", 0.25),
        ("cut the street footage down to half the length of the clip", 0.5),
    ],
)
def test_a_share_of_the_sources_length(text: str, share: float) -> None:
    brief = parse_request(text)
    assert brief.duration is not None
    assert brief.duration.share_of_source == pytest.approx(share)
    assert brief.duration.target_s is None
    assert not any("length" in t or "long" in t or "time" in t for t in brief.free_text)


@pytest.mark.parametrize(
    "text",
    [
        "half the length of each shot",  # a shot's, not the source's
        "the first half of the clip",  # a portion of the footage used
        "at half speed, 6 s",
        "no more than half its length",  # a bound as a share: kept as free text
    ],
)
def test_other_halves_are_no_share_of_the_length(text: str) -> None:
    duration = parse_request(text).duration
    assert duration is None or duration.share_of_source is None


def test_the_share_becomes_a_target_with_the_sources_length() -> None:
    brief = parse_request("Cut the clip to half its original length")
    resolved = brief.with_source_length(10.0)
    assert resolved.duration == DurationAsk(target_s=5.0, tolerance_s=0.3)
    assert resolved.criteria()[0].text == "duration 5 ± 0.3 s"
    assert "50% of the source's length" in brief.criteria()[0].text


def test_the_requests_share_wins_over_a_models_target() -> None:
    parsed = parse_request("cut it to half its length")
    merged, notes = merge(parsed, Brief(duration=DurationAsk(target_s=8.0)), request="x")
    assert merged.duration == DurationAsk(share_of_source=0.5)
    assert any("share of the source's length" in n for n in notes)
    duration = merged.with_source_length(12.0).duration
    assert duration is not None and duration.target_s == 6.0


@pytest.mark.parametrize("brief", [Brief(), Brief(duration=DurationAsk(target_s=4.0))])
def test_a_brief_without_a_share_is_unchanged(brief: Brief) -> None:
    assert brief.with_source_length(10.0) is brief
