"""The filesystem and namespaces an edit script runs in: a bubblewrap (``bwrap``) jail.

The jail's root is an empty tmpfs. Into it, read-only, go only:

* the Python runtime (``sys.base_prefix``) at its own path, and the system libraries it and
  ffmpeg link against (``/usr/lib``, ``/lib*`` links, ``/etc/ld.so.cache``), plus fonts;
* the installed distributions MoviePy needs (its dependency closure, one bind per
  top-level package) under ``/sandbox/lib`` -- not the rest of site-packages, not the repo;
* the ffmpeg binary at ``/sandbox/bin/ffmpeg`` and the harness at ``/sandbox/harness.py``;
* the inputs at ``/in/<n>.<ext>``;

and, writable, the run's scratch directory at ``/job``. There is no ``/proc``, ``/tmp``,
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
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from core.exceptions import SandboxRunError

from ._seccomp import filter_program

__all__ = [
    "JAIL_IN",
    "JAIL_JOB",
    "Jail",
    "ensure_jail",
    "jail_command",
    "runtime_view",
    "seccomp_fd",
]

JAIL_JOB = "/job"
JAIL_IN = "/in"
JAIL_LIB = "/sandbox/lib"
JAIL_HARNESS = "/sandbox/harness.py"
JAIL_FFMPEG = "/sandbox/bin/ffmpeg"
_HARNESS = Path(__file__).with_name("_harness.py")
_ROOT_DISTRIBUTION = "moviepy"
_SYSTEM_DIRS = ("/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/share/fonts")
_LIB_LINKS = ("/lib", "/lib64", "/lib32", "/libx32")
_ETC_FILES = ("/etc/ld.so.cache",)
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


@dataclass(frozen=True)
class Jail:
    """What the jail is built from (host paths, computed once per process).

    Attributes:
        binds: ``(host path, jail path)`` read-only binds of the runtime.
        links: ``(link target, jail path)`` symlinks (merged-/usr ``/lib`` and friends).
        python: The interpreter, as a jail path.
        ffmpeg: The host ffmpeg binary, bound at ``/sandbox/bin/ffmpeg``.
    """

    binds: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...]
    python: str
    ffmpeg: str


def _requirement_names(dist: metadata.Distribution) -> list[str]:
    names = []
    for requirement in dist.requires or []:
        spec, _, marker = requirement.partition(";")
        if marker.strip():
            try:
                from packaging.markers import Marker

                if not Marker(marker).evaluate({"extra": ""}):
                    continue
            except Exception:  # an unreadable marker: leave the optional dependency out
                continue
        match = re.match(r"\s*([A-Za-z0-9._-]+)", spec)
        if match:
            names.append(match.group(1))
    return names


def _distribution_closure(root: str) -> list[metadata.Distribution]:
    seen: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = re.sub(r"[-_.]+", "-", pending.pop()).lower()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed
        seen[name] = dist
        pending.extend(_requirement_names(dist))
    return list(seen.values())


def _site_binds() -> list[tuple[str, str]]:
    """One bind per top-level package/module of MoviePy's dependency closure."""
    binds: dict[str, str] = {}
    for dist in _distribution_closure(_ROOT_DISTRIBUTION):
        files = dist.files
        if files is None:
            raise SandboxRunError(f"cannot build the jail: {dist.metadata['Name']} lists no files")
        for file in files:
            top = file.parts[0]
            if top in ("..", "__pycache__") or top.endswith(".pth"):
                continue
            host = Path(str(dist.locate_file(top))).resolve()
            if host.exists():
                binds[str(host)] = f"{JAIL_LIB}/{top}"
    return sorted(binds.items(), key=lambda item: item[1])


@lru_cache(maxsize=1)
def runtime_view() -> Jail:
    """The runtime part of the jail: interpreter, system libraries, MoviePy's packages."""
    import imageio_ffmpeg

    base = Path(sys.base_prefix).resolve()
    python = Path(os.path.realpath(sys.executable))
    if base not in python.parents:
        python = base / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    binds = [(str(base), str(base))]
    links = []
    for directory in _SYSTEM_DIRS:
        if os.path.isdir(directory) and not os.path.islink(directory):
            binds.append((directory, directory))
    for name in _LIB_LINKS:
        if os.path.islink(name):
            links.append((os.readlink(name), name))
        elif os.path.isdir(name):
            binds.append((name, name))
    binds += [(name, name) for name in _ETC_FILES if os.path.isfile(name)]
    binds += _site_binds()
    ffmpeg = os.path.realpath(str(imageio_ffmpeg.get_ffmpeg_exe()))
    binds.append((ffmpeg, JAIL_FFMPEG))
    binds.append((str(_HARNESS), JAIL_HARNESS))
    return Jail(tuple(binds), tuple(links), str(python), ffmpeg)


def _directories(destinations: list[str]) -> list[str]:
    """Ancestors bwrap must create, world-traversable (it copies host modes otherwise)."""
    bound = set(destinations)
    needed: set[str] = set()
    for destination in destinations:
        for parent in Path(destination).parents:
            if str(parent) != "/" and str(parent) not in bound:
                needed.add(str(parent))
    return sorted(needed, key=lambda p: (p.count("/"), p))


def _view_args(
    binds: list[tuple[str, str]], links: list[tuple[str, str]], extra: list[str]
) -> list[str]:
    args = ["--tmpfs", "/", "--dev", "/dev"]
    for directory in _directories([d for _, d in binds] + [d for _, d in links] + extra):
        args += ["--perms", "0755", "--dir", directory]
    for host, destination in sorted(binds, key=lambda item: item[1].count("/")):
        args += ["--ro-bind", host, destination]
    for target, destination in links:
        args += ["--symlink", target, destination]
    return args


def jail_command(scratch: Path, inputs: list[tuple[Path, str]], seccomp: int | None) -> list[str]:
    """The full ``bwrap ... python harness`` command line for one run.

    Args:
        scratch: Host scratch directory, bound writable at ``/job``.
        inputs: ``(host file, name under /in)`` pairs, bound read-only.
        seccomp: A readable fd holding the BPF program, or None for no filter.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxRunError(
            "cannot isolate edit scripts: bubblewrap is not installed (apt-get install bubblewrap)"
        )
    view = runtime_view()
    binds = [*view.binds, *((str(host), f"{JAIL_IN}/{name}") for host, name in inputs)]
    links = list(view.links)
    command = [bwrap, *(_NAMESPACES_AS_ROOT if os.geteuid() == 0 else _NAMESPACES_AS_USER)]
    command += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    command += _view_args(binds, links, [JAIL_JOB])
    command += ["--bind", str(scratch), JAIL_JOB, "--chdir", JAIL_JOB]
    # Read-only root and /dev: no memory-backed place (/dev/shm included) to fill.
    command += ["--remount-ro", "/", "--remount-ro", "/dev"]
    if seccomp is not None:
        command += ["--seccomp", str(seccomp)]
    command += ["--", view.python, "-I", "-B", JAIL_HARNESS, f"{JAIL_JOB}/job.json"]
    return command


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
    command = [bwrap, *flags, *_view_args(list(view.binds), list(view.links), [])]
    command += ["--", view.python, "-I", "-S", "-c", "pass"]
    probe = subprocess.run(command, capture_output=True, timeout=30, check=False)
    if probe.returncode != 0:
        detail = probe.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise SandboxRunError(f"cannot isolate edit scripts: bwrap failed here: {detail[0]}")
