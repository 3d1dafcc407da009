"""An ask for every scene keeps every scene when shorter joins make room, and says so when not.

``examples/clip.mp4`` is 10 s of four 2.5 s scenes. "A 4-second edit that uses every scene,
with 1-second crossfades" cannot have all three: four pieces two crossfades long play 5 s at
the least. The plan kept three scenes and said nothing; now the crossfades give way (0.8 s,
which the verifier still reads as about 1 s) and a note says so. Where no join length helps,
the plan keeps what fits and names how many scenes that is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.edl import EditDecisionList, Segment, compile_edl
from sandbox.runner import run_script
from tasks.brief import Brief, CheckResult, parse_request
from tasks.measure_shots import measure_shots
from tasks.plan_edit import EditPlan, plan_edit
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

EXAMPLE = Path(__file__).parents[2] / "examples" / "clip.mp4"
LENGTH = 10.0
CROSSFADES = "a 4-second edit that uses every scene, with 1-second crossfades"


@pytest.fixture(scope="module")
def shots() -> list[Shot]:
    measured = measure_shots(EXAMPLE)
    assert len({s.scene_key for s in measured}) == 4  # what the cases below are about
    return measured


def _plan(request: str, shots: list[Shot]) -> tuple[Brief, EditPlan]:
    brief = parse_request(request)
    assert brief.use is not None and brief.use.kind == "every_scene", brief
    return brief, plan_edit(brief, shots, [LENGTH])


def _scenes(plan: EditPlan, shots: list[Shot]) -> set[tuple[int, int]]:
    """The scenes the segments play some of (a piece across a cut plays both sides)."""
    return {
        shot.scene_key
        for shot in shots
        for seg in plan.edl.segments
        if min(seg.end, shot.end_s) - max(seg.start, shot.start_s) > 0.1
    }


@pytest.mark.parametrize(
    ("request_text", "joint"),
    [
        (CROSSFADES, 0.8),  # 4 pieces of 1.6 s, 3 joins of 0.8 s: 6.4 - 2.4 = 4 s
        ("a 3-second edit that uses every scene, with 1-second crossfades", 0.6),
        # Dips overlap nothing, but each is at most half its piece: 1 s pieces, 0.5 s dips.
        ("a 4-second edit that uses every scene, with 1-second dips to black", 0.5),
    ],
)
def test_joins_give_way_so_every_scene_plays(
    request_text: str, joint: float, shots: list[Shot]
) -> None:
    brief, plan = _plan(request_text, shots)
    assert len(_scenes(plan, shots)) == 4, plan.provenance
    assert plan.edl.transition_s == pytest.approx(joint)
    assert brief.duration is not None
    assert plan.expected_duration_s == pytest.approx(brief.duration.target_s, abs=0.02)
    assert len(plan.notes) == 1, plan.notes
    assert f"shortened to {joint:.2f} s so all 4 scenes fit" in plan.notes[0], plan.notes


@pytest.mark.parametrize("seconds", ["6", "8"])
def test_joins_that_leave_room_for_every_scene_stay_as_asked(
    seconds: str, shots: list[Shot]
) -> None:
    """6 s: four 2.25 s pieces. 8 s: two scenes play as one piece, their own cut kept."""
    request = f"a {seconds}-second edit that uses every scene, with 1-second crossfades"
    _, plan = _plan(request, shots)
    assert len(_scenes(plan, shots)) == 4 and plan.edl.transition_s == 1.0
    assert plan.notes == []


def test_scenes_that_cannot_fit_are_named_in_a_note(shots: list[Shot]) -> None:
    """2 s of cuts hold two pieces of 0.75 s or more: no join is there to shorten."""
    _, plan = _plan("a 2-second edit that uses every scene", shots)
    assert len(_scenes(plan, shots)) == 2
    assert plan.notes == ["every scene asked: 2 of 4 scenes fit in 2.0 s"]


def _checks(
    edl: EditDecisionList, brief: Brief, shots: list[Shot], video: Path
) -> dict[str, CheckResult]:
    out = run_script(compile_edl(edl), [EXAMPLE], video)
    assert out.ok, out.reason
    return {r.criterion.id: r for r in verify_edit(video, [EXAMPLE], brief, shots)}


def test_the_rendered_plan_shows_every_scene_and_the_verifier_agrees(
    shots: list[Shot], tmp_path: Path
) -> None:
    brief, plan = _plan(CROSSFADES, shots)
    results = _checks(plan.edl, brief, shots, tmp_path / "every.mp4")
    for name in ("use", "duration", "transitions", "transition_s"):
        assert results[name].passed, (name, results[name].measured)
    assert "4 of 4 scenes" in results["use"].measured


def test_the_verifier_fails_an_every_scene_edit_that_leaves_one_out(
    shots: list[Shot], tmp_path: Path
) -> None:
    """The plan the old planner made (scenes 1, 2 and 4) fails the ask and names the gap."""
    brief = parse_request(CROSSFADES)
    edl = EditDecisionList(
        segments=[
            Segment(start=0.5, end=2.5),
            Segment(start=3.0, end=5.0, transition="crossfade"),
            Segment(start=8.0, end=10.0, transition="crossfade"),
        ],
        transition_s=1.0,
    )
    use = _checks(edl, brief, shots, tmp_path / "three.mp4")["use"]
    assert use.passed is False
    assert "3 of 4 scenes; missing scene 3" in use.measured, use.measured
