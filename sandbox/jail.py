"""The filesystem and namespaces an edit script runs in: a bubblewrap (``bwrap``) jail.

The jail's root is an empty tmpfs. Into it, read-only, go only:

* the Python runtime (``sys.base_prefix``) at its own path, and the system libraries it and
  ffmpeg link against (``/usr/lib``, ``/lib*`` links, ``/etc/ld.so.cache``), plus fonts;
* the installed distributions MoviePy needs (its dependency closure, one bind per
  top-level package) under ``/sandbox/lib`` -- not the rest of site-packages, not the repo;
* the ffmpeg binary at ``/sandbox/bin/ffmpeg`` and the harness (``_harness.py`` and
  ``_handed.py``) under ``/sandbox/trusted``;
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
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from core.exceptions import SandboxRunError

from ._seccomp import filter_program

__all__ = [
    "JAIL_IN",
    "JAIL_JOB",
    "SCRATCH_FILES",
    "Jail",
    "ensure_jail",
    "jail_command",
    "runtime_view",
    "seccomp_fd",
]

JAIL_JOB = "/job"
JAIL_IN = "/in"
JAIL_LIB = "/sandbox/lib"
JAIL_TRUSTED = "/sandbox/trusted"
JAIL_HARNESS = f"{JAIL_TRUSTED}/harness.py"
JAIL_FFMPEG = "/sandbox/bin/ffmpeg"
_TRUSTED_FILES = {"_harness.py": "harness.py", "_handed.py": "handed.py"}
#: Host scratch file -> its jail path, read-only (written by the parent).
JOB_FILES = {"edit_script.py": f"{JAIL_JOB}/edit_script.py", "job.json": f"{JAIL_JOB}/job.json"}
#: Host scratch file -> its jail path, writable: the only things the jail can write.
SCRATCH_FILES = {
    "result.json": f"{JAIL_JOB}/result.json",
    "render.mp4": f"{JAIL_JOB}/out/render.mp4",
    "audio.m4a": f"{JAIL_JOB}/out/audio.m4a",
}
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
        hidden: Directories inside the binds covered by an empty read-only tmpfs.
    """

    binds: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...]
    python: str
    ffmpeg: str
    hidden: tuple[str, ...] = ()


_SIMPLE_MARKER = re.compile(r"""^\s*(\w+)\s*(==|!=)\s*["']([^"']*)["']\s*$""")


def _marker_holds(marker: str) -> bool:
    """Whether a requirement's environment marker holds here, with no extras requested.

    ``name == "value"`` markers are read directly (``packaging`` alone takes longer to
    import than the rest of the view); anything else goes to ``packaging``.
    """
    simple = _SIMPLE_MARKER.match(marker)
    if simple:
        name, operator, value = simple.groups()
        here = {
            "extra": "",
            "os_name": os.name,
            "sys_platform": sys.platform,
            "platform_system": platform.system(),
            "platform_machine": platform.machine(),
            "implementation_name": sys.implementation.name,
        }
        if name in here:
            return (here[name] == value) == (operator == "==")
    try:
        from packaging.markers import Marker

        return bool(Marker(marker).evaluate({"extra": ""}))
    except Exception:  # an unreadable marker: leave the optional dependency out
        return False


def _requirement_names(dist: metadata.Distribution) -> list[str]:
    names = []
    for requirement in dist.requires or []:
        spec, _, marker = requirement.partition(";")
        if marker.strip() and not _marker_holds(marker.strip()):
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
        # RECORD's first column, read as text: building a PackagePath per file costs more.
        record = dist.read_text("RECORD")
        if record is None:
            raise SandboxRunError(f"cannot build the jail: {dist.metadata['Name']} lists no files")
        tops = {line.split(",", 1)[0].split("/", 1)[0] for line in record.splitlines()}
        for top in sorted(tops - {""}):
            if top in ("..", "__pycache__") or top.endswith(".pth"):
                continue
            host = Path(str(dist.locate_file(top))).resolve()
            if host.exists():
                binds[str(host)] = f"{JAIL_LIB}/{top}"
    return sorted(binds.items(), key=lambda item: item[1])


def _hidden_site_packages(base: Path) -> list[str]:
    """The base interpreter's own site-packages: bound with the runtime, hidden again.

    Libraries installed there (IPython, say) are not MoviePy's closure; MoviePy imports
    IPython when it can, which alone cost more than a second of every run's start-up.
    """
    hidden = set()
    for key in ("purelib", "platlib"):
        path = Path(sysconfig.get_path(key, vars={"base": str(base), "platbase": str(base)}))
        if path.is_dir() and base in path.parents:
            hidden.add(str(path.resolve()))
    return sorted(hidden)


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
    here = Path(__file__).parent
    binds += [(str(here / src), f"{JAIL_TRUSTED}/{dst}") for src, dst in _TRUSTED_FILES.items()]
    return Jail(tuple(binds), tuple(links), str(python), ffmpeg, tuple(_hidden_site_packages(base)))


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
