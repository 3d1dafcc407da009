"""The whole named footage put in slow motion uses all of it (tasks/brief/_whole_speed.py),
where no length is asked."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("put in slow the whole trailer, 0.8x, keep the audio", 0.8),
        ("put the whole trailer in slow motion", 0.5),
        ("put in slow motion the entire street video", 0.5),
        ("play the whole clip in slow-mo, keep the sound", 0.5),
    ],
)
def test_a_speed_of_the_whole_footage_uses_all_of_it(text: str, factor: float) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind == "all"
    assert [s.factor for s in brief.speeds] == [factor]


@pytest.mark.parametrize(
    "text",
    [
        # a length makes the whole clip the speed's scope only
        "put in slow the whole clip, no longer than eight seconds",
        "put the whole trailer in slow motion, 6 s",
        "Slow the whole clip to half speed.",  # a plain speed verb: the edit's speed
        "Could you speed the whole thing up 3x",  # the edit, not the footage
        "don't put the whole clip in slow motion",
    ],
)
def test_no_use_of_all_where_a_length_or_the_edit_is_meant(text: str) -> None:
    assert parse_request(text).use is None
