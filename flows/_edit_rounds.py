"""The creative job's edit rounds: edit -> render -> verify, revised until the brief is met.

Each round's edit takes the job's route (``tasks.plan_route.edit_route``): the plan compiled
straight to the script, or the coder writing a script (or decision list) from the plan. Every
render is verified against the brief (a cached Prefect task keyed by ``verification_key``).
A miss goes back for another round while ``revisions`` remain: as concrete feedback in the
coder's next prompt, or, on the plan route, as a re-plan by trusted code. When the coder's
routes still miss after the last round, the compiled plan is rendered too. The best attempt
(most checks passed, then closest length) is kept.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.exceptions import SandboxError, StudioError
from flows._steps import RenderedVideo
from tasks.brief import Brief, CheckResult
from tasks.plan_edit import EditPlan
from tasks.shots import Shot

__all__ = ["Attempt", "EditRounds", "RoundInputs", "run_rounds"]


@dataclass
class Attempt:
    """One rendered and verified edit."""

    round: int
    route: str
    outcome: Any
    plan: EditPlan
    rendered: RenderedVideo
    checks: list[CheckResult]

    @property
    def passed(self) -> int:
        """Checks met."""
        return sum(1 for c in self.checks if c.passed is True)

    @property
    def total(self) -> int:
        """Checks measured (free-text asks are not)."""
        return sum(1 for c in self.checks if c.passed is not None)


@dataclass
class RoundInputs:
    """What the rounds need from the job (the flow fills it in)."""

    run: Any  # flows.creative_job.JobRun: tasks, tally, client, ref
    inputs: list[Path]
    intent: Any
    brief: Brief
    analyses: list[tuple[str, Any]]
    facts: dict[str, Any]
    shots: list[Shot]
    durations: list[float]
    route: str
    revisions: int
    max_repairs: int
    edit_prompt: str
    coder_deployment: str
    # Each source's sound (``ClipAudio``, None: not analysed) and frame rate, for beat cuts.
    audio: list[Any] = field(default_factory=list)
    fps: list[float] = field(default_factory=list)


@dataclass
class EditRounds:
    """Every attempt, the best one and the route that produced it."""

    attempts: list[Attempt] = field(default_factory=list)
    best: Attempt | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def route(self) -> str:
        """How the kept edit was made: plan, script, edl or plan-fallback."""
        return self.best.route if self.best else ""


def _length_error(brief: Brief, seconds: float) -> float:
    ask = brief.duration
    if ask is None:
        return 0.0
    if ask.target_s is not None:
        return abs(seconds - ask.target_s)
    low = ask.min_s if ask.min_s is not None else 0.0
    high = ask.max_s if ask.max_s is not None else float("inf")
    return max(low - seconds, seconds - high, 0.0)


def _feedback(checks: list[CheckResult]) -> list[str]:
    return [
        c.discrepancy or f"{c.criterion.text}: {c.measured}" for c in checks if c.passed is False
    ]


def run_rounds(job: RoundInputs, say: Callable[[str], None]) -> EditRounds:
    """Edit, render and verify up to ``1 + revisions`` times (plus the plan as a fallback)."""
    from tasks.plan_edit import plan_edit
    from tasks.plan_route import compile_plan, revise_plan

    rounds = EditRounds()
    first_plan = plan = _sound(job, plan_edit(job.brief, job.shots, job.durations))
    rounds.notes += plan.notes
    feedback: list[str] = []
    with tempfile.TemporaryDirectory(prefix="studio-rounds-") as tmp:
        for number in range(1, job.revisions + 2):
            if job.route == "plan":
                outcome: Any = compile_plan(plan)
                route = "plan"
            else:
                try:
                    outcome = _coder_edit(job, plan, feedback)
                except SandboxError as exc:
                    rounds.notes.append(f"round {number}: the coder gave no working edit ({exc})")
                    break
                route = str(outcome.mode)
            say(f"round {number}: rendering the {route} edit...")
            attempt = _render_and_verify(job, Path(tmp), number, route, outcome, plan)
            if attempt is None:
                feedback = ["the script failed to render; follow the plan exactly"]
                continue
            rounds.attempts.append(attempt)
            say(f"round {number}: {attempt.passed}/{attempt.total} checks passed")
            if attempt.passed == attempt.total:
                break
            if job.route == "plan":
                measured = attempt.rendered.duration_s
                revised = revise_plan(job.brief, job.shots, job.durations, plan, attempt.checks,
                                      measured)  # fmt: skip
                if revised is None:
                    break
                plan = _sound(job, revised)
            else:
                feedback = _feedback(attempt.checks)
        best = _best(job.brief, rounds.attempts)
        if job.route != "plan" and (best is None or best.passed < best.total):
            say("the coder's edit misses the brief: rendering the compiled plan too...")
            number = len(rounds.attempts) + 1
            fallback = _render_and_verify(
                job, Path(tmp), number, "plan-fallback", compile_plan(first_plan), first_plan
            )
            if fallback is not None:
                rounds.attempts.append(fallback)
        rounds.best = _best(job.brief, rounds.attempts)
    return rounds


def _sound(job: RoundInputs, plan: EditPlan) -> EditPlan:
    """The plan's cuts moved onto beats and out of words, as the brief asks."""
    from tasks.plan_sound import fit_to_sound

    return fit_to_sound(plan, job.brief, job.audio, job.fps, job.durations, job.shots)


def _best(brief: Brief, attempts: list[Attempt]) -> Attempt | None:
    if not attempts:
        return None
    # Most checks passed, then the closest length; on a tie the earlier attempt stays.
    return max(
        attempts,
        key=lambda a: (a.passed, -_length_error(brief, a.rendered.duration_s)),
    )


def _coder_edit(job: RoundInputs, plan: EditPlan, feedback: list[str]) -> Any:
    run = job.run
    return run.tally.run(
        run.tasks["generate_edit"],
        "generate_edit",
        intent=job.intent,
        analyses=job.analyses,
        clip_facts=job.facts,
        inputs=job.inputs,
        mode=job.route,
        max_repairs=job.max_repairs,
        prompt=job.edit_prompt,
        deployment=job.coder_deployment,
        run_ref=run.ref,
        plan=plan,
        feedback=feedback,
    ).value


def _render_and_verify(
    job: RoundInputs, tmp: Path, number: int, route: str, outcome: Any, plan: EditPlan
) -> Attempt | None:
    """Render ``outcome`` and verify it; None when a coder's script fails to render."""
    from tasks.verify_edit import verification_key

    run = job.run
    try:
        rendered: RenderedVideo = run.tally.run(
            run.tasks["render"], "render", code=outcome.code, inputs=job.inputs
        )
    except StudioError:
        if route in ("plan", "plan-fallback"):
            raise
        return None
    video = tmp / f"round-{number}.mp4"
    video.write_bytes(rendered.data)
    target = job.brief.sound.loudness_lufs if job.brief.sound else None
    if target is not None and job.brief.audio != "mute":
        from tasks.audio.normalise import normalise_loudness

        if normalise_loudness(video, target).before is not None:
            rendered = rendered.model_copy(update={"data": video.read_bytes()})
    checks = run.tally.run(
        run.tasks["verify_edit"],
        "verify_edit",
        key=verification_key(video, job.inputs, job.brief, job.shots),
        render=video,
        sources=job.inputs,
        brief=job.brief,
        shots=job.shots,
    )
    return Attempt(number, route, outcome, plan, rendered, list(checks))
