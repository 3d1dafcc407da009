"""The runtime part of the jail: interpreter, system libraries, MoviePy's packages.

``runtime_view()`` lists what the jail binds read-only besides a run's own files: the
Python runtime (``sys.base_prefix``) with its own site-packages hidden again, the system
libraries and fonts, one bind per top-level package of MoviePy's dependency closure under
``/sandbox/lib``, the ffmpeg binary and the trusted harness modules.

Working the closure out reads every distribution's metadata, which costs a CLI run more
than the rest of the parent's work; the view is therefore kept in
``$STUDIO_HOME/sandbox/view-<hash of key>.json``, keyed by the interpreter, this package's
location and the modification times of the site-packages directories (any install or
removal changes them), and recomputed whenever the key differs or a bound path has gone.
One file per key: checkouts and virtual environments that share a home (several worktrees
on one machine) would otherwise overwrite one another's view and rebuild it on every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import re
import site
import sys
import sysconfig
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from core.exceptions import SandboxRunError
from core.files import write_atomic
from core.settings import get_settings

__all__ = ["JAIL_FFMPEG", "JAIL_HARNESS", "JAIL_LIB", "JAIL_TRUSTED", "Jail", "runtime_view"]

JAIL_LIB = "/sandbox/lib"
JAIL_TRUSTED = "/sandbox/trusted"
JAIL_HARNESS = f"{JAIL_TRUSTED}/harness.py"
JAIL_FFMPEG = "/sandbox/bin/ffmpeg"
_TRUSTED_FILES = {
    "_harness.py": "harness.py",
    "_handed.py": "handed.py",
    "_startup.py": "startup.py",
    "_checks.py": "checks.py",
}
_ROOT_DISTRIBUTION = "moviepy"
# Left out of the closure. MoviePy imports python-dotenv only to read FFMPEG_BINARY and
# FFPLAY_BINARY from a ``.env`` file found by walking up from the working directory; it
# runs without it (ImportError is expected), the jail sets what it needs in the
# environment, and every run would pay its import and that walk.
_LEFT_OUT = frozenset({"python-dotenv"})
_SYSTEM_DIRS = ("/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/share/fonts")
_LIB_LINKS = ("/lib", "/lib64", "/lib32", "/libx32")
_ETC_FILES = ("/etc/ld.so.cache",)
_VIEW_SCHEMA = 3  # bump when the view is built differently


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
        if name in seen or name in _LEFT_OUT:
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


def _view_key() -> str:
    stamps = []
    for directory in sorted({*site.getsitepackages(), sysconfig.get_path("purelib")}):
        try:
            stamps.append((directory, os.stat(directory).st_mtime_ns))
        except OSError:
            continue
    key = [_VIEW_SCHEMA, sys.executable, sys.base_prefix, str(Path(__file__).parent), stamps]
    return json.dumps(key)


def _cached(path: Path, key: str) -> Jail | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") != key:
            return None
        view = stored["view"]
        jail = Jail(
            binds=tuple((str(h), str(d)) for h, d in view["binds"]),
            links=tuple((str(t), str(d)) for t, d in view["links"]),
            python=str(view["python"]),
            ffmpeg=str(view["ffmpeg"]),
            hidden=tuple(str(h) for h in view["hidden"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(os.path.exists(host) for host, _ in jail.binds):
        return None
    return jail


@lru_cache(maxsize=1)
def runtime_view() -> Jail:
    """The runtime part of the jail (from the cache when it still matches)."""
    key = _view_key()
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    path = get_settings().home / "sandbox" / f"view-{digest}.json"
    view = _cached(path, key)
    if view is None:
        view = _built_view()
        with contextlib.suppress(OSError):  # a read-only home: build it again next time
            write_atomic(path, json.dumps({"key": key, "view": asdict(view)}).encode())
    return view


def _built_view() -> Jail:
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
