"""Wait for the machine to be quiet before a timed part starts.

A part leaves work behind when it returns: a Prefect server still recording the events of the
last few hundred task runs, a fleet's processes and database going down. Measured at once, the
next part shares the cores with that backlog (the gateway's p99 read 280 ms right after the
Prefect parts, 17 ms alone; the batch's Prefect API CPU per request 31 ms, 8 ms alone). So
every timed part starts only once the whole machine has been nearly idle for a second, read
from ``/proc/stat`` (Linux), or after ``max_s`` at most.
"""

from __future__ import annotations

import time
from pathlib import Path

__all__ = ["wait_until_quiet"]

_WINDOW_S = 0.5
_BUSY = 0.10  # at most this share of every core's time busy counts as quiet


def _cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of all cores since boot; None where /proc/stat is missing."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle, total


def wait_until_quiet(max_s: float = 60.0) -> float:
    """Return once two windows in a row were nearly idle (or ``max_s`` passed): seconds waited."""
    started = time.perf_counter()
    quiet = 0
    last = _cpu_times()
    if last is None:
        return 0.0
    while quiet < 2 and time.perf_counter() - started < max_s:
        time.sleep(_WINDOW_S)
        now = _cpu_times()
        if now is None:
            break
        busy, total = now[0] - last[0], now[1] - last[1]
        quiet = quiet + 1 if total > 0 and busy / total <= _BUSY else 0
        last = now
    return time.perf_counter() - started
