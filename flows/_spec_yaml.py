"""Reading a job spec's YAML defensively: bounded size, bounded aliases, line numbers kept.

A spec is a page of YAML written by a person, or a parameter sent by anyone who can reach
the Prefect API. So the file is read up to ``MAX_SPEC_BYTES`` (a pipe or ``/dev/zero`` too),
must be UTF-8, may nest only as deep as the parser's stack allows, and may hold at most
``MAX_SPEC_NODES`` values once its aliases are expanded: a "billion laughs" document is a
few hundred bytes whose values, walked naively, never end. Every refusal is one
``ConfigError`` line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.exceptions import ConfigError

__all__ = ["MAX_SPEC_BYTES", "MAX_SPEC_NODES", "load_yaml", "read_spec_text"]

MAX_SPEC_BYTES = 1 << 20
MAX_SPEC_NODES = 10_000

Lines = dict[tuple[str | int, ...], int]


def read_spec_text(path: Path) -> str:
    """The spec's text: UTF-8, at most ``MAX_SPEC_BYTES``."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"job spec not found: {path}") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"cannot read job spec {path}: {reason}") from None
    if len(raw) > MAX_SPEC_BYTES:
        raise ConfigError(f"job spec {path} is larger than {MAX_SPEC_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"cannot read job spec {path}: not UTF-8 text (byte {exc.start})"
        ) from None


def load_yaml(text: str, where: str) -> tuple[Any, Lines]:
    """Parse ``text`` safely; return the data and the 1-based line of every key path.

    Raises:
        yaml.YAMLError: The text is not YAML (the caller words the message).
        ConfigError: It nests too deeply or expands to too many values.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_size(node, where)
        data = yaml.safe_load(text)
        return data, _line_index(node) if node is not None else {}
    except RecursionError:
        raise ConfigError(f"{where}: the YAML nests too deeply") from None


def _check_size(node: yaml.Node | None, where: str) -> None:
    # Walked without recursion, an aliased node counted each time it is referred to.
    stack = [node] if node is not None else []
    seen = 0
    while stack:
        current = stack.pop()
        seen += 1
        if seen > MAX_SPEC_NODES:
            raise ConfigError(
                f"{where}: more than {MAX_SPEC_NODES} values once YAML aliases are expanded"
            )
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack += (key, value)
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value


def _line_index(node: yaml.Node, prefix: tuple[str | int, ...] = ()) -> Lines:
    """Map every key path in a composed YAML document to its 1-based line."""
    lines: Lines = {prefix: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            lines.update(_line_index(value_node, (*prefix, key)))
            # A key's own line is where the key is written, not where its value starts.
            lines[(*prefix, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.update(_line_index(item, (*prefix, i)))
    return lines
