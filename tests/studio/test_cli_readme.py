"""The README's `studio ...` examples name commands and flags that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer

README = Path(__file__).resolve().parents[2] / "README.md"


def _examples() -> list[list[str]]:
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            if not line.startswith("studio "):
                continue
            words = shlex.split(line.rstrip("\\ "), comments=True)
            if words[:1] == ["studio"]:
                # "tier up | down | status [--json]": the flags are checked on the first.
                lines.append([w for w in words[1:] if w not in ("|", "[", "]")])
    return lines


def test_every_readme_example_uses_real_commands_and_flags() -> None:
    from studio import cli

    cli._register_all()
    root = typer.main.get_command(cli.app)
    examples = _examples()
    assert len(examples) >= 15
    for words in examples:
        command = root
        path = ["studio"]
        for word in words:
            sub = getattr(command, "commands", {}).get(word)
            if sub is None:
                break
            command, path = sub, [*path, word]
        names = {n for p in command.params for n in (*p.opts, *p.secondary_opts)}
        names |= {n for p in root.params for n in p.opts}
        flags = {w.strip("[]").split("=")[0] for w in words if w.lstrip("[").startswith("-")}
        unknown = flags - names
        assert not unknown, f"{' '.join(path)}: {unknown} (README line: studio {' '.join(words)})"
