"""The creative job's first step: the request's intent and its brief (the checklist)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flows._progress import say
from flows.spec import JobSpec
from tasks.understand_intent import Understanding

__all__ = ["footage_fps", "understand_request"]


def understand_request(spec: JobSpec, run: Any) -> Understanding:
    """The understanding of ``spec.request``: from the model and the parse, or the parse alone.

    Without the ``understand_intent`` step no model is asked, and the brief is the
    deterministic parse of the request's own words. Frames in the request ("frames 48-96",
    "00:00:03:12") are timed at the footage's rate (see ``footage_fps``).
    """
    from tasks import understand_intent as intent_step
    from tasks.brief import parse_request

    fps = footage_fps(spec.footage)
    if "understand_intent" not in spec.steps:
        return Understanding(brief=parse_request(spec.request, fps))
    say("understanding the request...")
    understanding: Understanding = run.tally.run(
        run.tasks["understand_intent"],
        "understand_intent",
        request=spec.request,
        prompt=intent_step.prompt_version(),
        deployment=run.client.deployment_id(intent_step.ROLE),
        run_ref=run.ref,
    ).value
    # The rate is applied here, outside the cached step (keyed on the request alone).
    understanding = intent_step.settle(understanding, spec.request, fps)
    goal = understanding.intent.goal if understanding.intent else "-"
    checkable = [c for c in understanding.brief.criteria() if c.checkable]
    say(f"intent: {goal}")
    say(f"brief: {len(checkable)} checkable criteria: " + "; ".join(c.text for c in checkable))
    for note in understanding.notes:
        say(f"brief: {note}")
    return understanding


def footage_fps(footage: Sequence[Path]) -> float | None:
    """The frame rate frames asked of the footage are counted at, from the clips' headers.

    Clips of different rates leave none (a frame of which clip?), and so does a clip whose
    header declares no rate: the request's frames are then reported, never guessed, unless
    the request states its rate.
    """
    from tasks.probe import declared_fps

    rates = [declared_fps(clip) for clip in footage]
    first = rates[0] if rates else None
    # one rate read from two containers may differ in its last digits (24000/1001, 23.976)
    if first is None or any(r is None or abs(r - first) > 1e-3 for r in rates):
        return None
    return first
