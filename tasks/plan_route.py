"""The plan route: the plan compiled straight to the edit script, and re-planned on a miss.

On the weakest tier a model writing the script only adds ways to miss the brief, so the plan
(exact numbers from trusted code) compiles straight to the EDL script. When a render still
misses a number (a render may run a frame or two off its arithmetic), trusted code re-plans
with the measured error rather than asking a model.
"""

from __future__ import annotations

from typing import Literal

from sandbox.edl import compile_edl
from tasks.brief import Brief, CheckResult
from tasks.generate_edit import EditOutcome
from tasks.plan_edit import EditPlan, PlanChoices, length_bounds, plan_edit
from tasks.shots import Shot

__all__ = ["EditRoute", "compile_plan", "edit_route", "revise_plan"]

EditRoute = Literal["plan", "script", "edl"]

# Routing profiles whose coder is too small to beat the compiled plan.
_PLAN_PROFILES = frozenset({"embedded"})


def edit_route(mode: str, profile: str) -> EditRoute:
    """The route a job's edit takes: ``auto`` is the plan on the embedded tier, else script."""
    if mode == "auto":
        return "plan" if profile in _PLAN_PROFILES else "script"
    if mode not in ("plan", "script", "edl"):
        raise ValueError(f"unknown edit mode {mode!r}")
    return mode  # type: ignore[return-value]


def compile_plan(plan: EditPlan) -> EditOutcome:
    """The plan's decision list as an edit script (trusted code; no model call)."""
    edl = plan.to_edl()
    return EditOutcome(
        code=compile_edl(edl),
        mode="plan",
        attempts=0,
        fell_back_to_edl=False,
        errors_by_attempt=[],
        prompt_version="",
        duration_s=plan.expected_duration_s,
        edl=edl.model_dump(),
    )


def revise_plan(
    brief: Brief,
    shots: list[Shot],
    source_durations: list[float],
    plan: EditPlan,
    checks: list[CheckResult],
    measured_s: float,
    choices: PlanChoices | None = None,
) -> EditPlan | None:
    """A new plan that corrects a measured duration miss, or None when code cannot fix it.

    Only the length is mechanical: the render ran ``measured_s`` where the brief asked for
    another length, so the plan aims that much the other way. Other misses (a shot the
    source lacks, text found in the picture) would only repeat: no new plan for them.
    """
    missed = {c.criterion.kind for c in checks if c.passed is False}
    ask = brief.duration
    if "duration" not in missed or ask is None:
        return None
    low, high = length_bounds(ask)
    aim = min(max(ask.target_s if ask.target_s is not None else measured_s, low), high)
    if ask.target_s is None and aim == measured_s:
        return None
    corrected = plan.target_s + (aim - measured_s)
    if corrected <= 0.1 or abs(corrected - plan.target_s) < 1e-3:
        return None
    adjusted = brief.model_copy(
        update={"duration": ask.model_copy(update={"target_s": corrected, "min_s": None,
                                                   "max_s": None})}
    )  # fmt: skip
    revised = plan_edit(adjusted, shots, source_durations, choices)
    return None if revised.edl == plan.edl else revised
