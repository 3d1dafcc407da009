"""One deployment's answer: constrained on the server, validated, repaired when invalid."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from core.exceptions import ModelOutputError
from inference.messages import CallRecord
from inference.routing import Deployment
from inference.structured import error_summary, response_format, string_limit, validate_answer
from inference.transport import Message, Transport

__all__ = ["Completion", "answer"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Completion:
    """The result of :meth:`InferenceClient.complete`.

    Attributes:
        value: The validated ``output_type`` instance, or the text when none was asked.
        text: The raw text of the final answer.
        record: The call record of the final (successful) request.
        deployment: The deployment that answered (its messages were built for it).
    """

    value: Any
    text: str
    record: CallRecord
    deployment: Deployment


def answer(
    transport: Transport,
    role: str,
    deployment: Deployment,
    messages: list[Message],
    output_type: type[BaseModel] | None,
    *,
    max_tokens: int,
    temperature: float,
    max_repairs: int,
) -> Completion:
    """Ask ``deployment`` until its answer validates as ``output_type`` (or is text).

    The answer is constrained on the server (``response_format``); one that still fails
    validation is repaired: asked again, quoting the invalid answer and the error, at most
    ``max_repairs`` times.

    Raises:
        ModelOutputError: The answer never validated.
        InferenceError: A request failed (``Transport.send``).
    """
    body: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature}
    clip_limit: int | None = None
    if output_type is not None:
        body["response_format"] = response_format(deployment, output_type, max_tokens)
        clip_limit = string_limit(deployment, output_type, max_tokens)
    conversation = list(messages)
    problem = ""
    for _attempt in range(max_repairs + 1):
        text, record = transport.send(role, deployment, conversation, body)
        if output_type is None:
            return Completion(value=text, text=text, record=record, deployment=deployment)
        try:
            value = validate_answer(text, output_type, clip_limit)
            return Completion(value=value, text=text, record=record, deployment=deployment)
        except (ValidationError, ValueError) as exc:
            problem = error_summary(exc)
            _log.info("%s answer from %s invalid (%s); repairing", role, deployment.id, problem)
            conversation = [
                *messages,
                {"role": "assistant", "content": text[:2000]},
                {
                    "role": "user",
                    "content": f"That answer was invalid: {problem}. Reply again with only "
                    f"the corrected JSON object.",
                },
            ]
    name = output_type.__name__ if output_type else "text"
    raise ModelOutputError(
        f"{role} answer from {deployment.id} did not validate as {name} "
        f"after {max_repairs} repair(s): {problem}"
    )
