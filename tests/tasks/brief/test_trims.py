"""Subtractive asks kept as said (tasks/brief/_trims.py): what is taken off the source."""

from __future__ import annotations

import pytest

from tasks.brief import ShotPick, SourceUse, parse_request


@pytest.mark.parametrize(
    ("text", "trim"),
    [
        ("Trim 2 seconds off the start of the clip and shave the last second too.", (2, 1)),
        ("cut 3 s off each end of the street footage", (3, 3)),
        ("take 1.5 seconds off the top, in sepia", (1.5, 0)),
        ("knock two seconds off the end please", (0, 2)),
        ("lose the first half second of the trailer", (0.5, 0)),
        ("drop the last 3 seconds and fade out", (0, 3)),
        ("Drop the intro (the first 2 seconds), keep the soundtrack", (2, 0)),
        ("skip the opening 4 s and get rid of the final two seconds", (4, 2)),
    ],
)
def test_a_length_taken_off_an_end_is_a_trim(text: str, trim: tuple[float, float]) -> None:
    brief = parse_request(text)
    assert brief.use == SourceUse(kind="trim", trim=trim)
    assert brief.duration is None  # the length taken off is no length of the edit
    assert not any("off" in t or "first" in t or "last" in t for t in brief.free_text)


@pytest.mark.parametrize(
    ("text", "use"),
    [
        # "cut the first 4 seconds" names the head as often as its removal: left as it was
        ("cut the first 4 seconds", SourceUse(kind="head", seconds=4)),
        ("use the last 3 seconds of the clip", SourceUse(kind="tail", seconds=3)),
        ("a caption 2 s from the start", None),  # a place, not a trim
        ("don't trim 2 seconds off the start", None),
    ],
)
def test_no_trim_without_a_length_taken_off(text: str, use: SourceUse | None) -> None:
    assert parse_request(text).use == use


def test_a_trim_without_a_length_stays_free_text() -> None:
    brief = parse_request("Trim the fat, drop the intro. Fade in.")
    assert brief.use is None and brief.duration is None
    assert "Trim the fat" in brief.free_text


@pytest.mark.parametrize(
    ("text", "use"),
    [
        (
            "Start 4 seconds in and play through to the end, in sepia.",
            SourceUse(kind="trim", trim=(4, 0)),
        ),
        ("From 0:05 onward only, with a fade in", SourceUse(kind="trim", trim=(5, 0))),
        ("from 0:12 to the end, black and white", SourceUse(kind="trim", trim=(12, 0))),
        ("Nothing before 0:10, please.", SourceUse(kind="trim", trim=(10, 0))),
        (
            "Nothing before 0:30 and stop at the 50-second mark.",
            SourceUse(kind="ranges", ranges=[(30, 50)]),
        ),
        ("Play it from the top up to the 6-second mark", SourceUse(kind="head", seconds=6)),
        ("Stop at 0:07, nothing after that.", SourceUse(kind="head", seconds=7)),
        ("nothing after 0:40 please", SourceUse(kind="head", seconds=40)),
    ],
)
def test_points_said_to_start_or_stop_the_source(text: str, use: SourceUse) -> None:
    brief = parse_request(text)
    assert brief.use == use
    assert brief.start_on is None and brief.end_on is None and brief.duration is None


def test_a_speed_on_what_plays_through_to_the_end_is_the_whole_edits() -> None:
    brief = parse_request("Start 4 seconds in and play through to the end at half speed.")
    assert [(s.factor, s.applies_to) for s in brief.speeds] == [(0.5, "all")]


@pytest.mark.parametrize(
    "text",
    [
        "start at 0:04 and end on the brightest shot",  # only the opening shot is placed
        "from 0:15 onwards, in sepia",
        "keep it up to 10 seconds",  # a bound, not a mark
    ],
)
def test_a_point_alone_keeps_its_reading(text: str) -> None:
    assert parse_request(text).use is None


def _scene(n: int) -> ShotPick:
    return ShotPick(kind="scene", scene=n)


@pytest.mark.parametrize(
    ("text", "skip"),
    [
        ("Everything except scene 2, with crossfades", [_scene(2)]),
        ("all but the first scene, in black and white", [ShotPick(kind="first")]),
        ("Skip the third scene and end on the last shot", [_scene(3)]),
        ("leave out the last scene please", [ShotPick(kind="last")]),
        ("cut out scene 3 and scene 4", [_scene(3), _scene(4)]),
        ("drop scenes 1 and 2", [_scene(1), _scene(2)]),
        ("without the dark scene at the end, 4:5", [ShotPick(kind="darkest")]),
        ("lose the brightest shot", [ShotPick(kind="brightest")]),
        ("omit the penultimate scene", [ShotPick(kind="scene_from_end", scene=2)]),
    ],
)
def test_scenes_left_out_are_kept_as_said(text: str, skip: list[ShotPick]) -> None:
    brief = parse_request(text)
    assert brief.use == SourceUse(kind="except", skip=skip)
    assert brief.start_on is None
    assert not any("scene" in t for t in brief.free_text)


@pytest.mark.parametrize(
    "text",
    [
        "without the music, hard cuts",
        "drop the audio and end on the brightest shot",
        "don't skip scene 2",
        "lose the boring bits",
        "skip the fades",
    ],
)
def test_nothing_left_out_without_a_scene_named(text: str) -> None:
    assert parse_request(text).use is None
