"""Every command's help: examples, choices shown as choices, no Python types (issue 19)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
import typer
from typer.testing import CliRunner

from studio import cli

# What a Python type or a settings object looks like when it leaks into help text.
_LEAKS = re.compile(r"<(?:list|dict|tuple|set|Path|Optional)\[|Settings|<class |NoneType|typing\.")


def _commands() -> Iterator[tuple[list[str], click.Command]]:
    cli._register_all()
    root = typer.main.get_command(cli.app)

    def walk(words: list[str], command: click.Command) -> Iterator[tuple[list[str], click.Command]]:
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                if not sub.hidden:
                    yield from walk([*words, name], sub)
        else:
            yield words, command

    yield from walk([], root)


COMMANDS = list(_commands())


def _help(words: list[str]) -> str:
    result = CliRunner().invoke(cli.app, [*words, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_walk_finds_every_area() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"run", "config", "footage sample", "sandbox check", "tier fetch", "analyze"} <= names
    assert len(names) >= 20


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
        if isinstance(param.type, click.Choice) and not getattr(param, "hidden", False):
            assert "|".join(str(c) for c in param.type.choices) in text, param.name
