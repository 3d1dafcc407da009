"""What a finished jail run left behind, as the (trusted) parent reads it.

The child's output is drained by ``TailReader``, which keeps only its last bytes and the
latest ``frames n/m`` progress line the harness wrote (display-only: the script could
write one too, so nothing but a display may use it); the result file is parsed by
``parse_result`` into the fields the parent uses, each of the expected type and range;
``exit_reason`` says in one line why a run that left no result ended (a CPU budget, a
kill, a signal). ``RunResult`` is what the caller of ``sandbox.runner`` gets back.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BufferedReader
from pathlib import Path

__all__ = [
    "CPU_EXIT",
    "POLL_S",
    "Progress",
    "ProgressRelay",
    "RunResult",
    "TailReader",
    "as_float",
    "as_int",
    "exit_reason",
    "last_lines",
    "parse_result",
    "wait_reporting",
    "without_progress",
]

CPU_EXIT = 152  # 128 + SIGXCPU: the harness's exit when a CPU budget runs out
# A whole line ``frames n/m``: matched only at a line start (the buffer starts at one).
_PROGRESS = re.compile(rb"^frames (\d{1,9})/(\d{1,9})\n", re.MULTILINE)
_PROGRESS_TEXT = re.compile(r"(?:\n+frames \d{1,9}/\d{1,9}(?=\n))+")
_CARRY_CAP = 32  # a partial line longer than this cannot be a progress line
POLL_S = 0.25  # how often the render's progress reaches the callback (at most)

# ``(frames written, frames in all)`` of the render, for a display only.
Progress = Callable[[int, int], None]


@dataclass
class RunResult:
    """What a sandboxed run produced.

    Attributes:
        ok: True when the script ran (and, unless validate-only, the render succeeded).
        output: Destination path of the render (None when validate-only or failed).
        duration_s: Duration of the returned clip (probed from the file after a render).
        reason: One-line reason when not ok.
        log_tail: Last lines of the child's stderr, for repair prompts and debugging.
        width: Frame width of the returned clip, when known.
        height: Frame height of the returned clip, when known.
        elapsed_s: Wall time of the child process.
    """

    ok: bool
    output: Path | None
    duration_s: float | None
    reason: str | None
    log_tail: str = ""
    width: int | None = None
    height: int | None = None
    elapsed_s: float = 0.0
    details: dict[str, object] = field(default_factory=dict)


def last_lines(text: str, lines: int = 15) -> str:
    """The last ``lines`` lines of ``text``."""
    return "\n".join(text.strip().splitlines()[-lines:])


def without_progress(text: str) -> str:
    """``text`` without the harness's ``frames n/m`` lines (they say nothing about errors)."""
    return _PROGRESS_TEXT.sub("", text)


class TailReader(threading.Thread):
    """Drains a pipe to its end, keeping only the last ``cap`` bytes.

    ``progress`` is the latest well-formed ``frames n/m`` line (``0 <= n <= m <=
    max_frames``), or None: a ``(done, total)`` tuple, replaced whole, so another thread
    may read it at any time. Scanning costs one regex pass per chunk and keeps at most
    ``_CARRY_CAP`` bytes of a partial line, however the output is shaped.
    """

    def __init__(self, stream: BufferedReader, cap: int, max_frames: int = 0) -> None:
        super().__init__(daemon=True)
        self.stream, self.cap, self.max_frames = stream, cap, max_frames
        self.tail = bytearray()
        self.total = 0
        self.progress: tuple[int, int] | None = None
        self._carry = b""  # the partial last line, when it is short (it starts a line)

    def run(self) -> None:
        """Read until the writer closes the pipe."""
        while chunk := self.stream.read1(65536):
            self.total += len(chunk)
            self.tail += chunk
            if len(self.tail) > self.cap:
                del self.tail[: len(self.tail) - self.cap]
            if self.max_frames:
                self._scan(chunk)

    def _scan(self, chunk: bytes) -> None:
        buffer = self._carry + chunk
        latest = None
        for match in _PROGRESS.finditer(buffer):
            done, total = int(match.group(1)), int(match.group(2))
            if 0 < total <= self.max_frames and done <= total:
                latest = (done, total)
        if latest is not None:
            self.progress = latest
        rest = buffer[buffer.rfind(b"\n") + 1 :]
        # Too long to be progress: "x" keeps the next chunk's start from looking like a line.
        self._carry = rest if len(rest) <= _CARRY_CAP else b"x"


