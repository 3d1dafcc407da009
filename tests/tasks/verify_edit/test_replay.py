"""A slow replay: the plan shows the moment and then again slowed, the verifier reads both."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.edl import EditDecisionList, compile_edl
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
