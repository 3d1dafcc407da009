"""The creative job's first step: the request's intent and its brief (the checklist)."""

from __future__ import annotations

from typing import Any

from flows._progress import say
from flows.spec import JobSpec
from tasks.understand_intent import Understanding

__all__ = ["understand_request"]


def understand_request(spec: JobSpec, run: Any) -> Understanding:
    """The understanding of ``spec.request``: from the model and the parse, or the parse alone.

    Without the ``understand_intent`` step no model is asked, and the brief is the
    deterministic parse of the request's own words.
    """
    from tasks import understand_intent as intent_step
    from tasks.brief import parse_request

    if "understand_intent" not in spec.steps:
        return Understanding(brief=parse_request(spec.request))
    say("understanding the request...")
    understanding: Understanding = run.tally.run(
        run.tasks["understand_intent"],
        "understand_intent",
        request=spec.request,
        prompt=intent_step.prompt_version(),
        deployment=run.client.deployment_id(intent_step.ROLE),
        run_ref=run.ref,
    ).value
    understanding = intent_step.settle(understanding, spec.request)
    goal = understanding.intent.goal if understanding.intent else "-"
    checkable = [c for c in understanding.brief.criteria() if c.checkable]
    say(f"intent: {goal}")
    say(f"brief: {len(checkable)} checkable criteria: " + "; ".join(c.text for c in checkable))
    for note in understanding.notes:
        say(f"brief: {note}")
    return understanding
