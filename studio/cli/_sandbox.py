"""``studio sandbox check|run``: the edit-script policy and the isolated runner by hand.

``check`` prints every finding with its line and exits 1 when the script is refused.
``run`` checks first, then runs the script in the jail; the output file appears only
after a successful render.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from core.exceptions import ConfigError, PolicyViolation, SandboxRunError

__all__ = ["register", "sandbox_app"]

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


@sandbox_app.command("check")
def check_command(
    script: Annotated[Path, typer.Argument(help="The edit script to check.")],
) -> None:
    """Check a script against the policy; list every reason with its line number."""
    from sandbox.policy import check

    findings = check(_read(script))
    if not findings:
        typer.echo(f"{script}: allowed")
        return
    for finding in findings:
        typer.echo(f"{script}:{finding.line}: [{finding.rule}] {finding.message}")
    # A studio error: the root command prints it as one line and exits 1.
    raise PolicyViolation(
        f"{script}: refused ({len(findings)} finding(s))", [str(f) for f in findings]
    )


@sandbox_app.command("run")
def run_command(
    script: Annotated[Path, typer.Argument(help="The edit script to run.")],
    inputs: Annotated[list[Path], typer.Option("--input", help="Input clip (repeat for several).")],
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write the .mp4.")
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
    """Check, then run a script in the sandbox and render its clip to OUTPUT."""
    from dataclasses import asdict, replace

    from sandbox.runner import Limits, run_script

    if output is None and not validate_only:
        raise ConfigError("--output is required unless --validate-only is given")
    limits = Limits.from_settings()
    if timeout is not None:
        limits = replace(limits, wall_s=timeout)
    result = run_script(_read(script), inputs, output, limits=limits, validate_only=validate_only)
    if as_json:
        data = asdict(result)
        data["output"] = str(result.output) if result.output else None
        typer.echo(json.dumps(data, default=str))
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
