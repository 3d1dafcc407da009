"""The ``studio`` command line.

Each area registers its commands from its own module (``_tier``, ``_gateway``,
``_footage``, ``_sandbox``, ``_job``, ``_ops``, ``_library``, ``_config``) so the root stays
a table of contents; what they share lives in ``_output``. Heavy libraries (Prefect, litellm,
OpenCV) are imported inside commands, never here, so ``studio --help`` stays fast.

Exit codes: 0 success, 1 the command failed (one ``error: ...`` line), 2 usage error
(typer's own message), 130 interrupted by Ctrl-C.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from core.exceptions import StudioError
from studio.cli._output import debug_enabled, error_line, interrupt_line

__all__ = ["app", "main"]

app = typer.Typer(
    name="studio",
    help="Animation AI Studio: run creative jobs, analyse footage, manage the inference tier.",
    epilog="Examples: studio run examples/job.yaml | studio footage probe clip.mp4 --json | "
    "studio config",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Accepted after any command too (stripped before parsing); the root options document them.
_ANYWHERE = {"--debug": "STUDIO_DEBUG", "--quiet": "STUDIO_QUIET"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("animation-ai-studio")
    except PackageNotFoundError:
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"studio {_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(
        False, "--debug", help="Show full tracebacks on errors (anywhere; or STUDIO_DEBUG=1)."
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress output (anywhere; or STUDIO_QUIET=1)."
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    del version
    if debug:
        os.environ["STUDIO_DEBUG"] = "1"
    if quiet:
        os.environ["STUDIO_QUIET"] = "1"


def _register_all() -> None:
    # Imported here so a broken area cannot break `studio --help` for the others at import.
    from studio.cli import _config, _footage, _gateway, _job, _library, _ops, _sandbox, _tier

    for module in (_tier, _gateway, _footage, _sandbox, _job, _ops, _library, _config):
        module.register(app)
    _no_python_types_for_list_arguments()


def _no_python_types_for_list_arguments() -> None:
    """Show a variadic argument as ``<path>...``: typer prints its Python type, ``<list[Path]>``."""
    from pathlib import PurePath
    from typing import get_args

    from typer.core import TyperArgument

    original = TyperArgument.display_type_rich
    if getattr(original, "studio", False):
        return

    def display(self: TyperArgument, ctx: Any) -> str | None:
        described = getattr(self, "type_descriptor", None)
        if not getattr(described, "is_list", False) or getattr(described, "is_choice", True):
            return original(self, ctx)
        element = (*get_args(getattr(described, "annotation", None)), str)[0]
        path = isinstance(element, type) and issubclass(element, PurePath)
        return f"<{'path' if path else getattr(element, '__name__', 'value').lower()}>..."

    display.studio = True  # type: ignore[attr-defined]
    TyperArgument.display_type_rich = display  # type: ignore[method-assign,assignment]


def _take_global_flags(argv: list[str]) -> list[str]:
    """Remove ``--debug``/``--quiet`` wherever they are (before ``--``) and set their env."""
    kept: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--":
            return kept + argv[index:]
        if arg in _ANYWHERE:
            os.environ[_ANYWHERE[arg]] = "1"
        else:
            kept.append(arg)
    return kept


def main() -> None:
    """Entry point: run the app with conventional exit codes and one-line errors."""
    argv = _take_global_flags(sys.argv[1:])
    _register_all()
    try:
        # standalone mode: typer prints usage errors itself (exit 2) and maps Ctrl-C to 130.
        app(args=argv, prog_name="studio")
    except SystemExit as exc:
        if exc.code == 130:
            print(interrupt_line(argv), file=sys.stderr)
        raise
    except KeyboardInterrupt:
        print(interrupt_line(argv), file=sys.stderr)
        sys.exit(130)
    except StudioError as exc:
        if debug_enabled():
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:
        if debug_enabled():
            raise
        print(error_line(exc), file=sys.stderr)
        sys.exit(1)
