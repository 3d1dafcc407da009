"""The CPU tier's server process as the operating system sees it.

:class:`inference.cpu_tier.CpuTier` decides when to start, wait for and stop the llama.cpp
server; the facts it decides on come from here: whether a pid is alive and a llama.cpp server,
whether a port is taken, the last line of the server's log, and stopping a pid (TERM, then
KILL). Kept apart so the lifecycle reads as decisions, not ``os.kill`` and ``/proc`` details.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

__all__ = ["is_llama", "last_log_line", "pid_alive", "port_in_use", "stop_pid"]

_SERVERS = (b"inference._llama_server", b"llama_cpp.server")  # module names on a command line


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie child of ours is reaped and reads as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still "exists"; reap it if it is ours so it reads as dead.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return is_llama(pid)


def is_llama(pid: int) -> bool:
    """Whether ``pid`` runs a llama.cpp server (a reused pid must not be taken for ours).

    Ours is ``inference._llama_server``; a plain ``llama_cpp.server`` started by an earlier
    release counts too, so that it is stopped rather than left holding the port.
    """
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return any(name in cmdline for name in _SERVERS)


def port_in_use(host: str, port: int) -> bool:
    """Whether something accepts connections on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def last_log_line(path: Path) -> str:
    """The last non-empty line of a log file ('' if none)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 8192))
            lines = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        if line.strip():
            return line.strip()
    return ""


def stop_pid(pid: int, grace_s: float = 10.0) -> None:
    """SIGTERM ``pid``, SIGKILL it if it outlives ``grace_s``, and wait up to 5 s for it to go."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and pid_alive(pid):
        time.sleep(0.1)
