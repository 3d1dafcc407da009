"""All of the source named by its length ("all ten seconds of the clip") or its two ends."""

from __future__ import annotations

import pytest

from tasks.brief import SourceUse, parse_request


@pytest.mark.parametrize(
    "text",
    [
        "All ten seconds of the clip in rewind, at double speed.",
        "Use all ten seconds of the clip.",
        "the full 80 seconds of the trailer at 4x",
        "all of the 10 seconds of the footage, reversed",
    ],
)
def test_the_source_named_by_its_length_is_all_of_it_and_no_length(text: str) -> None:
    """The seconds are the footage's: at double speed the edit is half as long, no target."""
    brief = parse_request(text)
    assert (brief.use, brief.duration) == (SourceUse(kind="all"), None)


@pytest.mark.parametrize(
    "text",
    [
        "Run the trailer end to end at its normal speed throughout.",
        "Play the clip from start to finish in black and white.",
        "Use the footage from beginning to end, muted.",
        "Show the clip in full, sepia.",
        "Use the trailer uncut, 2x.",
        "The clip from beginning to end at half speed.",
        "play the video in its entirety",
    ],
)
def test_the_source_from_end_to_end_is_all_of_it(text: str) -> None:
    brief = parse_request(text)
    assert brief.use == SourceUse(kind="all")
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # Guards: a length of the edit, a head, a scope said of a look stay what they were.
        ("A 10 second edit of the clip.", 10.0),
        ("Sepia from start to finish, 8 seconds.", 8.0),
        ("Make the video from start to finish in sepia.", None),
        ("Don't use the clip uncut; 6 seconds.", 6.0),
    ],
)
def test_no_whole_source_without_the_source_named_whole(text: str, target: float | None) -> None:
    brief = parse_request(text)
    assert brief.use is None
    assert (brief.duration.target_s if brief.duration else None) == target


def test_a_head_of_the_source_stays_a_head() -> None:
    use = parse_request("Use the first 10 seconds of the clip.").use
    assert use == SourceUse(kind="head", seconds=10.0)
