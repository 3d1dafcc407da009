"""Chat message pieces the creative steps share (each step still renders its own prompt)."""

from __future__ import annotations

import base64
from typing import Any

__all__ = ["SYSTEM_JSON", "image_part", "json_messages"]

SYSTEM_JSON = "You are a concise assistant for a video editing studio. Reply with JSON only."


def json_messages(content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A system line asking for JSON only, then the user's ``content``."""
    return [{"role": "system", "content": SYSTEM_JSON}, {"role": "user", "content": content}]


def image_part(jpeg: bytes) -> dict[str, Any]:
    """An OpenAI ``image_url`` content part carrying ``jpeg`` inline (base64)."""
    data = base64.b64encode(jpeg).decode("ascii")
    return {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{data}"}}
