"""The filesystem and namespaces an edit script runs in: a bubblewrap (``bwrap``) jail.

The jail's root is an empty tmpfs. Into it, read-only, go only (``sandbox.runtime`` lists
the runtime part):

* the Python runtime (``sys.base_prefix``) at its own path, and the system libraries it and
  ffmpeg link against (``/usr/lib``, ``/lib*`` links, ``/etc/ld.so.cache``), plus fonts;
* the installed distributions MoviePy needs (its dependency closure, one bind per
  top-level package) under ``/sandbox/lib`` -- not the rest of site-packages, not the repo;
* the ffmpeg binary at ``/sandbox/bin/ffmpeg`` and the harness (``_harness.py``,
  ``_handed.py``, ``_startup.py`` and ``_checks.py``) under ``/sandbox/trusted``;
* the inputs at ``/in/<n>.<ext>``; the script and the job description in ``/job``;

and, writable, only the files the parent created for the run (``SCRATCH_FILES``: the
render, the temporary audio file and the result), bound one by one. No directory is
writable, so a script can create no file at all (no flood of small files) and can fill
only those, each up to ``RLIMIT_FSIZE``. There is no ``/proc``, ``/tmp``,
``/home``, ``/root`` (beyond the runtime's own path), ``/work`` or ``/var``, and ``/etc``
holds only the loader cache. Namespaces: pid, net (no interfaces but a down loopback),
ipc, uts, cgroup; a seccomp filter (``sandbox._seccomp``) denies mount/ptrace/namespace/
keyring/module syscalls. As root, bwrap keeps only CAP_SETUID/CAP_SETGID so the harness
can become ``nobody`` before any script runs; as any other user it runs in a user
namespace with every capability gone and nested user namespaces disabled.

Without bwrap the sandbox fails closed with a one-line error: there is no degraded mode.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from core.exceptions import SandboxRunError

from ._seccomp import filter_program
from .runtime import JAIL_FFMPEG, JAIL_HARNESS, Jail, runtime_view

__all__ = [
    "JAIL_IN",
    "JAIL_JOB",
    "SCRATCH_FILES",
    "Jail",
    "ensure_jail",
    "environment",
    "jail_command",
    "limited",
    "runtime_view",
    "seccomp_fd",
]

JAIL_JOB = "/job"
JAIL_IN = "/in"
#: Host scratch file -> its jail path, read-only (written by the parent).
JOB_FILES = {"edit_script.py": f"{JAIL_JOB}/edit_script.py", "job.json": f"{JAIL_JOB}/job.json"}
#: Host scratch file -> its jail path, writable: the only things the jail can write.
SCRATCH_FILES = {
    "result.json": f"{JAIL_JOB}/result.json",
    "render.mp4": f"{JAIL_JOB}/out/render.mp4",
    "audio.m4a": f"{JAIL_JOB}/out/audio.m4a",
}
_NAMESPACES_AS_ROOT = (
    "--unshare-ipc",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--cap-drop",
    "ALL",
    "--cap-add",
    "CAP_SETUID",
    "--cap-add",
    "CAP_SETGID",
)
_NAMESPACES_AS_USER = ("--unshare-all", "--unshare-user", "--disable-userns")


def _directories(destinations: list[str]) -> list[str]:
    """Ancestors bwrap must create, world-traversable (it copies host modes otherwise)."""
    bound = set(destinations)
    needed: set[str] = set()
    for destination in destinations:
        for parent in Path(destination).parents:
            if str(parent) != "/" and str(parent) not in bound:
                needed.add(str(parent))
    return sorted(needed, key=lambda p: (p.count("/"), p))


def _view_args(view: Jail, binds: list[tuple[str, str]], extra: list[str]) -> list[str]:
    binds = [*view.binds, *binds]
    args = ["--tmpfs", "/", "--dev", "/dev"]
    for directory in _directories([d for _, d in binds] + [d for _, d in view.links] + extra):
        args += ["--perms", "0755", "--dir", directory]
    for host, destination in sorted(binds, key=lambda item: item[1].count("/")):
        args += ["--ro-bind", host, destination]
    for target, destination in view.links:
        args += ["--symlink", target, destination]
    for directory in view.hidden:
        args += ["--tmpfs", directory, "--remount-ro", directory]
    return args


def jail_command(scratch: Path, inputs: list[tuple[Path, str]], seccomp: int | None) -> list[str]:
    """The full ``bwrap ... python harness`` command line for one run.

    Args:
        scratch: Host scratch directory holding ``JOB_FILES`` and ``SCRATCH_FILES``.
        inputs: ``(host file, name under /in)`` pairs, bound read-only.
        seccomp: A readable fd holding the BPF program, or None for no filter.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxRunError(
            "cannot isolate edit scripts: bubblewrap is not installed (apt-get install bubblewrap)"
        )
    view = runtime_view()
    binds = [(str(host), f"{JAIL_IN}/{name}") for host, name in inputs]
    command = [bwrap, *(_NAMESPACES_AS_ROOT if os.geteuid() == 0 else _NAMESPACES_AS_USER)]
    command += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    binds += [(str(scratch / name), dest) for name, dest in JOB_FILES.items()]
    command += _view_args(view, binds, list(SCRATCH_FILES.values()))
    for name, dest in SCRATCH_FILES.items():
        command += ["--bind", str(scratch / name), dest]
    command += ["--chdir", JAIL_JOB]
    # Read-only root and /dev: no memory-backed place (/dev/shm included) to fill, and no
    # writable directory anywhere.
    command += ["--remount-ro", "/", "--remount-ro", "/dev"]
    if seccomp is not None:
        command += ["--seccomp", str(seccomp)]
    # -S: no site-packages but /sandbox/lib (the harness puts it on sys.path itself).
    command += ["--", view.python, "-I", "-S", "-B", JAIL_HARNESS, f"{JAIL_JOB}/job.json"]
    return command


