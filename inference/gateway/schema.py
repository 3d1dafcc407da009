"""What a request may say, as typed models: checked before anything is forwarded.

The body is bounded before it is parsed (size, then nesting depth), then validated by a
pydantic model per route (types, ranges, content part types), then held to the caps of the
model group it names (``max_tokens``, context, ``n``, file parts). Every refusal is a
:class:`GatewayError` that names the field and never echoes the payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from inference.gateway.errors import GatewayError

__all__ = [
    "MAX_DEPTH",
    "MAX_N",
    "ChatRequest",
    "EmbeddingRequest",
    "GroupCaps",
    "held_to_caps",
    "parse_json",
    "validate",
]

MAX_DEPTH = 32  # OpenAI bodies nest about 8 deep (tools' JSON schemas a little more)
MAX_N = 4  # each choice is a whole generation on the backend

_Number = Annotated[float, Field(allow_inf_nan=False)]
_Text = Annotated[str, Field(max_length=2_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TextPart(_Strict):
    """A text content part."""

    type: Literal["text"]
    text: _Text


class _ImageUrl(_Strict):
    url: str
    detail: Literal["auto", "low", "high"] | None = None


class ImagePart(_Strict):
    """An image content part; only ``data:`` URLs (a URL would be fetched server-side)."""

    type: Literal["image_url"]
    image_url: _ImageUrl


class FilePart(_Strict):
    """A file content part: refused unless the model group declares ``accepts_files``."""

    model_config = ConfigDict(extra="allow", strict=True)
    type: Literal["file"]


_Part = Annotated[TextPart | ImagePart | FilePart, Field(discriminator="type")]


class Message(_Strict):
    """One chat message."""

    model_config = ConfigDict(extra="forbid", strict=True)
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: _Text | Annotated[list[_Part], Field(max_length=256)] | None = None
    name: Annotated[str, Field(max_length=128)] | None = None
    tool_calls: Annotated[list[dict[str, Any]], Field(max_length=128)] | None = None
    tool_call_id: Annotated[str, Field(max_length=256)] | None = None


class _StreamOptions(_Strict):
    include_usage: StrictBool = False


class _JsonSchema(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    description: Annotated[str, Field(max_length=4096)] | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: StrictBool | None = None


class ResponseFormat(_Strict):
    """``response_format``: the OpenAI forms; the gateway translates it per deployment."""

    type: Literal["text", "json_object", "json_schema"]
    json_schema: _JsonSchema | None = None


class ChatRequest(_Strict):
    """``POST /v1/chat/completions``."""

    model: Annotated[str, Field(min_length=1, max_length=128)]
    messages: Annotated[list[Message], Field(min_length=1, max_length=1024)]
    temperature: Annotated[_Number, Field(ge=0, le=2)] | None = None
    top_p: Annotated[_Number, Field(ge=0, le=1)] | None = None
    n: Annotated[StrictInt, Field(ge=1, le=MAX_N)] | None = None
    stop: (
        Annotated[str, Field(max_length=256)]
        | Annotated[list[Annotated[str, Field(max_length=256)]], Field(max_length=4)]
        | None
    ) = None
    max_tokens: Annotated[StrictInt, Field(ge=1)] | None = None
    max_completion_tokens: Annotated[StrictInt, Field(ge=1)] | None = None
    presence_penalty: Annotated[_Number, Field(ge=-2, le=2)] | None = None
    frequency_penalty: Annotated[_Number, Field(ge=-2, le=2)] | None = None
    logit_bias: (
        Annotated[dict[str, Annotated[_Number, Field(ge=-100, le=100)]], Field(max_length=300)]
        | None
    ) = None
    logprobs: StrictBool | None = None
    top_logprobs: Annotated[StrictInt, Field(ge=0, le=20)] | None = None
    user: Annotated[str, Field(max_length=256)] | None = None
    seed: StrictInt | None = None
    response_format: ResponseFormat | None = None
    tools: Annotated[list[dict[str, Any]], Field(max_length=64)] | None = None
    tool_choice: Annotated[str, Field(max_length=64)] | dict[str, Any] | None = None
    parallel_tool_calls: StrictBool | None = None
    stream: StrictBool | None = None
    stream_options: _StreamOptions | None = None


class EmbeddingRequest(_Strict):
    """``POST /v1/embeddings``."""

    model: Annotated[str, Field(min_length=1, max_length=128)]
    input: (
        _Text
        | Annotated[list[_Text], Field(min_length=1, max_length=2048)]
        | Annotated[list[StrictInt], Field(min_length=1, max_length=65536)]
        | Annotated[list[list[StrictInt]], Field(min_length=1, max_length=2048)]
    )
    encoding_format: Literal["float", "base64"] | None = None
    dimensions: Annotated[StrictInt, Field(ge=1, le=65536)] | None = None
    user: Annotated[str, Field(max_length=256)] | None = None


def parse_json(raw: bytes) -> Any:
    """Parse a body already bounded in size, refusing deep nesting.

    Raises:
        GatewayError: 400 for invalid JSON or nesting deeper than :data:`MAX_DEPTH`.
    """
    try:
        doc = json.loads(raw)
    except RecursionError:
        raise GatewayError(400, "bad_request", _too_deep()) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise GatewayError(400, "bad_request", "the body is not valid JSON") from None
    # Iterative walk: the check itself must not recurse.
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise GatewayError(400, "bad_request", _too_deep())
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return doc


def _too_deep() -> str:
    return f"the body nests deeper than {MAX_DEPTH} levels"


def _branch(part: int | str) -> bool:
    """A union branch label pydantic puts in ``loc`` (``str``, ``list[...]``, ``none``...)."""
    return isinstance(part, str) and (
        any(c in part for c in "[-") or part in {"str", "int", "float", "bool", "none", "dict"}
    )


def validate(model: type[BaseModel], body: dict[str, Any]) -> BaseModel:
    """``body`` validated by ``model``.

    Raises:
        GatewayError: 400 naming the first invalid field (its value is never quoted).
    """
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        # For a union (text or parts), the deepest error is the branch the client meant.
        first = max(errors, key=lambda e: len(e["loc"]))
        where = ".".join(str(p)[:40] for p in first["loc"] if not _branch(p)) or "body"
        if first["type"] == "union_tag_invalid":
            what = "unsupported content part type (allowed: text, image_url)"
        elif first["type"] == "extra_forbidden":
            what = "unsupported field"
        else:
            what = str(first["msg"])[:120]
        raise GatewayError(400, "invalid_request", f"invalid '{where}': {what}") from None


@dataclass(frozen=True)
class GroupCaps:
    """What one model group accepts, from its deployments' ``model_info``.

    Attributes:
        max_tokens: Most tokens one request may ask for (``max_output_tokens``; the
            gateway's default where no deployment says); also the default when a request
            names none, so leaving it out cannot hold a slot for the whole context.
        context: Smallest context window of the group (``context_window``, else vLLM's
            ``serve.max_model_len``); None when unknown.
        accepts_files: Every deployment declares ``accepts_files: true``.
    """

    max_tokens: int
    context: int | None
    accepts_files: bool

    @classmethod
    def of(cls, entries: list[dict[str, Any]], default_max_tokens: int) -> GroupCaps:
        """The caps of a group from its routing entries."""
        infos = [e.get("model_info", {}) for e in entries]
        outs = [int(i["max_output_tokens"]) for i in infos if i.get("max_output_tokens")]
        windows = [
            int(i.get("context_window") or (i.get("serve") or {}).get("max_model_len") or 0)
            for i in infos
        ]
        return cls(
            max_tokens=min(outs) if outs else default_max_tokens,
            context=min(windows) if windows and all(windows) else None,
            accepts_files=bool(infos) and all(i.get("accepts_files") is True for i in infos),
        )


def held_to_caps(request: ChatRequest, body: dict[str, Any], caps: GroupCaps) -> int:
    """Check a valid chat request against its group's caps; fill in ``max_tokens``.

    Returns:
        The most tokens the request can cost (prompt estimate plus output, times ``n``),
        for the per-key token limit.

    Raises:
        GatewayError: 400 naming the field past a cap.
    """
    asked = request.max_completion_tokens or request.max_tokens
    field = "max_completion_tokens" if request.max_completion_tokens else "max_tokens"
    if asked is not None and asked > caps.max_tokens:
        raise GatewayError(
            400, "invalid_request", f"invalid '{field}': at most {caps.max_tokens} for this model"
        )
    if asked is None:
        body["max_tokens"] = asked = caps.max_tokens
    fmt = request.response_format
    if fmt is not None and fmt.type == "json_schema" and fmt.json_schema is None:
        raise GatewayError(
            400,
            "invalid_request",
            "invalid 'response_format.json_schema': required for json_schema",
        )
    chars = 0
    for i, message in enumerate(request.messages):
        if isinstance(message.content, str):
            chars += len(message.content)
            continue
        for j, part in enumerate(message.content or []):
            where = f"messages.{i}.content.{j}"
            if isinstance(part, TextPart):
                chars += len(part.text)
            elif isinstance(part, FilePart) and not caps.accepts_files:
                raise GatewayError(
                    400, "invalid_request", f"invalid '{where}': this model takes no file parts"
                )
            elif isinstance(part, ImagePart) and not part.image_url.url.startswith("data:"):
                raise GatewayError(
                    400,
                    "invalid_request",
                    f"invalid '{where}.image_url.url': send images as data: URLs",
                )
    # ~4 characters a token for English prose, fewer for code and most other scripts: an
    # estimate on the low side, so only requests that surely overflow are refused here.
    prompt = chars // 4
    if caps.context is not None and prompt + asked > caps.context:
        raise GatewayError(
            400,
            "context_length_exceeded",
            f"the prompt (about {prompt} tokens) plus {field} ({asked}) exceeds the model's "
            f"context of {caps.context} tokens",
        )
    return (prompt + asked) * (request.n or 1)
