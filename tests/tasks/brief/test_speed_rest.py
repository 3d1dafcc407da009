"""Real time for "everything else" beside a part's speed is no speed ask of its own."""

from __future__ import annotations

import pytest

from tasks.brief import SpeedAsk, parse_request


@pytest.mark.parametrize(
    ("text", "factor", "applies_to"),
    [
        (
            "Play the shot with the least movement in it at half speed, keep everything else "
            "at normal speed",
            0.5,
            "part",
        ),
        ("the end at 2x, the rest in real time", 2.0, "part"),
        (
            "normal speed throughout, but a slow motion replay of the best moment",
            0.5,
            "best_moment",
        ),
        ("keep it at normal speed, just speed up the ending", 2.0, "part"),
    ],
)
def test_the_rest_at_real_time_leaves_the_part_alone(
    text: str, factor: float, applies_to: str
) -> None:
    (ask,) = parse_request(text).speeds
    assert (ask.factor, ask.applies_to) == (factor, applies_to)
    assert parse_request(text).free_text == []


@pytest.mark.parametrize(
    ("text", "speeds"),
    [
        ("normal speed", [SpeedAsk(factor=1.0)]),
        ("no slow motion", [SpeedAsk(factor=1.0)]),
        ("keep it in real time, 8 s", [SpeedAsk(factor=1.0)]),
        # a whole-edit speed other than real time stays beside the part's
        ("2x speed overall, and the end at half speed",
         [SpeedAsk(factor=2.0), SpeedAsk(factor=0.5, applies_to="part")]),
    ],
)  # fmt: skip
def test_a_whole_edit_speed_alone_or_not_real_time_stays(text: str, speeds: list[SpeedAsk]) -> None:
    assert parse_request(text).speeds == speeds


@pytest.mark.parametrize(
    "text",
    [
        "Slow scene 2 down to half speed, the other scenes they stay normal.",
        "Put in slow the second scene, at half of the velocity, the other scenes they stay normal.",
        "Scene 2 at half speed, the rest stays normal.",
        "Speed up the ending 2x, everything else unchanged.",
        "Scene 3 at 2x, the others as they are.",
        "slow down just the shot with a face in it to half speed (everything else at normal pace)",
        # guard: read right already
        "Scene 2 at half speed, everything else at normal speed.",
    ],
)
def test_the_rest_said_to_stay_as_it_is_beside_a_part_is_no_ask(text: str) -> None:
    """Without the word "speed" too: no real-time ask that would undo the part, no free text."""
    brief = parse_request(text)
    assert [(s.factor == 1.0, s.applies_to) for s in brief.speeds] == [(False, "part")]
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text", ["The rest stays normal.", "Sepia on the first shot, the rest unchanged."]
)
def test_the_rest_as_it_is_without_a_parts_speed_is_no_speed(text: str) -> None:
    """Alone, or beside another kind of ask, the words may say anything: the model reads them."""
    brief = parse_request(text)
    assert brief.speeds == []
    assert any("the rest" in t.lower() for t in brief.free_text)


@pytest.mark.parametrize(
    "text",
    [
        "Keep the first half of the street footage as it is and speed up the rest.",
        "leave the opening third untouched, slow down everything else",
    ],
)
def test_the_rest_changed_by_no_factor_holds_no_speed_and_no_portion(text: str) -> None:
    brief = parse_request(text)
    assert brief.speeds == [] and brief.use is None
    assert any("rest" in t or "else" in t for t in brief.free_text)


def test_the_rest_at_a_factor_said_is_still_read() -> None:
    assert [s.factor for s in parse_request("speed up the rest to 2x").speeds] == [2.0]
