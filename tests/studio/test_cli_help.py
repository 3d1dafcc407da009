"""Every command's help: examples, choices shown as choices, no Python types (issue 19)."""

from __future__ import annotations

import enum
import re
import typing
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from studio import cli

# What a Python type or a settings object looks like when it leaks into help text.
_LEAKS = re.compile(r"<(?:list|dict|tuple|set|Path|Optional)\[|Settings|<class |NoneType|typing\.")


def _commands() -> Iterator[tuple[list[str], Any]]:
    """Every visible leaf command of the app (typer carries its own click: duck typing)."""
    cli._register_all()
    root = typer.main.get_command(cli.app)

    def walk(words: list[str], command: Any) -> Iterator[tuple[list[str], Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            yield words, command
            return
        for name, sub in sorted(subcommands.items()):
            if not sub.hidden:
                yield from walk([*words, name], sub)

    yield from walk([], root)


def _choices(param: Any) -> tuple[str, ...]:
    """The values a parameter accepts when its annotation is a Literal or an Enum."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return tuple(str(v) for v in typing.get_args(candidate))
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return tuple(str(m.value) for m in candidate)
    return ()


COMMANDS = list(_commands())


def _help(words: list[str]) -> str:
    result = CliRunner().invoke(cli.app, [*words, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_walk_finds_every_area() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"run", "config", "footage sample", "sandbox check", "tier fetch", "analyze"} <= names
    assert len(names) >= 20


def test_choices_are_found_where_the_app_has_them() -> None:
    sample = dict((tuple(w), c) for w, c in COMMANDS)[("footage", "sample")]
    [strategy] = [p for p in sample.params if p.name == "strategy"]
    assert _choices(strategy) == ("scene", "uniform", "keyframes")


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=[" ".join(w) for w, _ in COMMANDS])
def test_help_has_examples_and_no_python_types(words: list[str]) -> None:
    text = _help(words)
    examples = re.findall(r"studio " + re.escape(" ".join(words)) + r"\b", text)
    assert "Example" in text and examples, f"`studio {' '.join(words)} -h` shows no example"
    assert not _LEAKS.search(text), _LEAKS.search(text)


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=[" ".join(w) for w, _ in COMMANDS])
def test_choices_are_shown_as_choices(words: list[str]) -> None:
    command = dict((tuple(w), c) for w, c in COMMANDS)[tuple(words)]
    text = _help(words)
    for param in command.params:
        choices = _choices(param)
        if choices and not getattr(param, "hidden", False):
            assert "|".join(choices) in text, (param.name, choices)


# Long-running servers print logs, not a report.
_SERVERS = {("gateway",), ("worker",)}


def test_every_command_that_reports_takes_json() -> None:
    missing = [
        " ".join(words)
        for words, command in COMMANDS
        if tuple(words) not in _SERVERS
        and "--json" not in [o for p in command.params for o in getattr(p, "opts", [])]
    ]
    assert missing == []
