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
