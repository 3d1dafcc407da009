"""The live display of long multi-step work (``studio run``, ``studio analyze``) on stderr.

Three kinds of news reach it: a new step (one line each, always), counted work (scenes
analysed, frames decoded, clips done: ``count(what, done, total)``) and tokens arriving
from the model (``tokens(pieces)``). On a terminal it is a rich display under the step
lines: a spinner on the current step, a bar per unfinished count and a token counter with
its rate (rich honours ``NO_COLOR`` and ``TERM=dumb``). Otherwise it is plain lines: a
count gets a line only when nothing was said for ``_EVERY_S``, and a step silent for
``_HEARTBEAT_S`` gets a "still" line with the counts and tokens so far, so a log never goes
quiet for minutes and never floods. Nothing with ``--quiet``.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from studio.cli._output import quiet_enabled

__all__ = ["Board", "live"]

_EVERY_S = 5.0
_HEARTBEAT_S = 30.0


def _fraction(done: int, total: int | None) -> str:
    if not total:
        return f"{done}"
    return f"{done}/{total}" + (f" ({100 * done / total:.0f}%)" if total > 100 else "")


class Board:
    """What the display knows; the base class shows nothing (``--quiet``)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, tuple[int, int | None]] = {}
        self.pieces = 0
        self.first_piece = 0.0

    def step(self, message: str) -> None:
        """A new step: one line."""

    def count(self, what: str, done: int, total: int | None = None) -> None:
        """``done`` of ``total`` units of ``what`` (finished counts leave the display)."""
        with self.lock:
            self.counts[what] = (done, total)
        self._counted(what, done, total)

    def tokens(self, pieces: int) -> None:
        """``pieces`` more streamed tokens from the model."""
        with self.lock:
            self.first_piece = self.first_piece or time.monotonic()
            self.pieces += pieces
        self._streamed()

    def token_text(self) -> str:
        """``N tokens (R/s)``: what the model has streamed so far."""
        seconds = time.monotonic() - self.first_piece if self.first_piece else 0.0
        rate = f" ({self.pieces / seconds:.1f}/s)" if seconds >= 1 else ""
        return f"{self.pieces} tokens{rate}"

    def _counted(self, what: str, done: int, total: int | None) -> None:
        pass

    def _streamed(self) -> None:
        pass


class _Plain(Board):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix
        self.latest, self.started, self.said = "starting", time.monotonic(), time.monotonic()

    def _line(self, text: str) -> None:
        self.said = time.monotonic()
        print(f"{self.prefix} {text}", file=sys.stderr, flush=True)

    def step(self, message: str) -> None:
        self.latest, self.started = message, time.monotonic()
        self._line(message)

    def _counted(self, what: str, done: int, total: int | None) -> None:
        if done and time.monotonic() - self.said >= _EVERY_S:
            self._line(f"{what}: {_fraction(done, total)}")

    def heartbeat(self) -> None:
        now = time.monotonic()
        if now - self.said < _HEARTBEAT_S:
            return
        with self.lock:
            news = [f"{w} {_fraction(d, t)}" for w, (d, t) in self.counts.items() if d != t]
        if self.pieces:
            news.append(self.token_text())
        extra = "".join(f"; {item}" for item in news)
        self._line(f"still {self.latest.rstrip('. ')} ({now - self.started:.0f} s{extra})")


class _Rich(Board):
    def __init__(self, prefix: str, bar: Any) -> None:
        super().__init__()
        self.prefix, self.bar = prefix, bar
        self.current = bar.add_task("starting...", total=None, detail="")
        self.tasks: dict[str, Any] = {}

    def step(self, message: str) -> None:
        self.bar.console.print(f"{self.prefix} {message}", markup=False, highlight=False)
        self.bar.reset(self.current, description=message)

    def _counted(self, what: str, done: int, total: int | None) -> None:
        with self.lock:
            task = self.tasks.get(what)
            if total is not None and done >= total:
                if task is not None:
                    self.bar.remove_task(self.tasks.pop(what))
                return
            if task is None:
                task = self.tasks[what] = self.bar.add_task(what, total=total, detail="")
        self.bar.update(task, completed=done, total=total, detail=_fraction(done, total))

    def _streamed(self) -> None:
        with self.lock:
            task = self.tasks.get("")
            if task is None:
                task = self.tasks[""] = self.bar.add_task("from the model", total=None, detail="")
        self.bar.update(task, detail=self.token_text())


@contextlib.contextmanager
def live(prefix: str = "[studio]") -> Iterator[Board]:
    """Show steps, counts and streamed tokens on stderr while the block runs."""
    if quiet_enabled():
        yield Board()
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            yield _Rich(prefix, bar)
        return
    board = _Plain(prefix)
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(min(1.0, _HEARTBEAT_S)):
            board.heartbeat()

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield board
    finally:
        stop.set()
