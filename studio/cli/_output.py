"""What every command shares: the debug/quiet switches, JSON output, progress and error lines.

Conventions (issue 19): results go to stdout, everything else (progress, notes, errors) to
stderr; ``--json`` prints one JSON document on stdout; progress is a rich bar or spinner only
when stderr is a terminal, and a few plain lines otherwise; ``--quiet`` hides progress.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol

__all__ = [
    "debug_enabled",
    "error_line",
    "interrupt_line",
    "print_json",
    "progress",
    "quiet_enabled",
    "set_interrupt_note",
]


class Update(Protocol):
    """``update(done, total=None)``: report progress (``total`` when it becomes known)."""

    def __call__(self, done: float, total: float | None = None) -> None: ...


_FALSE = ("", "0", "false", "no", "off")
# Plain (non-terminal) progress: first line after this long, then at most one per period.
_ANNOUNCE_AFTER_S = 2.0
_EVERY_S = 5.0
# What a command leaves behind when Ctrl-C stops it (said in the "interrupted" line).
_interrupt_note: list[str] = []


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in _FALSE


def debug_enabled() -> bool:
    """True with ``--debug`` (anywhere on the command line) or ``STUDIO_DEBUG=1``."""
    return _flag("STUDIO_DEBUG")


def quiet_enabled() -> bool:
    """True with ``--quiet`` or ``STUDIO_QUIET=1``: no progress output."""
    return _flag("STUDIO_QUIET")


def print_json(data: Any) -> None:
    """Print ``data`` as the command's one JSON document on stdout (the one style for all).

    Indented for a person at a terminal; one line when piped, so the last line of stdout
    is always the whole document (as ``studio run --json`` promises).
    """
    indent = 2 if sys.stdout.isatty() else None
    print(json.dumps(data, indent=indent, default=str), flush=True)


def _noop(done: float, total: float | None = None) -> None:
    del done, total


@contextlib.contextmanager
def progress(label: str, total: float | None = None, *, unit: str = "") -> Iterator[Update]:
    """Show progress of long work on stderr; yield ``update(done, total=None)``.

    A rich bar (or a spinner while ``total`` is unknown) when stderr is a terminal; plain
    lines after 2 s and then at most every 5 s otherwise, so logs stay short; nothing with
    ``--quiet``.
    """
    if quiet_enabled():
        yield _noop
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        # rich honours NO_COLOR and TERM=dumb itself.
        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
        columns += [MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)

            def update(done: float, total: float | None = None) -> None:
                bar.update(task, completed=done, total=total or bar.tasks[0].total)

            yield update
        return
    # Not a terminal: one line once the work has lasted 2 s (quick commands, and their
    # one-line errors, stay unadorned), then at most one line every 5 s.
    announce = threading.Timer(
        _ANNOUNCE_AFTER_S, print, (f"{label}...",), {"file": sys.stderr, "flush": True}
    )
    announce.daemon = True
    announce.start()
    last = [time.monotonic()]
    known = [total]

    def plain(done: float, total: float | None = None) -> None:
        known[0] = total or known[0]
        now = time.monotonic()
        if now - last[0] < _EVERY_S:
            return
        last[0] = now
        where = f"{100 * done / known[0]:.0f}%" if known[0] else f"{done:g}{unit}"
        print(f"{label}: {where}", file=sys.stderr, flush=True)

    try:
        yield plain
    finally:
        announce.cancel()


def set_interrupt_note(note: str) -> None:
    """Say what Ctrl-C leaves behind for the running command (e.g. what a rerun resumes)."""
    _interrupt_note[:] = [note]


def interrupt_line(argv: list[str]) -> str:
    """The one line printed on Ctrl-C: what was interrupted and what was left."""
    words = [a for a in argv if not a.startswith("-")][:2]
    what = " ".join(["studio", *words])
    return f"interrupted: {what}" + (f"; {_interrupt_note[0]}" if _interrupt_note else "")


def _connection_url(exc: BaseException) -> str | None:
    """The URL of a refused connection anywhere in the cause chain (httpx, requests, redis)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return None
        names = {cls.__name__ for cls in type(seen).__mro__}
        if names & {"ConnectError", "ConnectionError", "ConnectTimeout"}:
            request = None
            with contextlib.suppress(Exception):  # httpx raises when no request is attached
                request = getattr(seen, "request", None)
            url = getattr(request, "url", None)
            if url is not None:
                return str(url).split("?", 1)[0]  # the query (tokens, ids) is noise here
        seen = seen.__cause__ or seen.__context__
    return None


def error_line(exc: BaseException) -> str:
    """One line for an unexpected error; a refused connection names the URL and the fix."""
    url = _connection_url(exc)
    if url is not None:
        if "/api/" in url:
            fix = "start the Prefect server with `studio up`, or set PREFECT_API_URL"
        else:
            fix = "is the service running? see `studio status` and `studio tier status`"
        return f"error: cannot connect to {url}: {exc}; {fix}"
    return f"error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
