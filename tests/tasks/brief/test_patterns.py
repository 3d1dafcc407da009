"""Lengths written casually (tasks/brief/_patterns.py quantities) and numbers said with the
number sign in words ("scene no. 2")."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request
from tasks.brief.model import ShotPick


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("half a min of footage", 30.0),
        ("make it half a minute", 30.0),
        ("a quarter of a minute", 15.0),
        ("quarter of a minute, tops", 15.0),
        ("half a sec", 0.5),
        ("thirty-ish seconds", 30.0),
        ("a 20ish second teaser", 20.0),
        ("10-ish sec", 10.0),
    ],
)
def test_casual_lengths(text: str, target: float) -> None:
    d = parse_request(text).duration
    assert d is not None
    assert (d.target_s or d.max_s) == pytest.approx(target)
    assert parse_request(text).free_text == []


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # "and a half" after an abbreviated unit: the unit is in the phrase
        ("a min and a half", 90.0),
        ("two secs and a half", 2.5),
        # a share of one unit, counted
        ("three-quarters of a minute", 45.0),
        ("three quarters of a minute", 45.0),
        ("two thirds of a minute", 40.0),
        # frames at a stated rate are a length; frames alone are not
        ("ninety frames at 30fps", 3.0),
        ("120 frames at 24 frames per second", 5.0),
        ("a 90-frame edit @ 25 fps", 3.6),
    ],
)
def test_lengths_counted_in_parts_or_frames(text: str, target: float) -> None:
    d = parse_request(text).duration
    assert d is not None and d.target_s == pytest.approx(target)
    assert parse_request(text).free_text == []


@pytest.mark.parametrize("text", ["ninety frames long", "the first 90 frames", "render at 30 fps"])
def test_frames_without_their_rate_are_no_length(text: str) -> None:
    assert parse_request(text).duration is None


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        ("Four seconds, ending on scene no. 2, with dips to black between shots.", 2),
        ("end on scene nr. 3", 3),
        ("end on Scene No. 2", 2),
        ("end on scene number 2", 2),  # as before: the word and the bare "no"
        ("end on scene \u2116 5", 5),
        ("end on scene no 4", 4),
    ],
)
def test_a_scene_numbered_with_the_number_sign_in_words(text: str, scene: int) -> None:
    assert parse_request(text).end_on == ShotPick(kind="scene", scene=scene)


def test_the_number_sign_is_no_negation_and_ends_no_sentence() -> None:
    brief = parse_request("Finish on scene no. 2 with a crossfade between the shots")
    assert (brief.end_on, brief.transitions) == (ShotPick(kind="scene", scene=2), "crossfade")
    assert parse_request("no 2 s fade-in").fade_in is False  # "no" before a length negates


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # milliseconds, wherever seconds are read
        ("a 6000 ms edit", 6.0),
        ("make it 4500 milliseconds", 4.5),
        ("a 3000-ms teaser", 3.0),
        # a fraction of a unit: "1/2 minute" is thirty seconds, never "2 minute"
        ("1/2 minute of the street starting at 0:15", 30.0),
        ("make it 1/3 of a minute", 20.0),
        ("1 1/2 minutes", 90.0),
        # guards: the same lengths in words and decimals
        ("half a minute", 30.0),
        ("a quarter of a minute", 15.0),
        ("1.5 min", 90.0),
    ],
)
def test_lengths_in_milliseconds_and_fractions(text: str, target: float) -> None:
    d = parse_request(text).duration
    assert d is not None and d.target_s == pytest.approx(target)


@pytest.mark.parametrize(
    ("text", "field", "seconds"),
    [
        ("Cut it with 250 ms crossfades", "transition_s", 0.25),
        ("300 ms dips to black between the shots", "transition_s", 0.3),
        ("fading out over 500 ms", "fade_out_s", 0.5),
        ("a 500-ms fade in", "fade_in_s", 0.5),
        ("a 1/2 second crossfade", "transition_s", 0.5),
        ("a 3/4 of a second fade in", "fade_in_s", 0.75),  # no 3:4 aspect
        # "the last second" is one second, counted by its place
        ("fade it out over the last second", "fade_out_s", 1.0),
    ],
)
def test_join_and_fade_lengths_in_milliseconds_and_fractions(
    text: str, field: str, seconds: float
) -> None:
    brief = parse_request(text)
    assert getattr(brief, field) == pytest.approx(seconds)
    assert brief.aspect is None and brief.duration is None and brief.use is None


def test_the_first_second_is_a_head_of_one_second() -> None:
    use = parse_request("the first second of the clip").use
    assert use is not None and (use.kind, use.seconds) == ("head", 1.0)


@pytest.mark.parametrize(
    "text",
    [
        "end on the second-brightest shot",
        "end on the third most colourful scene",
        "close on the 2nd darkest shot",
    ],
)
def test_a_measure_ranked_below_the_top_is_no_pick(text: str) -> None:
    brief = parse_request(text)
    assert brief.end_on is None
    assert brief.free_text == [text]


@pytest.mark.parametrize(
    ("text", "pick"),
    [
        ("end on the brightest shot", ShotPick(kind="brightest")),
        ("end on the second scene", ShotPick(kind="scene", scene=2)),
        ("end on the second-to-last scene", ShotPick(kind="scene_from_end", scene=2)),
    ],
)
def test_picks_that_stay(text: str, pick: ShotPick) -> None:
    assert parse_request(text).end_on == pick
