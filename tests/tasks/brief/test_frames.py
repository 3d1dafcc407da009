"""Times in frames (SMPTE timecodes, frame numbers, frame counts) at the footage's rate."""

from __future__ import annotations

import pytest

from tasks.brief import Brief, parse_request


def _ranges(brief: Brief) -> list[tuple[float, float]] | None:
    return brief.use.ranges if brief.use is not None and brief.use.kind == "ranges" else None


@pytest.mark.parametrize(
    ("text", "fps", "ranges"),
    [
        ("Frames 48-96 and frames 168-216, hard cuts", 24, [(2, 4), (7, 9)]),
        ("00:00:12:05 - 00:00:18:05 and 00:00:41:00 - 00:00:47:05", 10, [(12.5, 18.5), (41, 47.5)]),
        ("00:00:01:12 to 00:00:04:00, then frames 180-228", 24, [(1.5, 4), (7.5, 9.5)]),
        ("In point 00:00:03:12, out point 00:00:07:00", 24, [(3.5, 7)]),
        ("from frame 50 to frame 100", 25, [(2, 4)]),
        ("00:00:01:15 - 00:00:02;00", 30, [(1.5, 2)]),
        ("use 01:02;12 to 01:04;00", 24, [(62.5, 64)]),  # mm:ss;ff: the ";" says frames
    ],
)
def test_frames_are_times_at_the_footage_rate(
    text: str, fps: float, ranges: list[tuple[float, float]]
) -> None:
    brief = parse_request(text, fps)
    assert _ranges(brief) == [(float(a), float(b)) for a, b in ranges]
    assert brief.duration is None and brief.free_text == []


@pytest.mark.parametrize(
    ("text", "fps", "field", "seconds"),
    [
        ("joined by a 12-frame dissolve", 24, "transition_s", 0.5),
        ("6-frame dissolves between shots", 10, "transition_s", 0.6),
        ("a 20-frame fade-in", 10, "fade_in_s", 2.0),
        ("fade out over 25 frames", 25, "fade_out_s", 1.0),
    ],
)
def test_frame_counts_are_fade_and_join_lengths(
    text: str, fps: float, field: str, seconds: float
) -> None:
    assert getattr(parse_request(text, fps), field) == pytest.approx(seconds)


def test_frame_counts_are_lengths_heads_and_picks() -> None:
    d = parse_request("a 50-frame teaser", 25).duration
    assert d is not None and d.target_s == 2.0
    head = parse_request("the first 48 frames", 24).use
    assert head is not None and (head.kind, head.seconds) == ("head", 2.0)
    end = parse_request("end on frame 120", 24).end_on
    assert end is not None and (end.kind, end.time_s) == ("time", 5.0)


def test_ntsc_timecodes_count_frames_at_the_nominal_rate() -> None:
    # non-drop: 18000 frames at 29.97 fps are 600.6 s; drop-frame labels track the clock
    ndf = _ranges(parse_request("00:10:00:00 - 00:10:10:00", 30000 / 1001))
    df = _ranges(parse_request("00:10:00;00 - 00:10:10;00", 30000 / 1001))
    assert ndf is not None and ndf[0] == pytest.approx((600.6, 610.61), abs=1e-3)
    assert df is not None and df[0] == pytest.approx((600.0, 610.0), abs=1e-2)


@pytest.mark.parametrize(
    "text",
    [
        "In point 00:00:03:12, out point 00:00:07:00 (the clip runs at 24 fps)",
        "In point 00:00:03:12, out point 00:00:07:00, shot at 24fps",
        "In point 00:00:03:12, out point 00:00:07:00; 24 frames per second",
        "In point 00:00:03:12, out point 00:00:07:00 (frame rate of 24)",
    ],
)
@pytest.mark.parametrize("fps", [None, 10.0])
def test_a_rate_said_in_the_request_wins(text: str, fps: float | None) -> None:
    brief = parse_request(text, fps)
    assert _ranges(brief) == [(3.5, 7.0)]
    assert brief.free_text == []  # the rate is read, for no ask


def test_a_rate_asked_of_the_output_is_not_the_footage_rate() -> None:
    brief = parse_request("frames 48-96, and render it at 60 fps", 24)
    assert _ranges(brief) == [(2.0, 4.0)]
    assert brief.free_text == ["render it at 60 fps"]


@pytest.mark.parametrize(
    ("text", "free"),
    [
        ("00:00:12:05 - 00:00:18:05", "00:00:12:05 - 00:00:18:05"),
        ("frames 48-96", "frames 48-96"),
        ("a 12-frame dissolve", "a 12-frame dissolve"),
        ("a 20-frame fade-in", "a 20-frame fade-in"),
        ("start at 00:00:01:12", "start at 00:00:01:12"),
        # two different rates said: which one a frame is counted at cannot be told
        ("frames 48-96 at 24 fps, the other clip runs at 30 fps", "frames 48-96"),
    ],
)
def test_without_a_rate_frames_stay_free_text(text: str, free: str) -> None:
    brief = parse_request(text)
    assert brief.use is None and brief.duration is None and brief.start_on is None
    assert brief.transition_s is None and brief.fade_in_s is None
    assert any(free in ask for ask in brief.free_text)


def test_frames_beyond_the_rate_name_no_time() -> None:
    brief = parse_request("start at 00:00:01:30", 25)  # frame 30 of a 25 fps second
    assert brief.start_on is None and brief.free_text == ["start at 00:00:01:30"]


@pytest.mark.parametrize(
    "text",
    [
        "9:16 for the phone, 6 s",
        "a 16:9 frame, 1:1 crop",
        "framed 1:1, start at 0:15",
        "use 12:05 - 12:09",
        "00:00:12 - 00:00:18, then 00:01:02 - 00:01:08",
        "open with the brightest frame, six seconds",
        "ninety frames at 30fps",
        "render at 30 fps",
        "last frame to first, 2x",
    ],
)
@pytest.mark.parametrize("fps", [24.0, 10.0])
def test_words_that_count_no_frames_read_the_same_at_any_rate(text: str, fps: float) -> None:
    assert parse_request(text, fps) == parse_request(text)
