"""Shots placed at an end (tasks/brief/_picks.py): ends named as what is seen, a person seen
there, and a replay as the thing an end verb places."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "key", "kind"),
    [
        ("the last thing on screen should be someone's face", "end_on", "faces"),
        ("the last thing we see is a person", "end_on", "faces"),
        ("the final image should be a face", "end_on", "faces"),
        ("end with a close-up of a face", "end_on", "faces"),
        ("finish on someone", "end_on", "faces"),
        ("the very last frame we see should be the darkest", "end_on", "darkest"),
        ("the first thing on screen should be the brightest shot", "start_on", "brightest"),
        ("the first picture you see must be a face", "start_on", "faces"),
    ],
)
def test_an_end_named_as_what_is_seen_places_its_pick(text: str, key: str, kind: str) -> None:
    brief = parse_request(text)
    pick = getattr(brief, key)
    assert pick is not None and pick.kind == kind
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "the last thing I want is someone's face",
        "the last shot is 5 seconds long",
        "the first thing is to make it 10 s",
        "the last thing on screen should be the title",
        "a slow zoom on the person in the last scene",
    ],
)
def test_an_end_not_said_to_be_a_pick_places_nothing(text: str) -> None:
    brief = parse_request(text)
    assert brief.start_on is None and brief.end_on is None


@pytest.mark.parametrize(
    "text",
    [
        "finish with an instant replay of the most action-packed moment at 25% speed",
        "end with a half-speed replay of the busiest moment",
        "end on the most action-packed moment replayed at half speed",
    ],
)
def test_an_end_that_is_a_replay_is_the_replay_s_pick(text: str) -> None:
    # The replay goes last and holds the pick; an end pick as well would ask the same shot
    # twice, once as the replay and once plain.
    brief = parse_request(text)
    assert brief.end_on is None
    assert [(s.replay, s.pick.kind if s.pick else None) for s in brief.speeds] == [
        (True, "most_motion")
    ]
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "end on the busiest moment at 2x speed",
        "end on the brightest shot and replay the busiest moment at half speed",
    ],
)
def test_an_end_beside_a_speed_or_replay_is_still_placed(text: str) -> None:
    assert parse_request(text).end_on is not None


@pytest.mark.parametrize(
    ("text", "key", "kind"),
    [
        ("open on the establishing shot (i.e. the first shot), 6 s", "start_on", "first"),
        ("end on the reveal (that is, the darkest scene)", "end_on", "darkest"),
        ("start with the hero shot (meaning the brightest one)", "start_on", "brightest"),
    ],
)
def test_a_shot_glossed_in_brackets_is_the_gloss_s_pick(text: str, key: str, kind: str) -> None:
    pick = getattr(parse_request(text), key)
    assert pick is not None and pick.kind == kind


def test_a_bracket_that_is_no_gloss_places_no_pick() -> None:
    brief = parse_request("open on the establishing shot (we shot it first), 6 s")
    assert brief.start_on is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("**Start:** the brightest scene\n**End:** the darkest scene", "brightest", "darkest"),
        ("* Start: scene 2; End: the final scene", "scene", "last"),
        ("Opening: a face\nEnding: the busiest shot", "faces", "most_motion"),
    ],
)
def test_an_end_as_a_labelled_field_places_its_pick(text: str, start: str, end: str) -> None:
    brief = parse_request(text)
    assert brief.start_on is not None and brief.start_on.kind == start
    assert brief.end_on is not None and brief.end_on.kind == end


def test_a_labelled_end_without_a_shot_places_none() -> None:
    brief = parse_request("Ending: fade to black over 1.5 sec")
    assert brief.end_on is None and brief.fade_out_s == 1.5


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("go out on the brightest shot", "brightest"),
        ("and we go out with a face", "faces"),
        ("landing on the stillest moment", "least_motion"),
        ("land on the final scene", "last"),
        ("land it on scene 3", "scene"),
        ("button it on a face", "faces"),
        ("bow out on the darkest shot", "darkest"),
        ("sign off on the busiest moment", "most_motion"),
    ],
)
def test_an_editors_idiom_for_the_last_shot_places_an_end_pick(text: str, kind: str) -> None:
    brief = parse_request(text)
    assert brief.end_on is not None and brief.end_on.kind == kind
    assert brief.start_on is None and brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "cuts land on the beat",
        "every cut landing on the brightest shot",
        "the cuts should land on the brightest shot",
        "don't go out on the darkest shot",
    ],
)
def test_cuts_that_land_or_a_refused_idiom_place_no_end(text: str) -> None:
    assert parse_request(text).end_on is None
