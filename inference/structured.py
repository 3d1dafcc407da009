"""Structured answers: the ``response_format`` sent per deployment and validation of replies.

Deployments constrain JSON differently (``structured_output`` in the routing file): vLLM takes
``json_schema``; llama.cpp's server takes ``json_object`` plus a schema it compiles to a
grammar. On both, every string and list the answer type leaves unbounded is bounded so that a
complete answer fits in ``max_tokens``: under constrained decoding a weak model otherwise
repeats list items until the token limit and the JSON never closes (seen on a real vLLM with
SmolLM2-135M). Bounds the answer type declares itself (``Field(max_length=...)``) are kept.
Replies are validated with pydantic whatever the server promised.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from inference.routing import Deployment, StructuredMode

__all__ = [
    "error_summary",
    "one_line",
    "response_format",
    "string_limit",
    "translated_format",
    "validate_answer",
]


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@cache
def _schema(output_type: type[BaseModel]) -> dict[str, Any]:
    """The answer type's JSON schema, read only (``_budget`` builds new nodes).

    Kept per type: pydantic builds it afresh on every call (~1 ms), and each model request
    needed it three times.
    """
    return output_type.model_json_schema()


def _budget(schema: Any, max_length: int, max_items: int, item_room: int = 0) -> Any:
    """Bound strings and lists of a JSON schema, so constrained decoding stops in time.

    A list of objects is also cut to the number of worst-case items that fit ``item_room``
    tokens: a weak model fills a list to its bound (SmolLM2 wrote 24 decision-list segments
    into 400 tokens and the JSON never closed). Validation still uses the answer type
    itself, so the bounds only steer decoding.
    """
    defs = schema.get("$defs", {}) if isinstance(schema, dict) else {}

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        bounded = {key: walk(value) for key, value in node.items()}
        if bounded.get("type") == "string" and "maxLength" not in bounded:
            bounded["maxLength"] = max_length
        if bounded.get("type") == "array":
            cap = bounded.get("maxItems", max_items)
            item = _resolve(bounded.get("items", {}), defs)
            if item_room and item.get("type") == "object":
                each = _worst_tokens(item, defs, max_length)
                cap = min(cap, max(1, item_room // each))
            bounded["maxItems"] = cap
        return bounded

    return walk(schema)


def _resolve(node: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref", "")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = defs.get(ref.removeprefix("#/$defs/"), {})
        return target if isinstance(target, dict) else {}
    return node


def _worst_tokens(node: dict[str, Any], defs: dict[str, Any], max_length: int) -> int:
    """Tokens one value of ``node`` can take when every slot is full (an estimate)."""
    node = _resolve(node, defs)
    options = node.get("anyOf")
    if isinstance(options, list) and options:
        return max(_worst_tokens(option, defs, max_length) for option in options)
    kind = node.get("type")
    if kind == "string" and "enum" not in node:
        return 2 + min(int(node.get("maxLength", max_length)), max_length) // _CHARS_PER_TOKEN
    if kind == "array":
        each = _worst_tokens(_resolve(node.get("items", {}), defs), defs, max_length)
        return 2 + int(node.get("maxItems", _MAX_ITEMS)) * (each + 1)
    if kind == "object":
        props = node.get("properties", {})
        return 2 + sum(_KEY_TOKENS + _worst_tokens(p, defs, max_length) for p in props.values())
    return 4  # a number, boolean, null or enum value


_MAX_ITEMS = 3
_BOUNDED = ("json_schema", "json_object_schema")  # servers that decode against our schema
_CHARS_PER_TOKEN = 4  # English prose in the Qwen tokenizer: ~4.2
_TOKENS_PER_FIELD = 16  # key, quotes, brackets and separators
_KEY_TOKENS = 5  # a key inside a list item: quotes, name, colon, comma


def _string_budget(schema: dict[str, Any], max_tokens: int) -> int:
    """Longest string that still lets a complete answer fit in ``max_tokens``.

    A truncated JSON answer is worthless and costs a repair round, so the grammar bounds
    every string so that the worst case (every slot full) closes the object in time.
    """
    properties = schema.get("properties", {})
    slots = sum(
        _MAX_ITEMS if isinstance(p, dict) and p.get("type") == "array" else 1
        for p in properties.values()
    )
    room = max_tokens - _TOKENS_PER_FIELD * max(1, len(properties))
    return max(24, room * _CHARS_PER_TOKEN // max(1, slots))


def string_limit(
    deployment: Deployment, output_type: type[BaseModel], max_tokens: int
) -> int | None:
    """The per-string character limit the server will enforce, to tell the model upfront.

    None when the deployment's server does not bound strings (plain ``json_object`` servers
    get no schema).
    """
    if deployment.structured_output not in _BOUNDED:
        return None
    return _string_budget(_schema(output_type), max_tokens)


def response_format(
    deployment: Deployment, output_type: type[BaseModel], max_tokens: int
) -> dict[str, Any]:
    """The ``response_format`` that makes ``deployment``'s server answer as ``output_type``."""
    if deployment.structured_output not in _BOUNDED:
        return {"type": "json_object"}
    schema = _schema(output_type)
    room = max_tokens - _TOKENS_PER_FIELD * max(1, len(schema.get("properties", {})))
    bounded = _budget(schema, _string_budget(schema, max_tokens), _MAX_ITEMS, max(room, 1))
    if deployment.structured_output == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": output_type.__name__, "schema": bounded, "strict": True},
        }
    # llama-cpp-python compiles this schema to a grammar; it ignores "json_schema".
    return {"type": "json_object", "schema": bounded}


