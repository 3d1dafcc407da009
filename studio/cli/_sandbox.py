"""``studio sandbox check|run``: the edit-script policy and the isolated runner by hand.

``check`` prints every finding with its line (and the MoviePy 2 spelling when one is known)
and exits 1 when the script is refused. ``run`` checks first, showing every finding the
same way, then runs the script in the jail; the output file appears only after a
successful render.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from core.exceptions import ConfigError, PolicyViolation, SandboxRunError
from studio.cli._output import print_json

__all__ = ["register", "sandbox_app"]

_MAX_TIMEOUT_S = 24 * 3600.0  # a render that needs longer is a runaway

sandbox_app = typer.Typer(
    name="sandbox",
    help="Check and run generated MoviePy edit scripts in isolation.",
    no_args_is_help=True,
)


def _read(script: Path) -> str:
    try:
        return script.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read script {script}: {exc}") from None


def _findings(source: str) -> list[dict[str, Any]]:
    """Every policy finding, each with the MoviePy 2 replacement when the hints know one."""
    from sandbox.policy import check

    findings = check(source)
    if not findings:
        return []  # the hints (a few dozen regexes) are compiled only for a refusal
    from sandbox.hints import HINTS

    lines = source.splitlines()
    rows = []
    for finding in findings:
        # Match the one refused name, not its whole line (which may hold other problems);
        # the generic allowlist advice names no replacement, so it is left out here.
        name = re.search(r"attribute '(\w+)'", finding.message)
        text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        haystack = (f".{name[1]}(" if name else text) + "\n" + str(finding)
        hints = [
            h.advice
            for h in HINTS
            if h.name != "attribute-allowlist" and h.pattern.search(haystack)
        ]
        rows.append(
            {
                "line": finding.line,
                "rule": finding.rule,
                "message": finding.message,
                "hint": hints[0] if hints else None,
            }
        )
    return rows


def _refuse(script: Path, findings: list[dict[str, Any]], *, as_json: bool, err: bool) -> None:
    """Show every finding, then raise (the root prints one ``error:`` line, exit 1)."""
    if as_json:
        print_json({"script": str(script), "allowed": False, "findings": findings})
    for row in [] if as_json else findings:
        typer.echo(f"{script}:{row['line']}: [{row['rule']}] {row['message']}", err=err)
        if row["hint"]:
            typer.echo(f"    MoviePy 2: {row['hint']}", err=err)
    reasons = [f"line {r['line']}: [{r['rule']}] {r['message']}" for r in findings]
    raise PolicyViolation(f"{script}: refused ({len(findings)} finding(s))", reasons)


@sandbox_app.command("check")
def check_command(
    script: Annotated[Path, typer.Argument(help="The edit script to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check a script against the policy; list every reason with its line number.

    Examples: studio sandbox check edit.py | studio sandbox check edit.py --json
    """
    findings = _findings(_read(script))
    if findings:
        _refuse(script, findings, as_json=as_json, err=False)
    if as_json:
        print_json({"script": str(script), "allowed": True, "findings": []})
    else:
        typer.echo(f"{script}: allowed")


@sandbox_app.command("run")
def run_command(
    script: Annotated[Path, typer.Argument(help="The edit script to run.")],
    inputs: Annotated[
        list[Path],
        typer.Option("--input", "-i", metavar="CLIP", help="Input clip (repeat for several)."),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the .mp4.")
    ] = None,
    validate_only: Annotated[
        bool,
        typer.Option("--validate-only", help="Call edit() and report the clip; render nothing."),
    ] = False,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Wall-clock limit, seconds.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check, then run a script in the sandbox and render its clip to OUTPUT.

    Examples: studio sandbox run edit.py -i clip.mp4 -o cut.mp4 |
    studio sandbox run edit.py -i a.mp4 -i b.mp4 --validate-only --json
    """
    from dataclasses import asdict, replace

    from sandbox.runner import Limits, run_script

    if output is None and not validate_only:
        raise ConfigError("--output is required unless --validate-only is given")
    if output is not None and output.suffix.lower() != ".mp4":
        raise typer.BadParameter(f"{output}: the render is an .mp4 file", param_hint="'--output'")
    if timeout is not None and not 0 < timeout <= _MAX_TIMEOUT_S:  # NaN fails this too
        raise typer.BadParameter(
            f"{timeout:g}: give seconds, more than 0 and at most {_MAX_TIMEOUT_S:g}",
            param_hint="'--timeout'",
        )
    source = _read(script)
    findings = _findings(source)
    if findings:
        _refuse(script, findings, as_json=as_json, err=True)
    limits = Limits.from_settings()
    if timeout is not None:
        limits = replace(limits, wall_s=timeout)
    result = run_script(source, inputs, output, limits=limits, validate_only=validate_only)
    if as_json:
        data = asdict(result)
        data["output"] = str(result.output) if result.output else None
        print_json(data)
    elif result.ok:
        what = "validated" if validate_only else f"rendered {result.output}"
        typer.echo(
            f"{what}: {result.duration_s:.2f} s, {result.width}x{result.height} "
            f"({result.elapsed_s:.1f} s in the sandbox)"
        )
    if not result.ok:
        raise SandboxRunError(f"{script}: {result.reason}")


def register(app: typer.Typer) -> None:
    """Add ``studio sandbox`` to the root app."""
    app.add_typer(sandbox_app, name="sandbox")
