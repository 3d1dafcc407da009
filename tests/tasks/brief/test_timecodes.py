"""Clock times in a request (hh:mm:ss, m:ss, .ms) are times of the source (frames: test_frames)."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("00:00:12 - 00:00:18, then 00:01:02 - 00:01:08, straight cuts", [(12, 18), (62, 68)]),
        ("use 00:00:02 - 00:00:06 and 00:00:07 - 00:00:09 only", [(2, 6), (7, 9)]),
        ("0:00:01 to 0:00:07 @ x1.5, keep sound", [(1, 7)]),
        ("01:00:00 - 01:00:30", [(3600, 3630)]),
        ("take 00:00:01.5 - 00:00:03.25", [(1.5, 3.25)]),
        # zero-padded seconds are clock times, never an aspect ratio ("1:01" is not 1:1)
        ("01:01:05 - 01:01:09", [(3665, 3669)]),
        ("use 1:01 - 1:05", [(61, 65)]),
        ("grab 4:03 to 4:09", [(243, 249)]),
    ],
)
def test_timecode_spans_are_parts_of_the_source(
    text: str, ranges: list[tuple[float, float]]
) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind == "ranges"
    assert brief.use.ranges == [(float(a), float(b)) for a, b in ranges]
    assert brief.duration is None and brief.aspect is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("start at 00:00:05", 5.0), ("open on 00:01:30", 90.0), ("start at 1:01", 61.0)],
)
def test_a_timecode_is_a_point_of_the_source(text: str, seconds: float) -> None:
    brief = parse_request(text)
    assert brief.start_on is not None and brief.start_on.time_s == seconds
    assert brief.duration is None and brief.aspect is None


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("9:16 for the phone", "9:16"),
        ("mute, 4:5 for ig", "4:5"),
        ("crop to 4:3", "4:3"),
        ("1:1 please", "1:1"),
        ("16:10 widescreen", "16:10"),
        ("9:16, use 0:02 - 0:05", "9:16"),
    ],
)
def test_ratios_stay_aspects(text: str, aspect: str) -> None:
    assert parse_request(text).aspect == aspect
