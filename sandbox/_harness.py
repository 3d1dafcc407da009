"""Child-process harness: runs one edit script inside the sandbox (trusted code).

Started by ``sandbox.runner`` as ``unshare --net --mount --pid --fork --kill-child
--mount-proc -- python -I -B _harness.py JOB.json`` with resource limits already set and a
scrubbed environment. It runs with ``-I``, so it imports nothing from the studio package:
only the standard library and MoviePy. In order:

1. while still (namespace) root: bind-mount each input read-only into ``scratch/in/``;
   cover ``/tmp``, ``/var/tmp``, ``/dev/shm``, ``/run`` and private parents of the Python
   runtime with empty tmpfs (scratch and the runtime bound back in); then remount every
   mount point read-only except the scratch directory;
2. drop privileges for good (uid/gid ``nobody`` when really root; otherwise drop all
   capabilities) and set ``no_new_privs``;
3. open the inputs with ``VideoFileClip`` and call the script's ``edit(source)``;
4. validate-only: report duration/size and decode three frames; otherwise render the
   returned clip to ``scratch/out/render.mp4`` (libx264, yuv420p).

The result is one JSON object in ``scratch/result.json``. The parent never trusts it for
the render: it probes the output file itself.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

_MS_RDONLY = 1
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_NOEXEC = 8
_MS_REMOUNT = 32
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_NOBODY = 65534
_CPU_EXIT = 152  # 128 + SIGXCPU, reported by the parent as the CPU limit


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _mount(
    source: str, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    libc = _libc()
    rc = libc.mount(
        source.encode(),
        target.encode(),
        fstype.encode() if fstype else None,
        flags,
        data.encode() if data else None,
    )
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} -> {target}: {os.strerror(err)}")


def _mount_points() -> list[tuple[str, set[str]]]:
    points: list[tuple[str, set[str]]] = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        mount_point = fields[4].encode().decode("unicode_escape")
        points.append((mount_point, set(fields[5].split(","))))
    return points


def _reachable_by_others(path: Path) -> bool:
    return path.stat().st_mode & 0o005 == 0o005


def _mask(directory: Path, keep: list[Path]) -> None:
    """Cover ``directory`` with an empty tmpfs, bind-mounting back only ``keep``.

    The kept paths are reopened through ``/proc/self/fd`` after the tmpfs hides them.
    """
    handles = [(os.open(path, os.O_PATH), path) for path in keep]
    _mount("tmpfs", str(directory), "tmpfs", _MS_NOSUID | _MS_NODEV, "mode=0755,size=1m")
    for handle, path in handles:
        if path.is_dir() or os.path.isdir(f"/proc/self/fd/{handle}"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        _mount(f"/proc/self/fd/{handle}", str(path), None, _MS_BIND | _MS_REC)
        os.close(handle)


def _hide_private_places(scratch: Path) -> None:
    """Hide what ``nobody`` could otherwise see or reach; keep the runtime and scratch.

    * Parents the interpreter needs but ``nobody`` cannot traverse (``/root`` when Python
      lives in ``/root/.pyenv``) become empty except for the runtime directories.
    * ``/tmp``, ``/var/tmp``, ``/dev/shm`` and ``/run`` become empty (scratch excepted):
      no other job's files, and no Unix sockets of local services (PostgreSQL, MySQL...).
    """
    needed = {Path(sys.base_prefix), Path(sys.prefix)}
    needed |= {Path(p) for p in sys.path if p and Path(p).is_dir()}
    runtime = sorted(p.resolve() for p in needed)
    masks: dict[Path, set[Path]] = {}
    for path in runtime:
        for ancestor in [*reversed(path.parents), path]:
            if not _reachable_by_others(ancestor):
                masks.setdefault(ancestor, set()).add(path)
                break
    for shared in ("/tmp", "/var/tmp", "/dev/shm", "/run"):
        place = Path(shared).resolve()
        if place.is_dir():
            keep = masks.setdefault(place, set())
            # A checkout (and its .venv) may itself live under /tmp: keep the runtime.
            keep.update(path for path in runtime if place in path.parents)
            if place in scratch.parents:
                keep.add(scratch)
    for directory, paths in sorted(masks.items()):
        # Only the outermost kept paths: inner ones come along with their parent.
        tops = [p for p in sorted(paths) if not any(q in p.parents for q in paths)]
        _mask(directory, tops)


def _lock_filesystem(scratch: Path, inputs: list[str], staged: list[Path]) -> None:
    """Make every mount read-only except ``scratch``; inputs appear read-only in it."""
    _mount("none", "/", None, _MS_REC | _MS_PRIVATE)
    _mount(str(scratch), str(scratch), None, _MS_BIND)
    for source, target in zip(inputs, staged, strict=True):
        target.touch()
        _mount(source, str(target), None, _MS_BIND)
        _mount(source, str(target), None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY)
    _hide_private_places(scratch)
    keep = str(scratch)
    for mount_point, options in _mount_points():
        if mount_point == keep or mount_point.startswith(keep + "/") or "ro" in options:
            continue
        flags = _MS_BIND | _MS_REMOUNT | _MS_RDONLY
        flags |= _MS_NOSUID if "nosuid" in options else 0
        flags |= _MS_NODEV if "nodev" in options else 0
        flags |= _MS_NOEXEC if "noexec" in options else 0
        try:
            _mount("none", mount_point, None, flags)
        except OSError:
            if mount_point.startswith(("/proc", "/sys", "/dev/pts", "/dev/mqueue")):
                continue  # kernel interfaces: not file storage, and nobody cannot write them
            raise


def _drop_privileges(scratch: Path) -> None:
    libc = _libc()
    uid_map = Path("/proc/self/uid_map").read_text().split()
    really_root = os.geteuid() == 0 and uid_map[:3] == ["0", "0", "4294967295"]
    if really_root:
        os.setgroups([])
        os.setgid(_NOBODY)
        os.setuid(_NOBODY)
    else:
        # A user namespace maps only us: no other uid to switch to, so give up every
        # capability instead (bounding set first, then effective/permitted/inheritable).
        for cap in range(64):
            libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)

        class _Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

        class _Data(ctypes.Structure):
            _fields_ = [
                ("effective", ctypes.c_uint32),
                ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32),
            ]

        header = _Header(0x20080522, 0)
        data = (_Data * 2)()
        if libc.capset(ctypes.byref(header), ctypes.byref(data)) != 0:
            raise OSError(ctypes.get_errno(), "capset failed")
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.chdir(scratch)


def _on_cpu_limit(signum: int, frame: object) -> None:
    sys.stderr.write("sandbox: CPU-time limit reached\n")
    os._exit(_CPU_EXIT)


def _describe(clip: Any) -> dict[str, Any]:
    duration = clip.duration
    if duration is None or not duration > 0:
        raise ValueError(f"edit() returned a clip without a positive duration ({duration!r})")
    width, height = (int(v) for v in clip.size)
    return {"duration_s": float(duration), "width": width, "height": height}


def _run(job: dict[str, Any], scratch: Path) -> dict[str, Any]:
    from moviepy import VideoClip, VideoFileClip, vfx

    clips = [VideoFileClip(str(path), audio=job["audio"]) for path in job["staged"]]
    source: Any = clips[0] if len(clips) == 1 else clips
    namespace: dict[str, Any] = {"__name__": "edit_script"}
    code = compile(Path(job["script"]).read_text(encoding="utf-8"), "edit_script.py", "exec")
    exec(code, namespace)  # the script was checked by the policy; this process is the jail
    result = namespace["edit"](source)
    if not isinstance(result, VideoClip):
        raise TypeError(f"edit() must return a VideoClip, got {type(result).__name__}")
    facts = _describe(result)
    if facts["duration_s"] > job["max_duration_s"]:
        raise ValueError(
            f"edit() returned a {facts['duration_s']:.0f} s clip; "
            f"the limit is {job['max_duration_s']:g} s"
        )
    if job["validate_only"]:
        # Decoding a few frames surfaces most effect errors without rendering anything.
        for fraction in (0.0, 0.5, 0.95):
            result.get_frame(facts["duration_s"] * fraction)
        return facts
    clip = result.with_effects([vfx.EvenSize()])  # yuv420p needs even dimensions
    fps = clip.fps or job["default_fps"]
    output = scratch / "out" / "render.mp4"
    clip.write_videofile(
        str(output),
        fps=min(float(fps), job["max_fps"]),
        codec="libx264",
        preset=job["preset"],
        audio=job["audio"] and clip.audio is not None,
        audio_codec="aac",
        temp_audiofile_path=str(scratch / "out"),
        pixel_format="yuv420p",
        threads=job["threads"],
        logger=None,
    )
    return {**facts, "width": int(clip.w), "height": int(clip.h)}


def main() -> int:
    """Run the job described by ``sys.argv[1]``; always leave a result file."""
    job_path = Path(sys.argv[1])
    job = json.loads(job_path.read_text(encoding="utf-8"))
    scratch = Path(job["scratch"])
    result_path = scratch / "result.json"
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    try:
        _lock_filesystem(scratch, job["inputs"], [Path(p) for p in job["staged"]])
        _drop_privileges(scratch)
    except Exception as exc:
        result_path.write_text(json.dumps({"ok": False, "stage": "setup", "error": repr(exc)}))
        return 3
    try:
        facts = _run(job, scratch)
    except RecursionError:
        error = "RecursionError: maximum recursion depth exceeded"
        result = {"ok": False, "stage": "script", "error": error}
    except MemoryError:
        result = {"ok": False, "stage": "script", "error": "MemoryError: address-space limit"}
    except BaseException as exc:  # anything the script raises is its error
        frames = traceback.extract_tb(exc.__traceback__)
        where = [f"line {f.lineno}: {f.line}" for f in frames if f.filename == "edit_script.py"]
        message = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
        result = {"ok": False, "stage": "script", "error": message, "where": where[-2:]}
    else:
        result = {"ok": True, **facts}
    result_path.write_text(json.dumps(result))
    return 0 if result["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())
