"""Run an edit script in isolation: policy first, then a jailed child process.

Layers, outermost first:

* ``sandbox.policy`` refuses the script statically (skipped only by the test-only
  ``_run_unchecked``, which exists to prove the layers below hold on their own);
* ``unshare --net --mount --pid --fork --kill-child --mount-proc``: no network interface but
  a down loopback, a private mount table, a private process tree that dies with its parent;
* the harness (``sandbox/_harness.py``, run with ``python -I``) remounts every filesystem
  read-only except the scratch directory, bind-mounts the inputs read-only into it and
  drops to uid ``nobody`` (or drops all capabilities inside a user namespace);
* ``resource`` limits set before exec: CPU seconds, address space, file size, process
  count, core size 0;
* a wall-clock timeout that SIGKILLs the whole process group (and, via ``--kill-child``,
  the namespace);
* an environment holding only ``PATH``, ``HOME``/``TMPDIR`` (scratch), ``LANG``, the ffmpeg
  path and thread caps.

The rendered file is written to scratch, probed by this (trusted) process and only then
moved to the destination, so a partial output never appears there.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from studio.exceptions import FootageError, SandboxRunError
from studio.settings import get_settings

from .policy import ensure_allowed

__all__ = ["Limits", "RunResult", "isolation_command", "run_script"]

_HARNESS = Path(__file__).with_name("_harness.py")
_NOBODY = 65534
_CPU_EXIT = 152


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed run.

    Attributes:
        cpu_s: CPU seconds (RLIMIT_CPU soft; the hard limit is 5 s later).
        memory_bytes: Address space per process (RLIMIT_AS); ffmpeg inherits it.
        file_bytes: Largest file any process may write (RLIMIT_FSIZE).
        processes: Processes and threads of the sandbox user (RLIMIT_NPROC).
        wall_s: Wall-clock timeout; the process group is killed after it.
        threads: Encoder threads for libx264.
        preset: libx264 preset.
        default_fps: Frame rate when the returned clip has none.
        max_fps: Frame-rate cap for the render.
        audio: Keep the inputs' audio.
        max_duration_s: Longest clip ``edit()`` may return (stops endless renders early).
    """

    cpu_s: int = 120
    memory_bytes: int = 3 * 1024**3
    file_bytes: int = 2 * 1024**3
    processes: int = 64
    wall_s: float = 180.0
    threads: int = 2
    preset: str = "veryfast"
    default_fps: float = 24.0
    max_fps: float = 30.0
    audio: bool = True
    max_duration_s: float = 900.0

    @classmethod
    def from_settings(cls) -> Limits:
        """Limits from ``STUDIO_SANDBOX_*`` settings; encoder knobs keep their defaults."""
        settings = get_settings()
        return cls(
            cpu_s=settings.sandbox_cpu_s,
            memory_bytes=settings.sandbox_memory_mb * 1024**2,
            # ffmpeg sizes its decoder thread pools by core count, and threads count
            # against RLIMIT_NPROC: measured 32 needed on 2 cores, so scale with cores.
            processes=max(settings.sandbox_processes, 24 + 8 * (os.cpu_count() or 2)),
            wall_s=settings.sandbox_wall_s,
            max_duration_s=settings.sandbox_max_duration_s,
        )


@dataclass
class RunResult:
    """What a sandboxed run produced.

    Attributes:
        ok: True when the script ran (and, unless validate-only, the render succeeded).
        output: Destination path of the render (None when validate-only or failed).
        duration_s: Duration of the returned clip (probed from the file after a render).
        reason: One-line reason when not ok.
        log_tail: Last lines of the child's stderr, for repair prompts and debugging.
        width: Frame width of the returned clip, when known.
        height: Frame height of the returned clip, when known.
        elapsed_s: Wall time of the child process.
    """

    ok: bool
    output: Path | None
    duration_s: float | None
    reason: str | None
    log_tail: str = ""
    width: int | None = None
    height: int | None = None
    elapsed_s: float = 0.0
    details: dict[str, object] = field(default_factory=dict)


