"""The ``studio`` command line.

Each area registers its commands from its own module (``_tier``, ``_gateway``,
``_footage``, ``_sandbox``, ``_job``, ``_ops``) so the root stays a table of contents.
Heavy libraries (Prefect, litellm, OpenCV) are imported inside commands, never here,
so ``studio --help`` stays fast.
"""

from __future__ import annotations

import os
import sys

import typer

from core.exceptions import StudioError

__all__ = ["app", "main"]

app = typer.Typer(
    name="studio",
    help="Animation AI Studio: run creative jobs, analyse footage, manage the inference tier.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    if debug:
        os.environ["STUDIO_DEBUG"] = "1"


def _register_all() -> None:
    # Imported here so a broken area cannot break `studio --help` for the others at import.
    from studio.cli import _footage, _gateway, _job, _ops, _sandbox, _tier

    for module in (_tier, _gateway, _footage, _sandbox, _job, _ops):
        module.register(app)


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("STUDIO_DEBUG", "") not in ("", "0", "false")


def main() -> None:
    """Entry point: run the app, turning studio errors into one line on stderr."""
    _register_all()
    try:
        app(standalone_mode=False)
    except StudioError as exc:
        if _debug_requested(sys.argv):
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.Abort:
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if _debug_requested(sys.argv):
            raise
        print(
            f"error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
            file=sys.stderr,
        )
        sys.exit(1)