def translated_format(
    mode: StructuredMode, requested: dict[str, Any], max_tokens: int
) -> dict[str, Any]:
    """A caller's OpenAI ``response_format`` as a server of ``structured_output`` ``mode`` takes it.

    The gateway's counterpart of :func:`response_format`: a client sends the OpenAI form
    (``json_schema`` with a schema); a llama.cpp server gets ``json_object`` plus the schema,
    bounded as the typed client bounds it, so that a complete answer fits in ``max_tokens``
    (the bound only adds ``maxLength``/``maxItems``: the answer still fits the caller's
    schema); a server that constrains nothing gets ``json_object``. ``text`` and
    ``json_object`` pass unchanged.
    """
    if requested.get("type") != "json_schema" or mode == "json_schema":
        return requested
    spec = requested.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, dict) else None
    if mode == "json_object_schema" and isinstance(schema, dict):
        room = max_tokens - _TOKENS_PER_FIELD * max(1, len(schema.get("properties", {})))
        bounded = _budget(schema, _string_budget(schema, max_tokens), _MAX_ITEMS, max(room, 1))
        return {"type": "json_object", "schema": bounded}
    return {"type": "json_object"}


def _extract_json(text: str) -> str:
    """The JSON object inside ``text``: strips code fences and prose around it."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = re.sub(r"^```[a-zA-Z]*\s*|```$", "", stripped).strip()
    start, end = stripped.find("{"), stripped.rfind("}")
    if start != -1 and end > start:
        return stripped[start : end + 1]
    return stripped


def validate_answer(text: str, output_type: type[BaseModel], clip_limit: int | None) -> BaseModel:
    """Parse the JSON in ``text`` as ``output_type``.

    With ``clip_limit`` (the server bounded strings), strings cut at the bound end on a whole
    word with an ellipsis.

    Raises:
        ValidationError: The answer does not fit ``output_type``.
        ValueError: The answer holds no JSON.
    """
    value = output_type.model_validate_json(_extract_json(text))
    if clip_limit is None:
        return value
    return output_type.model_validate(_tidy_clipped(value.model_dump(), clip_limit))


_SENTENCE_END = (".", "!", "?", ")", '"', "'")


def _tidy_clipped(value: Any, limit: int) -> Any:
    """End strings the grammar cut at ``limit`` on a whole word, marked with an ellipsis.

    Near the bound only short tokens still fit, and the short token a small model likes best
    there is often a stray CJK character ("...dynamic moments,硬"); a cut at the last word
    reads cleanly and says that it was cut.
    """
    if isinstance(value, dict):
        return {key: _tidy_clipped(item, limit) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy_clipped(item, limit) for item in value]
    if not isinstance(value, str) or len(value) < limit - 1 or value.endswith(_SENTENCE_END):
        return value
    head = value.rsplit(" ", 1)[0] if " " in value.strip() else value
    return head.rstrip(" ,;:-") + "…"


def error_summary(exc: ValidationError | ValueError) -> str:
    """What was wrong with an answer, short enough to quote back in a repair request."""
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in err['loc']) or 'answer'}: {err['msg']}"
            for err in exc.errors()[:5]
        ]
        return "; ".join(parts)
    return one_line(str(exc), 200)
