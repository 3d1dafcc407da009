"""Reading YAML that people write (job specs, routing files) defensively, with line numbers.

Such a file may come from anyone who can reach the Prefect API or edit a config. So it is
read up to ``MAX_YAML_BYTES`` (a pipe or ``/dev/zero`` too), must be UTF-8, may nest only as
deep as the parser's stack allows, and may hold at most ``MAX_YAML_NODES`` values once its
aliases are expanded: a "billion laughs" document is a few hundred bytes whose values,
walked naively, never end. Every refusal is one ``ConfigError`` line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.exceptions import ConfigError

__all__ = ["MAX_YAML_BYTES", "MAX_YAML_NODES", "load_yaml", "read_yaml_text", "yaml_problem"]

MAX_YAML_BYTES = 1 << 20
MAX_YAML_NODES = 10_000

Lines = dict[tuple[str | int, ...], int]


def read_yaml_text(path: Path, what: str) -> str:
    """The text of ``what`` (say "job spec") at ``path``: UTF-8, at most ``MAX_YAML_BYTES``."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{what} not found: {path}") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"cannot read {what} {path}: {reason}") from None
    if len(raw) > MAX_YAML_BYTES:
        raise ConfigError(f"{what} {path} is larger than {MAX_YAML_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read {what} {path}: not UTF-8 text (byte {exc.start})") from None


def load_yaml(text: str, where: str) -> tuple[Any, Lines]:
    """Parse ``text`` safely; return the data and the 1-based line of every key path.

    Raises:
        yaml.YAMLError: The text is not YAML (the caller words the message).
        ConfigError: It nests too deeply or expands to too many values.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_size(node, where)
        data = _whole_characters(yaml.safe_load(text), where)
        return data, _line_index(node) if node is not None else {}
    except RecursionError:
        raise ConfigError(f"{where}: the YAML nests too deeply") from None


def _whole_characters(data: Any, where: str) -> Any:
    r"""``data`` with every escaped UTF-16 surrogate pair joined into its one character.

    JSON writers escape a character beyond the BMP as a pair (``json.dumps`` writes 👋 as
    ``"\ud83d\udc4b"``), and a JSON spec is YAML; but PyYAML reads each half as a character
    of its own, which is no text (pydantic: "unable to parse raw data as a unicode string").
    A half without its other half is refused in one line.
    """
    if isinstance(data, str):
        if not any("\ud800" <= ch <= "\udfff" for ch in data):
            return data
        try:
            return data.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise ConfigError(
                f"{where}: a \\u escape in {data[:40]!r} is half of a character "
                "(a lone UTF-16 surrogate)"
            ) from None
    if isinstance(data, dict):
        return {_whole_characters(k, where): _whole_characters(v, where) for k, v in data.items()}
    if isinstance(data, list):
        return [_whole_characters(v, where) for v in data]
    return data


def yaml_problem(exc: yaml.YAMLError) -> str:
    """One line for a parse error: ``line N: problem``, or the problem alone."""
    mark = getattr(exc, "problem_mark", None)
    line = f"line {mark.line + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or "invalid YAML"
    if isinstance(exc, yaml.reader.ReaderError):  # a NUL or other control character
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        problem = f"character #x{code:04x} at position {exc.position} is not allowed"
    return line + " ".join(str(problem).split())


def _check_size(node: yaml.Node | None, where: str) -> None:
    # Walked without recursion, an aliased node counted each time it is referred to.
    stack = [node] if node is not None else []
    seen = 0
    while stack:
        current = stack.pop()
        seen += 1
        if seen > MAX_YAML_NODES:
            raise ConfigError(
                f"{where}: more than {MAX_YAML_NODES} values once YAML aliases are expanded"
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
