"""Speeds (tasks/brief/_speeds.py): a count of times said of the normal speed or after a
speed word, and a replay's speed said as an aside."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("speed up the intro to four times its normal speed", 4.0),
        ("the shots should run at three times their usual speed", 3.0),
        ("sped up four times", 4.0),
        ("speed the street up 3 times", 3.0),
        ("slow it down four times", 0.25),
    ],
)
def test_a_count_of_times_is_the_factor(text: str, factor: float) -> None:
    assert [s.factor for s in parse_request(text).speeds] == [pytest.approx(factor)]


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        # a count of plays, not a speed
        ("sped up, and shown three times", 2.0),
        # "three times faster" is read as a whole, once
        ("speed it up three times faster", 3.0),
    ],
)
def test_a_count_of_times_not_said_of_the_speed(text: str, factor: float) -> None:
    assert [s.factor for s in parse_request(text).speeds] == [pytest.approx(factor)]


def test_the_speed_it_is_a_multiple_of_is_no_ask() -> None:
    speeds = parse_request("Shot 3 at three times its normal speed, the rest as they are").speeds
    assert [(s.factor, s.applies_to) for s in speeds] == [(3.0, "part")]


def test_a_replays_speed_said_as_an_aside() -> None:
    speeds = parse_request(
        "Add a slow-mo replay of the brightest shot, at 25% speed, after the last scene."
    ).speeds
    assert [(s.factor, s.replay, s.pick and s.pick.kind) for s in speeds] == [
        (0.25, True, "brightest")
    ]


@pytest.mark.parametrize(
    ("text", "factor", "pick"),
    [
        (
            "Keep the sound, and tag an instant replay of the busiest moment onto the end, "
            "slowed to 50%.",
            0.5,
            "most_motion",
        ),
        ("add a replay of the brightest shot at the end, at half speed", 0.5, "brightest"),
        ("then an action replay of the darkest moment, slowed down to 25%", 0.25, "darkest"),
    ],
)
def test_a_replays_speed_said_in_the_clause_after_it(text: str, factor: float, pick: str) -> None:
    speeds = parse_request(text).speeds
    assert [(s.factor, s.applies_to, s.replay, s.pick and s.pick.kind) for s in speeds] == [
        (factor, "best_moment", True, pick)
    ]


@pytest.mark.parametrize(
    ("text", "factors"),
    [
        # a speed said once the replay has its own is the whole edit's
        ("a slow-motion replay of the calmest shot, at 2x", [0.5, 2.0]),
        # a clause between them: the speed is the whole edit's
        ("a replay of the best moment, 8 s, at 2x", [2.0]),
        # a clause of its own that names another part is a second ask
        ("slow motion on the first scene, the rest at 50%", [0.5, 0.5]),
        # directions that disagree stay two asks
        ("a slow-motion replay of the calmest shot, at 2x", [0.5, 2.0]),
        # a sentence between them ends the first ask
        ("Play the end in slow motion. At 50% speed, the intro.", [0.5, 0.5]),
    ],
)
def test_a_speed_that_is_no_aside(text: str, factors: list[float]) -> None:
    assert [s.factor for s in parse_request(text).speeds] == factors


@pytest.mark.parametrize(
    ("text", "factor", "scene"),
    [
        ("Put in slow the second scene, at half of the velocity", 0.5, 2),
        ("put the third scene in slow", 0.5, 3),
        ("put in slow scene 2", 0.5, 2),
        ("scene 1 at a quarter of the velocity", 0.25, 1),
        ("scene 4 at twice the velocity", 2.0, 4),
    ],
)
def test_put_in_slow_and_velocity(text: str, factor: float, scene: int) -> None:
    speeds = parse_request(text).speeds
    assert [(s.factor, s.pick and s.pick.scene) for s in speeds] == [(factor, scene)]


@pytest.mark.parametrize("text", ["put in some music", "fade in slowly", "put in a slow fade"])
def test_in_slow_said_of_something_else_is_no_speed(text: str) -> None:
    assert parse_request(text).speeds == []


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        # Said to follow one another, the times are repetitions of the speed-up, not its
        # factor: the speed word alone is read, and the count stays free text for the model.
        ("Speed it up three times in a row.", 2.0),
        ("speed it up 3 times back to back", 2.0),
        ("slow it down four times in succession", 0.5),
        # Guards: a count right after the speed word alone is its factor, as a careful reader
        # of an edit's request takes "speed it up three times" (3x, not three speed-ups).
        ("Speed it up three times.", 3.0),
        ("sped up four times, 8 s", 4.0),
    ],
)
def test_times_in_a_row_count_repetitions_not_the_factor(text: str, factor: float) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] == [factor]
    assert bool(brief.free_text) == (factor in (2.0, 0.5))


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        # the speed a speed word goes to, said after it, is its factor
        ("First 6000 ms of the trailer slowed to 75%, 250 ms crossfades", 0.75),
        ("slow it down to 0.5", 0.5),
        ("sped up to 150%", 1.5),
        ("speed it up to 2x", 2.0),
        # a bare factor said after playing
        ("Play everything at 0.75, no longer than 7 s", 0.75),
        ("run it at 1.5", 1.5),
        # guards: percentages and factors read before
        ("play the clip at 150%", 1.5),
        ("at 200%", 2.0),
        ("play it at 100%", 1.0),
        ("2x", 2.0),
        ("0.5x", 0.5),
        ("half speed", 0.5),
        ("play at 50% speed", 0.5),
    ],
)
def test_a_speed_said_as_a_number_after_its_verb(text: str, factor: float) -> None:
    speeds = parse_request(text).speeds
    assert [(s.factor, s.applies_to) for s in speeds] == [(factor, "all")]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("slow it down to 5 seconds", 5.0),  # a length, after the speed word
        ("play it at 2 s", None),  # a point of the source
        ("play it at 0:15", None),
    ],
)
def test_a_number_with_a_unit_after_a_speed_word_is_no_factor(
    text: str, target: float | None
) -> None:
    brief = parse_request(text)
    assert [s.factor for s in brief.speeds] in ([], [0.5])
    assert (brief.duration.target_s if brief.duration else None) == target


@pytest.mark.parametrize(
    "text", ["100% of the clip", 'captioned "The Final 25%"', "Use 100% of the clip"]
)
def test_a_percentage_that_is_no_speed(text: str) -> None:
    assert parse_request(text).speeds == []


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        # a bare share set beside a speed word is its speed
        ("Overcranked look, 50%, 8 s", 0.5),
        ("slow motion: 40%", 0.4),
        ("slow-mo, 25%, and sepia", 0.25),
        ("undercranked to 4x", 4.0),
        ("an over-cranked feel", 0.5),
        # a share of something else is no speed
        ("slow motion, 50% of the clip", 0.5),
        ("slow-mo, 75% of its length", 0.5),
        ("slow it down, the middle 40%", 0.5),
    ],
)
def test_a_share_beside_a_speed_word(text: str, factor: float) -> None:
    assert [s.factor for s in parse_request(text).speeds] == [factor]


def test_the_rest_at_100_percent_adds_no_speed() -> None:
    speeds = parse_request("scene 2 at 150%, the rest at 100%").speeds
    assert [(s.factor, s.applies_to) for s in speeds] == [(1.5, "part")]
