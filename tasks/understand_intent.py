"""Understand a creative request: turn a free-text brief into a ``CreativeIntent``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.exceptions import ConfigError

if TYPE_CHECKING:
    from inference.client import InferenceClient
    from inference.messages import CreativeIntent

__all__ = ["PROMPT_NAME", "understand_intent"]

PROMPT_NAME = "understand_intent"

# Long briefs only add latency on the CPU tier; the first few thousand characters carry
# the intent.
_MAX_REQUEST_CHARS = 4000


def understand_intent(client: InferenceClient, request: str) -> CreativeIntent:
    """Ask the reasoning role what the request wants.

    Args:
        client: The inference client (renders ``prompts/understand_intent``).
        request: The creative brief.

    Returns:
        The validated intent.

    Raises:
        ConfigError: The request is empty.
        InferenceError: The model call failed (``TransientInferenceError`` is retryable).
    """
    text = " ".join(request.split())
    if not text:
        raise ConfigError("request: the creative brief is empty")
    return client.understand_intent(text[:_MAX_REQUEST_CHARS])