def environment() -> dict[str, str]:
    """The child's whole environment (nothing of the parent's is passed on)."""
    return {
        "PATH": "/sandbox/bin",
        "HOME": JAIL_JOB,
        "TMPDIR": JAIL_JOB,
        "LANG": "C.UTF-8",
        # MoviePy runs ffmpeg once at import to check an explicit FFMPEG_BINARY; left
        # unset, it asks imageio, which takes IMAGEIO_FFMPEG_EXE as it is: no process.
        "IMAGEIO_FFMPEG_EXE": JAIL_FFMPEG,
        # Thread pools count against RLIMIT_NPROC and RLIMIT_AS: keep them to one.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def limited(
    command: list[str], *, cpu_s: int, memory_bytes: int, file_bytes: int, processes: int
) -> list[str]:
    """``command`` under the run's rlimits, set by util-linux ``prlimit`` before it execs.

    Not ``preexec_fn``: Python code between fork and exec can deadlock on a lock another
    thread held at fork time, and flows render from several threads at once.
    """
    prlimit = shutil.which("prlimit") or "/usr/bin/prlimit"  # util-linux: on every Debian
    return [
        prlimit,
        f"--cpu={cpu_s}:{cpu_s + 5}",
        f"--as={memory_bytes}",
        f"--fsize={file_bytes}",
        f"--nproc={processes}",
        "--core=0",
        "--",
        *command,
    ]


def seccomp_fd() -> int | None:
    """A pipe's read end holding the BPF program (the caller passes it on and closes it)."""
    program = filter_program()
    if program is None:
        return None
    read, write = os.pipe()
    os.write(write, program)  # a few hundred bytes: fits the pipe buffer
    os.close(write)
    return read


@lru_cache(maxsize=1)
def ensure_jail() -> None:
    """Fail closed, with one line, when bwrap cannot build the jail on this machine.

    Raises:
        SandboxRunError: bwrap is missing or cannot create the namespaces.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxRunError(
            "cannot isolate edit scripts: bubblewrap is not installed (apt-get install bubblewrap)"
        )
    flags = _NAMESPACES_AS_ROOT if os.geteuid() == 0 else _NAMESPACES_AS_USER
    view = runtime_view()
    command = [bwrap, *flags, *_view_args(view, [], [])]
    command += ["--", view.python, "-I", "-S", "-c", "pass"]
    probe = subprocess.run(command, capture_output=True, timeout=30, check=False)
    if probe.returncode != 0:
        detail = probe.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise SandboxRunError(f"cannot isolate edit scripts: bwrap failed here: {detail[0]}")
