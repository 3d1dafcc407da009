"""Time in a request (tasks/brief/_timing.py): spans of the source said casually."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("grab 3-6 s and 10-12 s from the video", [(3.0, 6.0), (10.0, 12.0)]),
        ("show 2-4s then 8-9s", [(2.0, 4.0), (8.0, 9.0)]),
        ("clips from 1 to 3 s and 5 to 7 s", [(1.0, 3.0), (5.0, 7.0)]),
        ("use 2 to 4 s, then 6 to 8 s", [(2.0, 4.0), (6.0, 8.0)]),
        ("lift 4-7 seconds out of my holiday video", [(4.0, 7.0)]),
        ("just 10-14s of the footage", [(10.0, 14.0)]),
    ],
)
def test_spans_of_the_source(text: str, ranges: list[tuple[float, float]]) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind == "ranges"
    assert brief.use.ranges == ranges
    assert brief.duration is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("a 4-6 s edit", 4.0, 6.0),
        ("between 4 and 6 seconds", 4.0, 6.0),
        ("from 2 to 9 s, between 4 and 6 seconds", 4.0, 6.0),
        ("4-6 s long, using 2-4 s and 6-9 s", 4.0, 6.0),
    ],
)
def test_a_span_said_to_be_the_length_stays_a_length(text: str, low: float, high: float) -> None:
    d = parse_request(text).duration
    assert d is not None and (d.min_s, d.max_s) == (low, high)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("10 seconds, tops", None, 10.0), ("8 s, minimum", 8.0, None), ("20s, max", None, 20.0)],
)
def test_a_bound_after_a_comma(text: str, low: float | None, high: float | None) -> None:
    d = parse_request(text).duration
    assert d is not None and (d.target_s, d.min_s, d.max_s) == (None, low, high)


def test_at_least_after_a_comma_is_not_a_bound_on_the_length_before_it() -> None:
    brief = parse_request("6 s, at least one shot of a face")
    assert brief.duration is not None and brief.duration.target_s == 6.0
    assert brief.duration.min_s is None


@pytest.mark.parametrize(
    ("text", "kind", "seconds"),
    [
        ("Using only the first half-minute of the footage, 12 s", "head", 30.0),
        ("the first half minute", "head", 30.0),
        ("the first half a minute of the clip", "head", 30.0),
        ("just the last half-minute", "tail", 30.0),
        ("the opening minute and a half", "head", 90.0),
    ],
)
def test_half_a_minute_is_a_length_not_a_portion(text: str, kind: str, seconds: float) -> None:
    use = parse_request(text).use
    assert use is not None and (use.kind, use.seconds) == (kind, seconds)


@pytest.mark.parametrize(
    ("text", "portion"),
    [("the first half", (0.0, 0.5)), ("only the first half of the footage", (0.0, 0.5))],
)
def test_the_first_half_is_still_a_portion(text: str, portion: tuple[float, float]) -> None:
    use = parse_request(text).use
    assert use is not None and use.kind == "portion" and use.portion == portion


@pytest.mark.parametrize(
    "text",
    [
        "use the whole trailer but make it 3x faster",
        "take the entire film at double speed",
        "using the full movie, 10 s",
        "all of the trailer, 8 s",
        "cover the whole recording",
    ],
)
def test_the_whole_source_however_named(text: str) -> None:
    use = parse_request(text).use
    assert use is not None and use.kind == "all"


@pytest.mark.parametrize(
    "text",
    [
        "Use a bit of each of the four shots, run them back to front",
        "a little of every one of the scenes",
        "2 s from each of the shots",
        "all the scenes",
    ],
)
def test_some_of_each_shot_is_every_scene(text: str) -> None:
    use = parse_request(text).use
    assert use is not None and use.kind == "every_scene"


@pytest.mark.parametrize(
    "text",
    [
        "dissolve between each of the four shots",  # where transitions go
        "each of the first two shots",  # two of them, not each
    ],
)
def test_each_of_some_shots_is_not_always_every_scene(text: str) -> None:
    use = parse_request(text).use
    assert use is None or use.kind != "every_scene"


def test_keeping_the_whole_video_under_a_length_is_a_bound() -> None:
    brief = parse_request("keep the whole video under 10 s")
    assert brief.duration is not None and brief.duration.max_s == 10.0
    assert brief.use is None


@pytest.mark.parametrize(
    "text",
    [
        "Grab the last 20 seconds of the street scene",
        "the first 5 s of the beach video",
        "the last 8 seconds of my holiday footage",
    ],
)
def test_a_head_or_tail_of_the_named_footage(text: str) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind in ("head", "tail")
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # A look of the whole edit has no length of its own: "for 6 s" is the edit's.
        ("Give me the footage in sepia for 6 seconds", 6.0),
        ("make it black and white for 6 seconds", 6.0),
        ("Play the street footage backwards for 6 seconds", 6.0),
        ("vertical for 5 s", 5.0),
        ("mute it for 6 seconds", 6.0),
        # An ask that can last a while of its own keeps its length.
        ("slow motion for 2 s", None),
        ('caption "Hi" for 2 s', None),
        ("a fade in for 2 seconds, 6 s total", 6.0),
    ],
)
def test_for_a_length_after_a_look_is_the_edits_length(text: str, target: float | None) -> None:
    duration = parse_request(text).duration
    assert (duration.target_s if duration else None) == target


@pytest.mark.parametrize(
    ("text", "bounds", "ranges"),
    [
        # A span said to be a length is the edit's bounds, whatever word leads it.
        ("anywhere from 6 to 9 seconds long", (6.0, 9.0), None),
        ("keep the running time between 6 and 8 seconds", (6.0, 8.0), None),
        ("the duration between 4 and 6 s", (4.0, 6.0), None),
        # Parts of the source stay parts.
        ("use from 2 to 5 seconds", None, [(2.0, 5.0)]),
        ("from 0:02 to 0:05 long", None, [(2.0, 5.0)]),
        # The footage named in a clause of its own, then a span: a length (holdout9 case 16).
        ("Street footage, 12\u201315 sec, straight cuts", (12.0, 15.0), None),
        ("street footage, 12-15 seconds", (12.0, 15.0), None),
        ("the street clip, 12 to 15 sec", (12.0, 15.0), None),
        ("street footage, 0:12-0:15", None, [(12.0, 15.0)]),  # timecodes: the source's
        ("use 12-15 s of the footage", None, [(12.0, 15.0)]),
    ],
)
def test_a_span_said_to_be_a_length_is_bounds(
    text: str, bounds: tuple[float, float] | None, ranges: list[tuple[float, float]] | None
) -> None:
    brief = parse_request(text)
    got = (brief.duration.min_s, brief.duration.max_s) if brief.duration else None
    assert got == bounds
    assert (brief.use.ranges if brief.use else None) == ranges


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("use the clip from the two-minute mark to 2:20", [(120.0, 140.0)]),
        ("from the 0:10 mark to the 0:25 mark, in reverse", [(10.0, 25.0)]),
        # a point said "N in" is N into the clip
        ("0:02 in to 0:06, and play it in rewind", [(2.0, 6.0)]),
        ("Lift 0:12 in to 0:20 and 0:45 in to 0:53 of the street", [(12.0, 20.0), (45.0, 53.0)]),
        ("use 3 seconds in until 6 seconds in", [(3.0, 6.0)]),
    ],
)
def test_a_range_from_a_mark(text: str, ranges: list[tuple[float, float]]) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.ranges == ranges
    assert brief.duration is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a bit from the beginning, another from the middle and one from the end, 9 s", "bme"),
        ("take shots from the start, from the middle, and from the close", "bme"),
        # places of other things, not parts drawn from the footage
        ("a title at the start, music in the middle and a fade at the end", None),
    ],
)
def test_parts_drawn_from_the_start_middle_and_end(text: str, kind: str | None) -> None:
    brief = parse_request(text)
    want = "beginning_middle_end" if kind else None
    assert (brief.use.kind if brief.use else None) == want


@pytest.mark.parametrize(
    "text",
    [
        "a little of the begin, a little of the middle and a little of the end",
        "use a bit of the beginning, a bit of the middle and a bit of the end",
        "the begin, middle and end, 10 s",
        "one clip from the start, one from the middle and one from the end",
    ],
)
def test_some_of_each_place_is_beginning_middle_end(text: str) -> None:
    use = parse_request(text).use
    assert use is not None and use.kind == "beginning_middle_end"


@pytest.mark.parametrize(
    "text", ["a title at the start, music in the middle and a fade at the end", "the middle shot"]
)
def test_things_at_each_place_use_no_part(text: str) -> None:
    assert parse_request(text).use is None
