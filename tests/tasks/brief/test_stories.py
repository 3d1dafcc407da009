"""Stories the platform (tasks/brief/_rules.py: 9:16) vs the story told (tasks/brief/_order.py:
the source order, or nothing)."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "framed 9:16 for stories",
        "Posting this as an Instagram story tonight",
        "IG stories cut, 6 s",
        "a story post, 6 s",
        "story format please",
        "post it to my story",
        "put it on our story",
    ],
)
def test_stories_the_platform_are_vertical(text: str) -> None:
    assert parse_request(text).aspect == "9:16"


@pytest.mark.parametrize(
    "text",
    [
        "every scene in story order",
        "the story beat where he falls, 6 s",
        "keep the storyline clear",
        "tell the story in 6 s",
        "in the order of the story",
    ],
)
def test_the_story_told_is_no_aspect(text: str) -> None:
    assert parse_request(text).aspect is None


@pytest.mark.parametrize(
    "text",
    [
        "8 seconds, every scene in story order",
        "in the order of the story",
        "the scenes in narrative order",
        "the scenes as the story unfolds",
    ],
)
def test_the_order_of_the_story_is_the_source_order(text: str) -> None:
    brief = parse_request(text)
    assert brief.order == "source" and brief.aspect is None
