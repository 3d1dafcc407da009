"""A slow replay: the plan shows the moment and then again slowed, the verifier reads both."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.edl import EditDecisionList, Segment, compile_edl
from sandbox.runner import run_script
from tasks.brief import Brief, DurationAsk, ShotPick, SpeedAsk
from tasks.plan_edit import plan_edit
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

MOTION = ShotPick(kind="most_motion")
# "8 secs, finish with an instant replay of the most action-packed moment at 25% speed", as
# parsed: it also ends on that shot.
BRIEF = Brief(
    duration=DurationAsk(target_s=6.0),
    audio="mute",
    end_on=MOTION,
    speeds=[SpeedAsk(factor=0.25, applies_to="best_moment", replay=True, pick=MOTION)],
)


@pytest.fixture(scope="module")
def busy(shots: list[Shot]) -> list[Shot]:
    """The source's shots with shot 3 the one with the most motion."""
    return [s.model_copy(update={"motion": 20.0 if s.index == 3 else 5.0}) for s in shots]


def _verdicts(edl: EditDecisionList, source: Path, shots: list[Shot], out: Path) -> dict[str, str]:
    done = run_script(compile_edl(edl), [source], out)
    assert done.ok, done.reason
    results = verify_edit(out, [source], BRIEF, shots)
    return {r.criterion.kind: f"{r.passed} {r.measured}" for r in results}


def test_a_planned_replay_is_read_as_a_replay_of_the_pick(
    source: Path, busy: list[Shot], tmp_path: Path
) -> None:
    plan = plan_edit(BRIEF, busy, [8.0])
    assert plan.provenance[-1].shot == 3 and plan.edl.segments[-1].speed == 0.25
    verdicts = _verdicts(plan.edl, source, busy, tmp_path / "replay.mp4")
    assert verdicts["speed"].startswith("True") and "as a replay" in verdicts["speed"], verdicts
    assert verdicts["end_on"].startswith("True"), verdicts
    assert verdicts["duration"].startswith("True"), verdicts


def test_the_slowed_moment_before_it_plays_at_speed_is_no_replay(
    source: Path, busy: list[Shot], tmp_path: Path
) -> None:
    # The same segments with the slowed one first: the moment is seen slowed, then at speed.
    edl = plan_edit(BRIEF, busy, [8.0]).edl
    assert {s.transition for s in edl.segments} == {"cut"}  # so any order joins alike
    moved = [edl.segments[-1], *edl.segments[:-1]]
    verdicts = _verdicts(
        edl.model_copy(update={"segments": moved}), source, busy, tmp_path / "first.mp4"
    )
    assert verdicts["speed"].startswith("False"), verdicts
    assert "plays at 0.25x as a replay" in verdicts["speed"], verdicts


def test_an_asked_replay_is_no_shot_out_of_order(
    source: Path, shots: list[Shot], tmp_path: Path
) -> None:
    # "Shots last to first, then a half-speed replay of the one it opens on": 4, 3, 2, 1, 4.
    brief = Brief(
        order="reverse",
        speeds=[
            SpeedAsk(factor=0.5, applies_to="best_moment", replay=True, pick=ShotPick(kind="last"))
        ],
    )
    pieces = [(6.6, 7.4, 1.0), (4.6, 5.4, 1.0), (2.6, 3.4, 1.0), (0.6, 1.4, 1.0), (6.8, 7.2, 0.5)]
    edl = EditDecisionList(
        segments=[Segment(start=a, end=b, speed=v) for a, b, v in pieces], audio="mute"
    )
    video = tmp_path / "reversed.mp4"
    assert run_script(compile_edl(edl), [source], video).ok
    results = {r.criterion.kind: r for r in verify_edit(video, [source], brief, shots)}
    assert results["order"].passed is True, results["order"].measured
    assert "replay" in results["order"].measured, results["order"].measured
    # Not asked as a replay, the shot again is out of order.
    plain = brief.model_copy(update={"speeds": []})
    results = {r.criterion.kind: r for r in verify_edit(video, [source], plain, shots)}
    assert results["order"].passed is False, results["order"].measured
