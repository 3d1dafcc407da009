"""Understand a creative request: turn a free-text brief into a ``CreativeIntent``.

The reasoning role answers from ``prompts/understand_intent``; the answer is constrained to
the :class:`CreativeIntent` schema on the server and validated by the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from core.exceptions import ConfigError

if TYPE_CHECKING:
    from inference.client import InferenceClient
    from inference.routing import Deployment

__all__ = ["PROMPT_NAME", "ROLE", "CreativeIntent", "understand_intent"]

PROMPT_NAME = "understand_intent"
ROLE = "reasoning"

# Long briefs only add latency on the CPU tier; the first few thousand characters carry
# the intent.
_MAX_REQUEST_CHARS = 4000
_MAX_TOKENS = 256


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
    import prompts
    from inference.structured import string_limit
    from tasks._chat import json_messages

    text = " ".join(request.split())[:_MAX_REQUEST_CHARS]
    if not text:
        raise ConfigError("the creative request is empty")
    template = prompts.load(PROMPT_NAME)

    def build(deployment: Deployment) -> list[dict[str, Any]]:
        limit = string_limit(deployment, CreativeIntent, max_tokens)
        return json_messages(template.render(request=text, limit=limit))

    completion = client.complete(
        ROLE, build, CreativeIntent, max_tokens=max_tokens, temperature=0.2
    )
    value = completion.value
    assert isinstance(value, CreativeIntent)
    return value
