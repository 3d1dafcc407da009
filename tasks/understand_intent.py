"""Understand a creative request: its intent, and the brief every render is checked against.

``understand`` asks the reasoning role (``prompts/understand_intent`` v2) for the intent and a
proposed brief in one JSON answer; a deterministic parse of the request's own words
cross-checks the proposal (``tasks.brief.merge``): where they disagree the request wins and
the disagreement is noted. ``understand_intent`` is the intent alone (the v1 prompt).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from core.exceptions import ConfigError
from tasks.brief import BRIEF_SCHEMA, Brief, brief_from_model, merge, parse_request

if TYPE_CHECKING:
    from inference.client import InferenceClient
    from inference.routing import Deployment

__all__ = [
    "PROMPT_NAME",
    "ROLE",
    "CreativeIntent",
    "Understanding",
    "settle",
    "understand",
    "understand_intent",
]

PROMPT_NAME = "understand_intent"
ROLE = "reasoning"

# Long briefs only add latency on the CPU tier; the first few thousand characters carry
# the intent.
_MAX_REQUEST_CHARS = 4000
_MAX_TOKENS = 256
# The v2 answer carries a small brief too.
_BRIEF_TOKENS = 448
# ``understand_intent`` keeps the intent-only prompt its callers were written against.
_INTENT_ONLY_VERSION = 1


class CreativeIntent(BaseModel):
    """What a creative request asks for, in a shape the rest of the job can plan against."""

    model_config = ConfigDict(extra="ignore")

    goal: str = Field(description="One sentence: what the edit must achieve.")
    style_and_mood: str = Field(description="Visual style, pacing and emotional tone wanted.")
    target_audience: str = Field(description="Who the result is for.")
    success_criteria: list[str] = Field(
        default_factory=list, description="Checkable statements a good result satisfies."
    )
    technical_challenges: list[str] = Field(
        default_factory=list, description="What makes this edit hard to do well."
    )


class _Answer(CreativeIntent):
    """The v2 answer: the intent plus a proposed brief (read leniently by ``brief_from_model``)."""

    # Any: a small model's odd brief (a string, a list) must not fail the intent with it.
    brief: Any = Field(
        default=None,
        description="What the request asks for, as checkable values.",
        json_schema_extra=BRIEF_SCHEMA,
    )


class Understanding(BaseModel):
    """The intent, the brief to plan and verify against, and how the two sources disagreed."""

    model_config = ConfigDict(frozen=True)

    intent: CreativeIntent | None = Field(default=None, description="None when not asked.")
    brief: Brief
    notes: list[str] = Field(default_factory=list)
    proposed: Brief | None = Field(
        default=None, description="The model's own brief, before the request's words ruled."
    )


def settle(understanding: Understanding, request: str, fps: float | None = None) -> Understanding:
    """The brief again from the request and the model's proposal, with today's parser.

    The model's answer is cached; the parse and the merge are cheap and deterministic, so
    they are redone on every run rather than trusted from a cache written by older code.
    The footage's frame rate ``fps`` (frames in the request are times at it) is applied
    here, outside the cache, whose key holds the request only.
    """
    parsed = parse_request(request, fps)
    brief, notes = merge(parsed, understanding.proposed, request=request, fps=fps)
    return understanding.model_copy(update={"brief": brief, "notes": notes})


def understand(
    client: InferenceClient, request: str, *, max_tokens: int = _BRIEF_TOKENS
) -> Understanding:
    """The intent and the brief of ``request``: the model proposes, the request's words win.

    Raises:
        ConfigError: The request is empty.
        InferenceError: The model call failed (``TransientInferenceError`` is retryable).
    """
    answer = _ask(client, request, _Answer, max_tokens, version=None)
    assert isinstance(answer, _Answer)
    proposed = brief_from_model(answer.brief) if answer.brief is not None else None
    brief, notes = merge(parse_request(request), proposed, request=request)
    intent = CreativeIntent.model_validate(answer.model_dump(exclude={"brief"}))
    return Understanding(intent=intent, brief=brief, notes=notes, proposed=proposed)


def understand_intent(
    client: InferenceClient, request: str, *, max_tokens: int = _MAX_TOKENS
) -> CreativeIntent:
    """Ask the reasoning role what the request wants.

    Args:
        client: The inference client.
        request: The creative brief (whitespace collapsed, cut to a few thousand characters).
        max_tokens: Cap on the answer's tokens.

    Returns:
        The validated intent.

    Raises:
        ConfigError: The request is empty.
        InferenceError: The model call failed (``TransientInferenceError`` is retryable).
    """
    value = _ask(client, request, CreativeIntent, max_tokens, version=_INTENT_ONLY_VERSION)
    assert isinstance(value, CreativeIntent)
    return value


def prompt_version() -> str:
    """The version of the prompt ``understand`` renders (for cache keys)."""
    import prompts

    return prompts.load(PROMPT_NAME).version


def _ask(
    client: InferenceClient,
    request: str,
    output_type: type[CreativeIntent],
    max_tokens: int,
    version: int | None,
) -> CreativeIntent:
    import prompts
    from inference.structured import string_limit
    from tasks._chat import json_messages

    text = " ".join(request.split())[:_MAX_REQUEST_CHARS]
    if not text:
        raise ConfigError("the creative request is empty")
    template = prompts.load(PROMPT_NAME, version)

    def build(deployment: Deployment) -> list[dict[str, Any]]:
        limit = string_limit(deployment, output_type, max_tokens)
        return json_messages(template.render(request=text, limit=limit))

    completion = client.complete(ROLE, build, output_type, max_tokens=max_tokens, temperature=0.2)
    value = completion.value
    assert isinstance(value, output_type)
    return value
