"""What a finished jail run left behind, as the (trusted) parent reads it.

The child's output is drained by ``TailReader``, which keeps only its last bytes; the
result file is parsed by ``parse_result`` into the fields the parent uses, each of the
expected type and range; ``exit_reason`` says in one line why a run that left no result
ended (a CPU budget, a kill, a signal).
"""

from __future__ import annotations

import json
import math
import re
import signal
import threading
from io import BufferedReader

__all__ = [
    "CPU_EXIT",
    "TailReader",
    "as_float",
    "as_int",
    "exit_reason",
    "last_lines",
    "parse_result",
]

CPU_EXIT = 152  # 128 + SIGXCPU: the harness's exit when a CPU budget runs out


def last_lines(text: str, lines: int = 15) -> str:
    """The last ``lines`` lines of ``text``."""
    return "\n".join(text.strip().splitlines()[-lines:])


class TailReader(threading.Thread):
    """Drains a pipe to its end, keeping only the last ``cap`` bytes."""

    def __init__(self, stream: BufferedReader, cap: int) -> None:
        super().__init__(daemon=True)
        self.stream, self.cap = stream, cap
        self.tail = bytearray()
        self.total = 0

    def run(self) -> None:
        """Read until the writer closes the pipe."""
        while chunk := self.stream.read1(65536):
            self.total += len(chunk)
            self.tail += chunk
            if len(self.tail) > self.cap:
                del self.tail[: len(self.tail) - self.cap]


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
    stage = re.search(r"CPU-time limit reached during (edit\(\)|the render)", text)
    if stage:
        budget = f"{edit_cpu_s:g}" if stage.group(1) == "edit()" else "its"
        return f"CPU-time limit exceeded in {stage.group(1)} ({budget} s budget)"
    if code > 128:  # bwrap reports a child killed by a signal as 128 + the signal
        code = 128 - code
    if code in (CPU_EXIT, -signal.SIGXCPU):
        return f"CPU-time limit exceeded ({cpu_s} s)"
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
