"""A ``studio worker`` that a test (or a benchmark) starts, SIGKILLs and stops itself."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from core.settings import Settings
from tests.conftest import FOOTAGE_DIR

__all__ = ["Worker"]


def _descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (children first found, grandchildren after)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Worker:
    """``studio worker`` for the fault pool, in its own session, logging to ``log``.

    ``kill()`` SIGKILLs the worker and every process under it (its flow runs too), as when
    the machine or container running it dies; ``stop()`` shuts it down in order.
    """

    def __init__(self, settings: Settings, env: dict[str, str], log: Path) -> None:
        from studio import stack

        full = stack.prefect_env(settings)
        full.update(
            {
                "PREFECT_WORKER_QUERY_SECONDS": "1",
                "PREFECT_WORKER_PREFETCH_SECONDS": "5",
                "STUDIO_FOOTAGE_ROOTS": f"{FOOTAGE_DIR},{log.parent}",
                "STUDIO_OUTPUT_ROOT": str(log.parent),
                "PYTHONPATH": str(stack.REPO_DIR),
                **env,
            }
        )
        self.log = log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from studio.cli import main; main()",
                    "worker",
                    "--pool",
                    settings.work_pool,
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=full,
                cwd=stack.REPO_DIR,
                start_new_session=True,
            )

    def kill(self) -> list[int]:
        """SIGKILL the worker and everything it started; returns the pids killed."""
        pids = [self.proc.pid, *_descendants(self.proc.pid)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(30)
        return pids

    def stop(self) -> None:
        """SIGTERM (the worker forwards it), then SIGKILL whatever is left of the tree."""
        if self.proc.poll() is None:
            left = _descendants(self.proc.pid)
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(20)
            for pid in [self.proc.pid, *left, *_descendants(self.proc.pid)]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)

    def tail(self, lines: int = 40) -> str:
        """The worker log's last lines, for an assertion message."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.log} ---\n" + "\n".join(text.splitlines()[-lines:])