@dataclass
class ProgressRelay:
    """Passes the reader's latest progress to a display callback, once per change."""

    progress: Progress | None
    reader: TailReader
    last: tuple[int, int] | None = None

    def update(self) -> None:
        """Call back with the latest progress if it changed (errors ignored)."""
        latest = self.reader.progress
        if self.progress is not None and latest is not None and latest != self.last:
            self.last = latest
            with contextlib.suppress(Exception):  # a display never breaks the run
                self.progress(*latest)


def wait_reporting(proc: subprocess.Popen[bytes], deadline: float, shown: ProgressRelay) -> bool:
    """Wait for the child until ``deadline``, passing on new progress; False on timeout."""
    while True:
        left = deadline - time.monotonic()
        step = min(left, POLL_S) if shown.progress is not None else left
        try:
            proc.wait(timeout=max(0.0, step))
            return True
        except subprocess.TimeoutExpired:
            if left <= 0:
                return False
        shown.update()


def parse_result(raw: bytes | None) -> dict[str, object]:
    """Keep only the fields the parent uses, each of the expected type and range."""
    if not raw:  # none written (the result file exists from the start, empty)
        return {}
    try:
        loaded = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return {"ok": False, "error": "the sandbox left an unreadable result"}
    if not isinstance(loaded, dict):
        return {"ok": False, "error": "the sandbox left an unreadable result"}
    parsed: dict[str, object] = {"ok": loaded.get("ok") is True}
    if loaded.get("stage") in ("setup", "script"):
        parsed["stage"] = loaded["stage"]
    if isinstance(loaded.get("error"), str):
        parsed["error"] = " ".join(loaded["error"].split())[:500]
    where = loaded.get("where")
    if isinstance(where, list):
        parsed["where"] = [" ".join(str(w).split())[:200] for w in where[:2]]
    for key in ("duration_s", "fps"):
        value = loaded.get(key)
        if isinstance(value, int | float) and math.isfinite(value) and value > 0:
            parsed[key] = float(value)
    for key in ("width", "height"):
        value = loaded.get(key)
        if isinstance(value, int) and 0 < value <= 8192:
            parsed[key] = value
    if "samples" in loaded:
        parsed["samples"] = loaded["samples"]  # checked by sandbox.samples.parse_samples
    return parsed


def exit_reason(code: int, cpu_s: float, edit_cpu_s: float, text: str) -> str:
    """Why a run that left no result ended, from its exit code and output."""
    stage = re.search(
        r"CPU-time limit reached during (edit\(\)|the render)(?: after (\d{1,6}\.\d) CPU s)?",
        text,
    )
    if stage:
        budget = f"{edit_cpu_s:g}" if stage.group(1) == "edit()" else "its"
        used = f", stopped after {stage.group(2)} CPU s" if stage.group(2) else ""
        return f"CPU-time limit exceeded in {stage.group(1)} ({budget} s budget{used})"
    if code > 128:  # bwrap reports a child killed by a signal as 128 + the signal
        code = 128 - code
    if code in (CPU_EXIT, -signal.SIGXCPU):
        return f"CPU-time limit exceeded ({cpu_s} s)"
    if code == -signal.SIGPROF:  # the harness's backstop: see _cpu_budget there
        return "CPU-time limit exceeded: killed 1 CPU s past its budget, inside one long call"
    if code == -signal.SIGKILL:
        return "killed (CPU hard limit or out of memory)"
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"sandbox process exited with status {code}: {last_lines(text, 1)}"


def as_float(value: object) -> float | None:
    """``value`` as a float when it is a number."""
    return float(value) if isinstance(value, int | float) else None


def as_int(value: object) -> int | None:
    """``value`` as an int when it is a number."""
    return int(value) if isinstance(value, int | float) else None
