"""The Coder's script answer: ask for a MoviePy script, keep the code and set the prose aside.

This is the one call that knows what a script answer looks like; ``tasks.generate_edit``
checks, dry-runs and repairs what it returns, and re-exports every public name here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import Any, Protocol

from pydantic import BaseModel, Field

from core.exceptions import ModelOutputError

__all__ = ["ROLE", "EditClient", "EditScript", "extract_code", "generate_edit_script"]

# The routing role of every model call the edit step makes (scripts and decision lists);
# flows read it as ``tasks.generate_edit.ROLE``.
ROLE = "coder"

_CODE_BLOCK_RE = re.compile(r"```(?:python|py)?[ \t]*\n(?P<code>.*?)```", re.DOTALL)


class EditClient(Protocol):
    """The part of the inference client the edit step calls."""

    def complete(
        self,
        role: str,
        messages: Sequence[dict[str, Any]],
        output_type: Any = None,
        *,
        max_tokens: int = ...,
        temperature: float = ...,
    ) -> Any: ...


class EditScript(BaseModel):
    """A generated MoviePy script (untrusted: it only ever runs through the sandbox)."""

    code: str = Field(description="Python source of the edit script.")
    notes: str = Field(default="", description="Model prose around the code, if any.")


def extract_code(text: str) -> tuple[str, str]:
    """Split a coder answer into ``(code, notes)``.

    The longest fenced python block wins; an answer that is bare python is taken whole.

    Raises:
        ModelOutputError: No python code in the answer.
    """
    blocks = [m["code"] for m in _CODE_BLOCK_RE.finditer(text)]
    if blocks:
        code = max(blocks, key=len)
        notes = _CODE_BLOCK_RE.sub("", text).strip()
        return code.strip() + "\n", notes
    candidate = text.strip()
    try:
        ast.parse(candidate)
    except SyntaxError:
        raise ModelOutputError("the coder answered without a python code block") from None
    if not candidate:
        raise ModelOutputError("the coder returned an empty answer")
    return candidate + "\n", ""


def generate_edit_script(
    client: EditClient,
    system: str,
    user: str,
    *,
    max_tokens: int = 1024,
    temperature: float = 0.1,
) -> EditScript:
    """Ask the coder role for a script and extract its python code block.

    Raises:
        ModelOutputError: The answer holds no python code.
    """
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    completion = client.complete(
        ROLE, messages, None, max_tokens=max_tokens, temperature=temperature
    )
    code, notes = extract_code(str(completion.value))
    return EditScript(code=code, notes=notes)