@lru_cache(maxsize=1)
def isolation_command() -> tuple[str, ...]:
    """Return the ``unshare`` prefix that works on this machine.

    Tries real namespaces as root first, then an unprivileged user namespace.

    Raises:
        SandboxRunError: No namespace isolation is available (fail closed).
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        raise SandboxRunError("cannot isolate edit scripts: 'unshare' (util-linux) is missing")
    base = (unshare, "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc")
    candidates: list[tuple[str, ...]] = [base] if os.geteuid() == 0 else []
    candidates.append((*base, "--map-root-user"))
    for prefix in candidates:
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=20, check=False)
        if probe.returncode == 0:
            return prefix
    raise SandboxRunError(
        "cannot isolate edit scripts: unshare cannot create network/mount/pid namespaces here"
    )


def _ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _environment(scratch: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch),
        "TMPDIR": str(scratch),
        "LANG": "C.UTF-8",
        "FFMPEG_BINARY": _ffmpeg_exe(),
        "IMAGEIO_FFMPEG_EXE": _ffmpeg_exe(),
        # Thread pools count against RLIMIT_NPROC and RLIMIT_AS: keep them to one.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def _preexec(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _probe(path: Path) -> tuple[float, int, int]:
    """Duration and size of a rendered file, read by trusted code."""
    from moviepy.video.io.ffmpeg_reader import ffmpeg_parse_infos

    infos = ffmpeg_parse_infos(str(path))
    width, height = infos["video_size"]
    return float(infos["duration"]), int(width), int(height)


def _check_inputs(inputs: list[Path]) -> list[Path]:
    if not inputs:
        raise FootageError("an edit needs at least one input clip")
    resolved = []
    for path in inputs:
        real = Path(path).resolve()
        if not real.is_file():
            raise FootageError(f"input clip not found: {path}")
        if not real.stat().st_mode & 0o004:
            raise FootageError(f"input clip must be world-readable for the sandbox: {path}")
        resolved.append(real)
    return resolved


def run_script(
    source: str,
    inputs: list[Path],
    output: Path | None,
    *,
    limits: Limits | None = None,
    validate_only: bool = False,
) -> RunResult:
    """Check ``source`` with the policy, then run it in the sandbox.

    Args:
        source: The edit script (defines ``edit(source)``).
        inputs: Input clips; the script receives one clip, or a list when several.
        output: Where the render goes (ignored when ``validate_only``).
        limits: Resource limits (default: ``Limits.from_settings()``).
        validate_only: Call ``edit()`` and report the clip's duration and size without
            rendering (cheap check for the repair loop).

    Returns:
        The result; ``ok`` is False when the script failed or hit a limit, with the reason.

    Raises:
        PolicyViolation: The static check refused the script (nothing was run).
        FootageError: An input is missing or unreadable.
        SandboxRunError: The sandbox itself could not be set up.
    """
    ensure_allowed(source)
    return _run_unchecked(source, inputs, output, limits=limits, validate_only=validate_only)


def _run_unchecked(
    source: str,
    inputs: list[Path],
    output: Path | None,
    *,
    limits: Limits | None = None,
    validate_only: bool = False,
) -> RunResult:
    """Run without the policy check. Tests only: proves the jail holds on its own."""
    limits = limits or Limits.from_settings()
    if not validate_only and output is None:
        raise SandboxRunError("an output path is required unless validate_only=True")
    resolved = _check_inputs(inputs)
    prefix = isolation_command()
    root = get_settings().home / "sandbox"
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=_scratch_parent(root)))
    try:
        return _execute(prefix, scratch, source, resolved, output, limits, validate_only)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _scratch_parent(root: Path) -> Path:
    # The sandbox user must be able to reach its scratch directory: the studio home may
    # live under a private (0700) directory, so fall back to the system temp directory.
    probe = root
    while probe != probe.parent:
        if not probe.stat().st_mode & 0o001:
            return Path(tempfile.gettempdir())
        probe = probe.parent
    return root


def _execute(
    prefix: tuple[str, ...],
    scratch: Path,
    source: str,
    inputs: list[Path],
    output: Path | None,
    limits: Limits,
    validate_only: bool,
) -> RunResult:
    (scratch / "in").mkdir()
    (scratch / "out").mkdir()
    script = scratch / "edit_script.py"
    script.write_text(source, encoding="utf-8")
    staged = [scratch / "in" / f"{i}{p.suffix.lower() or '.bin'}" for i, p in enumerate(inputs)]
    job = {
        "scratch": str(scratch),
        "script": str(script),
        "inputs": [str(p) for p in inputs],
        "staged": [str(p) for p in staged],
        "validate_only": validate_only,
        "audio": limits.audio,
        "max_duration_s": limits.max_duration_s,
        "default_fps": limits.default_fps,
        "max_fps": limits.max_fps,
        "preset": limits.preset,
        "threads": limits.threads,
    }
    job_path = scratch / "job.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    if os.geteuid() == 0:
        for path in (scratch, scratch / "out"):
            os.chown(path, _NOBODY, _NOBODY)
    scratch.chmod(0o755)
    command = [*prefix, "--", sys.executable, "-I", "-B", str(_HARNESS), str(job_path)]
    started = time.monotonic()
    proc = subprocess.Popen(
        command,
        cwd=scratch,
        env=_environment(scratch),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=lambda: _preexec(limits),
    )
    timed_out = False
    try:
        log, _ = proc.communicate(timeout=limits.wall_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        log, _ = proc.communicate()
    elapsed = time.monotonic() - started
    text = log.decode("utf-8", "replace") if log else ""
    tail = _tail(text)
    reported: dict[str, object] = {}
    raw = _read_untrusted(scratch / "result.json", limit=100_000)
    if raw is not None:
        try:
            loaded = json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            loaded = {}
        reported = loaded if isinstance(loaded, dict) else {}
    if timed_out:
        reason = f"wall-clock timeout: killed after {limits.wall_s:g} s"
        return RunResult(False, None, None, reason, tail, elapsed_s=elapsed)
    if reported.get("stage") == "setup":
        raise SandboxRunError(f"sandbox setup failed: {reported.get('error')}")
    if proc.returncode != 0 and not reported:
        reason = _exit_reason(proc.returncode, limits, text)
        return RunResult(False, None, None, reason, tail, elapsed_s=elapsed)
    if not reported.get("ok"):
        frames = reported.get("where")
        where = "; ".join(str(w) for w in frames) if isinstance(frames, list) else ""
        reason = str(reported.get("error", "the script failed"))
        if where:
            reason = f"{reason} ({where})"
        return RunResult(False, None, None, reason, tail, elapsed_s=elapsed, details=reported)
    if validate_only:
        return RunResult(
            True,
            None,
            _as_float(reported.get("duration_s")),
            None,
            tail,
            width=_as_int(reported.get("width")),
            height=_as_int(reported.get("height")),
            elapsed_s=elapsed,
            details=reported,
        )
    assert output is not None
    return _deliver(scratch / "out" / "render.mp4", output, tail, elapsed)


def _open_untrusted(path: Path) -> int | None:
    """Open a file the sandbox wrote, refusing symlinks, FIFOs and devices.

    The sandbox user owns the scratch directory, so any name in it may have been replaced;
    trusted code (running as root) must not follow it anywhere else or block on it.
    """
    if path.parent.is_symlink():
        return None
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        return None
    return handle


def _read_untrusted(path: Path, limit: int) -> bytes | None:
    handle = _open_untrusted(path)
    if handle is None:
        return None
    with os.fdopen(handle, "rb") as stream:
        return stream.read(limit)


def _deliver(rendered: Path, output: Path, tail: str, elapsed: float) -> RunResult:
    handle = _open_untrusted(rendered)
    if handle is None or os.fstat(handle).st_size == 0:
        if handle is not None:
            os.close(handle)
        return RunResult(False, None, None, "the render produced no output", tail)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # Copy next to the destination, probe the copy, then rename: the destination path
    # only ever holds a complete, readable video.
    partial = output.with_name(f".{output.name}.partial")
    with os.fdopen(handle, "rb") as source, partial.open("wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    try:
        duration, width, height = _probe(partial)
    except Exception as exc:  # an unreadable render is a failed run
        partial.unlink(missing_ok=True)
        return RunResult(False, None, None, f"the render is not a readable video: {exc}", tail)
    os.replace(partial, output)
    return RunResult(True, output, duration, None, tail, width, height, elapsed)


def _exit_reason(code: int, limits: Limits, text: str) -> str:
    if code in (_CPU_EXIT, -signal.SIGXCPU) or "CPU-time limit" in text:
        return f"CPU-time limit exceeded ({limits.cpu_s} s)"
    if code == -signal.SIGKILL:
        return "killed (CPU hard limit or out of memory)"
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"sandbox process exited with status {code}: {_tail(text, 1)}"


def _as_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _as_int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None
