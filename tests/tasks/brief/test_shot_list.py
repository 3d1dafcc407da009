"""Shot lists and EDLs (tasks/brief/_shot_list.py): rows place the ends, a row's speed is its
shot's, and a row's length is never the edit's."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request

_SHOTS = (
    "Shot 1: scene 3, 2 s.\nShot 2: scene 1, 1 s of it slowed to half speed.\nShot 3: scene 4, 2 s."
)
_NUMBERED = (
    "Shot list:\n1. Scene 2 -- 1.5 s\n2) the darkest scene -- 2 s at 0.5x\n3. Scene 1 -- 1 s"
)
_EDL = (
    "EDL\n001  00:00:20-00:00:24  normal speed\n002  00:00:40-00:00:42  slowed to half speed\n"
    "003  00:01:00-00:01:04  normal speed"
)


@pytest.mark.parametrize(
    ("text", "start", "end", "speed_pick"),
    [
        (_SHOTS + "\nTotal: 6 s.", ("scene", 3), ("scene", 4), ("scene", 1)),
        (_NUMBERED + "\nRunning time: 5 s.", ("scene", 2), ("scene", 1), ("darkest", None)),
    ],
)
def test_a_shot_list_places_its_ends_and_its_rows_speeds(
    text: str,
    start: tuple[str, int | None],
    end: tuple[str, int | None],
    speed_pick: tuple[str, int | None],
) -> None:
    brief = parse_request(text)
    assert brief.start_on is not None and (brief.start_on.kind, brief.start_on.scene) == start
    assert brief.end_on is not None and (brief.end_on.kind, brief.end_on.scene) == end
    [speed] = brief.speeds
    assert speed.applies_to == "part" and speed.pick is not None
    assert (speed.pick.kind, speed.pick.scene) == speed_pick
    assert brief.duration is not None and brief.duration.target_s in (6.0, 5.0)


def test_an_edl_rows_speed_is_at_its_source_time() -> None:
    brief = parse_request(_EDL + "\nTotal about 11 s.")
    [speed] = brief.speeds
    assert speed.factor == 0.5 and speed.applies_to == "part"
    assert speed.pick is not None and speed.pick.time_s == 40.0
    assert brief.start_on is None and brief.end_on is None  # a source span places no end
    assert brief.use is not None and brief.use.ranges == [(20.0, 24.0), (40.0, 42.0), (60.0, 64.0)]
    assert brief.duration is not None and brief.duration.target_s == 11.0


@pytest.mark.parametrize("text", [_SHOTS, _NUMBERED])
def test_a_rows_length_is_not_the_edits(text: str) -> None:
    assert parse_request(text).duration is None


@pytest.mark.parametrize(
    "text",
    [
        # numbered lists of instructions, not of shots
        "1) cut it to 5-7s\n2) mute the soundtrack completely\n3) shots in reverse order",
        "1. Take 0:20 to 0:40 of the street footage.\n2. Play it at twice the normal speed.",
        # a single row is no list
        "Shot 1: scene 3, 2 s.",
        # rows on one line are not a list's
        "Use scene 2. 1. Scene 4 for 2 s",
    ],
)
def test_other_lists_are_no_shot_list(text: str) -> None:
    brief = parse_request(text)
    assert brief.start_on is None and brief.end_on is None
