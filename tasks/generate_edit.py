"""Ask the Coder for an edit, check it, dry-run it, and repair it until it works.

Script mode: the Coder writes a MoviePy 2 script from ``prompts/generate_edit``; each
answer goes through ``sandbox.policy`` and a validate-only sandboxed run (``edit()`` is
called and three frames decoded, nothing is rendered). On failure the exact reasons plus
the MoviePy 1.x -> 2.x hints that match go back to the Coder, up to ``max_repairs`` times.

EDL mode: the Coder fills an :class:`~sandbox.edl.EditDecisionList` (schema-constrained
JSON); trusted code compiles it to a script that takes the same check and dry run. When
script mode runs out of repairs, the job falls back to EDL mode and the outcome says so.

Given a ``plan`` (``tasks.plan_edit``), the prompt carries the plan's exact segments and finish
instead of the footage notes, and ``feedback`` carries what a render missed last round. The
v2 prompts hold no example caption or other literal text a small model could copy.

The footage lines come from ``tasks._edit_facts``; the script call and its parsing live in
``tasks._edit_script``, whose public names this module re-exports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import prompts
from core.exceptions import ConfigError, ModelOutputError, SandboxError
from sandbox.edl import EditDecisionList, compile_edl
from sandbox.hints import hints_for, modernise
from sandbox.policy import check
from sandbox.runner import Limits, run_script
from tasks._edit_facts import analysis_lines, as_intent, clip_lines
from tasks._edit_script import ROLE, EditClient, EditScript, extract_code, generate_edit_script
from tasks._plan_text import plan_facts

if TYPE_CHECKING:
    from tasks.plan_edit import EditPlan

__all__ = [
    "ROLE",
    "EditOutcome",
    "EditScript",
    "extract_code",
    "generate_edit",
    "generate_edit_script",
    "prompt_versions",
]

Mode = Literal["script", "edl", "plan"]
_MAX_ERRORS = 8
_MAX_ERROR_CHARS = 300
_SCRIPT_TOKENS = 700
# Room for ~9 worst-case segments: the schema sent caps the list at what fits (a weak model
# fills a list to its bound), and a real answer stops far sooner.
_EDL_TOKENS = 1200


@dataclass
class EditOutcome:
    """The working edit and how it was reached.

    Attributes:
        code: The script that passed the policy and the dry run.
        mode: How ``code`` was produced: ``script`` (Coder code), ``edl`` (compiled from the
            Coder's list) or ``plan`` (compiled from the plan, no model).
        attempts: Model calls made, over both modes.
        fell_back_to_edl: Script mode exhausted its repairs and EDL mode produced ``code``.
        errors_by_attempt: For each attempt, the reasons it failed (empty for the last).
        prompt_version: Version of the prompt that produced ``code`` (for cache keys).
        duration_s: Duration of the clip ``edit()`` returns, from the dry run.
        width: Frame width from the dry run.
        height: Frame height from the dry run.
        edl: The decision list, when ``mode`` is ``edl``.
    """

    code: str
    mode: Mode
    attempts: int
    fell_back_to_edl: bool
    errors_by_attempt: list[list[str]]
    prompt_version: str
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    edl: dict[str, Any] | None = None
    repairs: int = field(init=False)

    def __post_init__(self) -> None:
        self.repairs = max(self.attempts - 1, 0)


def prompt_versions() -> dict[str, str]:
    """Versions of the prompts this task uses, for cache keys."""
    return {name: prompts.load(name).version for name in ("generate_edit", "generate_edl")}


@dataclass(frozen=True)
class _Repair:
    code: str
    errors: list[str]
    hints: list[str]


def _clean(errors: list[str]) -> list[str]:
    return [" ".join(e.split())[:_MAX_ERROR_CHARS] for e in errors[:_MAX_ERRORS]]


def _dry_run(code: str, inputs: list[Path], limits: Limits | None) -> tuple[list[str], Any]:
    findings = check(code)
    if findings:
        return [str(f) for f in findings], None
    result = run_script(code, inputs, None, limits=limits, validate_only=True)
    if not result.ok:
        return [f"running edit(source) failed: {result.reason}"], None
    return [], result


def generate_edit(
    client: EditClient,
    *,
    intent: Any,
    analyses: Sequence[Any],
    clip_facts: dict[str, Any],
    inputs: list[Path],
    mode: Mode = "script",
    max_repairs: int = 2,
    fallback_to_edl: bool = True,
    limits: Limits | None = None,
    plan: EditPlan | None = None,
    feedback: Sequence[str] = (),
) -> EditOutcome:
    """Produce an edit script that passes the policy and a dry run.

    Args:
        client: The inference client (its ``complete``).
        intent: A ``CreativeIntent``, a plain goal string, or None (a generic goal).
        analyses: ``FrameAnalysis`` objects (or strings), optionally as ``(label, analysis)``
            pairs, describing the footage; at most six, spread over the list, reach the prompt.
        clip_facts: Extra facts for the prompt: a dict for the first input (e.g.
            ``{"scenes": [...]}``) or ``{"clips": [dict per input]}``. Durations, sizes and
            frame rates are probed from ``inputs`` directly.
        inputs: The job's clips, in order (the script's ``source``).
        mode: ``script`` (Coder code) or ``edl`` (decision list compiled by trusted code).
        max_repairs: Repair rounds per mode after the first attempt.
        fallback_to_edl: In script mode, try EDL mode when repairs run out.
        limits: Sandbox limits for the dry runs.
        plan: The edit plan to follow: its exact segments go into the prompt (and, in EDL
            mode, its finish -- colour, fades, framing, sound -- overrides the model's).
        feedback: What the last render missed, one concrete line each.

    Returns:
        The outcome with the working code.

    Raises:
        ConfigError: Bad mode, repair count, intent or no inputs.
        SandboxError: No attempt produced a working edit (the message has the last reasons).
        TransientInferenceError: The model tier was unreachable (worth a retry upstream).
    """
    if mode not in ("script", "edl"):
        raise ConfigError(f"generate_edit mode must be 'script' or 'edl', not {mode!r}")
    if max_repairs < 0:
        raise ConfigError("max_repairs must be 0 or more")
    if not inputs:
        raise ConfigError("generate_edit needs at least one input clip")
    inputs = [Path(p) for p in inputs]
    context = {
        "intent": as_intent(intent),
        "clips": clip_lines(inputs, clip_facts),
        "analyses": analysis_lines(analyses),
        "inputs": len(inputs),
        "plan": plan_facts(plan, len(inputs)) if plan is not None else None,
        "feedback": [" ".join(str(line).split())[:_MAX_ERROR_CHARS] for line in feedback],
    }
    errors_by_attempt: list[list[str]] = []
    attempts = (context, inputs, max_repairs, limits, errors_by_attempt)
    if mode == "script":
        outcome = _repair_loop("script", _script_drafter(client), *attempts)
        if outcome is not None or not fallback_to_edl:
            if outcome is None:
                raise _exhausted("script", errors_by_attempt)
            return outcome
    outcome = _repair_loop("edl", _edl_drafter(client, plan), *attempts)
    if outcome is None:
        raise _exhausted("script and edl" if mode == "script" else "edl", errors_by_attempt)
    outcome.fell_back_to_edl = mode == "script"
    return outcome


def _exhausted(what: str, errors_by_attempt: list[list[str]]) -> SandboxError:
    last = errors_by_attempt[-1][0] if errors_by_attempt and errors_by_attempt[-1] else "?"
    error = SandboxError(
        f"no working edit after {len(errors_by_attempt)} attempt(s) in {what} mode; "
        f"last problem: {last}"
    )
    error.errors_by_attempt = errors_by_attempt  # type: ignore[attr-defined]
    return error


class _NoDraft(Exception):
    """The model's answer held no usable draft (no code, or an invalid decision list)."""


# A drafter turns (system, user) prompts into code to check, plus the EDL it came from.
_Drafter = Callable[[str, str], tuple[str, "EditDecisionList | None"]]


def _script_drafter(client: EditClient) -> _Drafter:
    """Drafts are the Coder's own MoviePy scripts, with 1.x method names renamed first.

    Small coders mostly know MoviePy 1.x; renaming ``subclip``/``set_*``/``resize`` is
    mechanical, so trusted code does it rather than spending a repair round on it.
    """

    def draft(system: str, user: str) -> tuple[str, EditDecisionList | None]:
        try:
            answer = generate_edit_script(client, system, user, max_tokens=_SCRIPT_TOKENS)
        except ModelOutputError as exc:
            raise _NoDraft(str(exc)) from exc
        return modernise(str(answer.code)), None

    return draft


def _edl_drafter(client: EditClient, plan: EditPlan | None = None) -> _Drafter:
    """Drafts are scripts compiled by us from the Coder's edit decision list.

    With a plan, the whole-edit finish is the plan's: those are the brief's asks, not choices.
    """
    finish = plan.edl.model_dump(exclude={"segments", "transition_s"}) if plan is not None else {}

    def draft(system: str, user: str) -> tuple[str, EditDecisionList | None]:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        try:
            completion = client.complete(ROLE, messages, EditDecisionList, max_tokens=_EDL_TOKENS)
            edl = completion.value
            if not isinstance(edl, EditDecisionList):
                edl = EditDecisionList.model_validate(edl)
            if finish:
                edl = EditDecisionList.model_validate({**edl.model_dump(), **finish})
            return compile_edl(edl), edl
        except (ModelOutputError, ValueError, SandboxError) as exc:
            raise _NoDraft(f"the decision list was invalid: {exc}") from exc

    return draft


def _repair_loop(
    mode: Mode,
    draft: _Drafter,
    context: dict[str, Any],
    inputs: list[Path],
    max_repairs: int,
    limits: Limits | None,
    errors_by_attempt: list[list[str]],
) -> EditOutcome | None:
    """Draft, check and dry-run up to ``max_repairs + 1`` times; the first that works wins."""
    template = prompts.load("generate_edit" if mode == "script" else "generate_edl")
    # In script mode the Coder sees its own code again, with the MoviePy 1.x -> 2.x hints
    # that match; an EDL's compiled script is ours, not the model's: only the reasons go back.
    show_code = mode == "script"
    system = template.render(role="system", **context)
    repair: _Repair | None = None
    for _ in range(max_repairs + 1):
        user = template.render(role="user", repair=repair, **context)
        try:
            code, edl = draft(system, user)
        except _NoDraft as exc:
            errors_by_attempt.append(_clean([str(exc)]))
            repair = _Repair("# (no code)" if show_code else "", errors_by_attempt[-1], [])
            continue
        errors, result = _dry_run(code, inputs, limits)
        errors_by_attempt.append(_clean(errors))
        if not errors:
            return EditOutcome(
                code=code,
                mode=mode,
                attempts=len(errors_by_attempt),
                fell_back_to_edl=False,
                errors_by_attempt=errors_by_attempt,
                prompt_version=template.version,
                duration_s=result.duration_s,
                width=result.width,
                height=result.height,
                edl=edl.model_dump() if edl is not None else None,
            )
        if show_code:
            repair = _Repair(code, errors_by_attempt[-1], hints_for(code, errors))
        else:
            repair = _Repair("", errors_by_attempt[-1], [])
    return None
