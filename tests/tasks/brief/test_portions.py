"""Shares of the source named by where they lie (tasks/brief/_timing.py's _PORTION)."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "portion"),
    [
        ("Only the back half of the clip, at half speed, at least 8 seconds long", (0.5, 1.0)),
        ("the front half of the footage", (0.0, 0.5)),
        ("the back third of the trailer", (2 / 3, 1.0)),
        ("the rear quarter", (0.75, 1.0)),
        ("use its back half", (0.5, 1.0)),
        ("the latter half", (0.5, 1.0)),
    ],
)
def test_a_share_named_front_or_back(text: str, portion: tuple[float, float]) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind == "portion"
    assert brief.use.portion == pytest.approx(portion)
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    ["bring back half the shots", "come back half an hour later", "play the back half speed"],
)
def test_back_as_an_adverb_names_no_share(text: str) -> None:
    brief = parse_request(text)
    assert brief.use is None
