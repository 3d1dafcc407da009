"""The plan route: which route a job takes, the plan compiled, and a duration miss re-planned."""

from __future__ import annotations

import pytest

from tasks.brief import CheckResult, parse_request
from tasks.plan_edit import plan_edit
from tasks.plan_route import compile_plan, edit_route, revise_plan
from tasks.shots import Shot

SHOTS = [
    Shot(index=i + 1, start_s=2.5 * i, end_s=2.5 * (i + 1), luma=40.0 + 30 * (i % 3),
         motion=3.0 + i, colourfulness=50.0, peak_s=2.5 * i + 1.0)
    for i in range(4)
]  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "profile", "route"),
    [("auto", "embedded", "plan"), ("auto", "vllm", "script"), ("auto", "fake", "script"),
     ("edl", "embedded", "edl"), ("plan", "vllm", "plan"), ("script", "embedded", "script")],
)  # fmt: skip
def test_auto_takes_the_plan_only_on_the_embedded_tier(mode: str, profile: str, route: str) -> None:
    assert edit_route(mode, profile) == route


def test_the_plan_compiles_without_a_model() -> None:
    from sandbox.policy import check

    plan = plan_edit(parse_request("a 6 second teaser with hard cuts"), SHOTS, [10.0])
    outcome = compile_plan(plan)
    assert outcome.mode == "plan" and outcome.attempts == 0
    assert check(outcome.code) == []
    assert outcome.edl == plan.edl.model_dump()


def _duration_miss(brief_text: str, measured: float) -> list[CheckResult]:
    brief = parse_request(brief_text)
    criterion = next(c for c in brief.criteria() if c.kind == "duration")
    return [CheckResult(criterion=criterion, passed=False, measured=f"the edit is {measured} s")]


def test_a_measured_length_miss_is_planned_the_other_way() -> None:
    from sandbox.edl import expected_duration

    brief = parse_request("a 6 second teaser with hard cuts")
    plan = plan_edit(brief, SHOTS, [10.0])
    revised = revise_plan(brief, SHOTS, [10.0], plan, _duration_miss("a 6 second teaser", 6.5), 6.5)
    assert revised is not None
    # the render ran 0.5 s long: the new plan aims 0.5 s short of the arithmetic
    assert expected_duration(revised.edl, [10.0]) == pytest.approx(5.5, abs=0.05)


def test_misses_code_cannot_fix_get_no_new_plan() -> None:
    brief = parse_request("a 6 second teaser with hard cuts")
    plan = plan_edit(brief, SHOTS, [10.0])
    cut = next(c for c in brief.criteria() if c.kind == "transitions")
    missed_cut = [CheckResult(criterion=cut, passed=False, measured="2 crossfades")]
    assert revise_plan(brief, SHOTS, [10.0], plan, missed_cut, 6.0) is None
    no_length = parse_request("a teaser with hard cuts")
    assert revise_plan(no_length, SHOTS, [10.0], plan, missed_cut, 6.0) is None
