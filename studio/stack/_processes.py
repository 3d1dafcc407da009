"""The stack's processes: pid files, logs, sessions.

Each process is started in its own session with a pid file and a log, and recognised on
later calls by pid *and* command line, so a recycled pid is never taken for ours.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from studio.stack._env import REPO_DIR, StackPaths

__all__ = ["DB_NOTE", "SERVER", "TIER_MARK", "WORKER", "port_open", "read_pid", "spawn", "stop"]

SERVER = "prefect-server"
WORKER = "worker"
TIER_MARK = "tier.started"
# What the running server's database is (one printable line, no password), for `status`.
DB_NOTE = "prefect-server.database"


def read_pid(pid_file: Path, marker: str) -> int | None:
    """The pid in ``pid_file`` when that process is alive and its command line holds ``marker``."""
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, ValueError):
        return None
    return pid if marker in cmdline else None


def spawn(name: str, argv: Sequence[str], env: dict[str, str], paths: StackPaths) -> int:
    """Start ``argv`` in its own session, logging to ``<logs>/<name>.log``; returns its pid."""
    paths.run.mkdir(parents=True, exist_ok=True)
    paths.logs.mkdir(parents=True, exist_ok=True)
    with open(paths.logs / f"{name}.log", "ab") as log:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO_DIR,
            start_new_session=True,
        )
    (paths.run / f"{name}.pid").write_text(f"{proc.pid}\n")
    return proc.pid


def stop(pid: int, timeout: float = 15.0) -> None:
    """Stop a process ``spawn`` started, then whatever is left of its session."""
    # SIGTERM to the leader only: it forwards to its children and shuts them down in order
    # (a group-wide signal would reach the Prefect worker twice and make it escalate).
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # Reap it if it is our child (the tests start and stop in one process).
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    # Whatever is left of the session (a stuck leader, orphaned flow runs) goes now.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def prefect_bin() -> str:
    """The ``prefect`` executable beside this Python, else the one on ``PATH``."""
    candidate = Path(sys.executable).with_name("prefect")
    return str(candidate) if candidate.exists() else "prefect"


def studio_argv(*args: str) -> list[str]:
    """The command line of ``studio *args`` run by this Python."""
    return [sys.executable, "-c", "from studio.cli import main; main()", *args]


def port_open(host: str, port: int) -> bool:
    """Whether something accepts connections on ``host:port``."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
