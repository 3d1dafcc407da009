"""Stretches of the source written backwards or by ordinal seconds (tasks/brief/_stretches.py),
and a length said again in brackets after its stretch."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("Use 5-3 s and 9-7 s of the clip at 1.5x, hard cuts.", [(3.0, 5.0), (7.0, 9.0)]),
        ("Take 0:07 to 0:03 of the trailer with its sound", [(3.0, 7.0)]),
        ("grab 12 to 8 s from the video", [(8.0, 12.0)]),
        # written in order, ranges keep the order written
        ("use 9-7 s and then 2-4 s of the clip", [(7.0, 9.0), (2.0, 4.0)]),
    ],
)
def test_a_span_written_backwards_is_the_stretch_played_forwards(
    text: str, ranges: list[tuple[float, float]]
) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind == "ranges"
    assert brief.use.ranges == ranges
    assert brief.duration is None and brief.playback is None
    assert any("played forwards" in note for note in brief.free_text)


def test_a_backwards_span_said_with_reverse_playback_plays_backwards() -> None:
    brief = parse_request("play 0:07 to 0:03 of the clip backwards")
    assert brief.use is not None and brief.use.ranges == [(3.0, 7.0)]
    assert brief.playback == "reverse"
    assert not any("played forwards" in note for note in brief.free_text)


def test_a_shot_number_before_a_length_is_no_backwards_span() -> None:
    assert parse_request("scene 3 - 2 s each").use is None


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("the 2nd through 4th seconds of the clip", [(1.0, 4.0)]),
        ("from the second to the fourth second", [(1.0, 4.0)]),
        ("the 3rd second of the clip", [(2.0, 3.0)]),
        ("the 10th second and the 12th second", [(9.0, 10.0), (11.0, 12.0)]),
    ],
)
def test_ordinal_seconds_are_one_second_intervals(
    text: str, ranges: list[tuple[float, float]]
) -> None:
    use = parse_request(text).use
    assert use is not None and use.kind == "ranges" and use.ranges == ranges


@pytest.mark.parametrize(
    "text", ["cut at the 5th second", "the second scene", "end on the third shot"]
)
def test_ordinals_that_name_no_stretch(text: str) -> None:
    assert parse_request(text).use is None


def test_a_length_restating_its_stretch_asks_no_length() -> None:
    brief = parse_request(
        "Give me the 2nd through 4th seconds of the clip (three seconds of footage) in 2x "
        "slo-mo, black and white."
    )
    assert brief.use is not None and brief.use.ranges == [(1.0, 4.0)]
    assert brief.duration is None
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # said as the edit's length, a length equal to the stretches' span stays one
        ("Make a 4 s edit from 0.5 s to 2.5 s and from 5 s to 7 s of the clip", 4.0),
        ("Use 0:10-0:16 and 0:50-0:56 of the street. 12 seconds total.", 12.0),
        # a different length in brackets is the edit's
        ("use 2-5 s of the clip (a 6 s edit)", 6.0),
    ],
)
def test_a_length_said_of_the_edit_stays(text: str, target: float) -> None:
    d = parse_request(text).duration
    assert d is not None and d.target_s == target


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("5-10 s long", 5.0, 10.0),
        ("between 5 and 8 seconds", 5.0, 8.0),
        ("between 8 and 5 seconds", 5.0, 8.0),
    ],
)
def test_length_ranges_stay_lengths(text: str, low: float, high: float) -> None:
    brief = parse_request(text)
    assert brief.use is None and brief.free_text == []
    assert brief.duration is not None
    assert (brief.duration.min_s, brief.duration.max_s) == (low, high)


def test_a_range_written_forwards_is_unchanged() -> None:
    brief = parse_request("from 0:15 to 0:45")
    assert brief.use is not None and brief.use.ranges == [(15.0, 45.0)]
    assert brief.free_text == []
