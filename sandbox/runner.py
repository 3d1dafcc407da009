"""Run an edit script in isolation: policy first, then a jailed child process.

Layers, outermost first:

* ``sandbox.policy`` refuses the script statically (skipped only by the test-only
  ``_run_unchecked``, which exists to prove the layers below hold on their own);
* ``sandbox.jail``: a bubblewrap jail that sees only the runtime and its inputs (read-only)
  and can write only the three files this process created for the run (render, temporary
  audio, result), in its own pid/net/ipc/uts namespaces under a seccomp filter;
* the harness (``sandbox/_harness.py``) becomes ``nobody``, gives ``edit()`` a few
  CPU-seconds and the render a budget sized to its frames, and checks every frame;
* rlimits set (by ``prlimit``) before exec: CPU seconds, address space, file size, process
  count, core size 0; a wall-clock timeout that SIGKILLs the whole process group;
* this (trusted) process keeps only the last ``_LOG_CAP`` bytes of the child's output
  (and the latest ``frames n/m`` line, handed to a display-only ``progress`` callback
  from this thread, at most every ``outcome.POLL_S``), parses its result strictly, and
  probes the render (every stream's duration, frame size, fps, file size, and the
  validated frames against the delivered ones) before copying it, once, to the destination.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from io import BufferedReader
from pathlib import Path

from core.exceptions import FootageError, SandboxRunError
from core.settings import get_settings

from .delivery import RenderRejected, accept_render, read_untrusted
from .jail import (
    JAIL_IN,
    JAIL_JOB,
    SCRATCH_FILES,
    ensure_jail,
    environment,
    jail_command,
    limited,
    seccomp_fd,
)
from .limits import Limits
from .outcome import (
    Progress,
    ProgressRelay,
    RunResult,
    TailReader,
    as_float,
    as_int,
    exit_reason,
    last_lines,
    parse_result,
    wait_reporting,
    without_progress,
)
from .policy import ensure_allowed

# Limits and RunResult live in sandbox.limits and sandbox.outcome; callers keep importing
# them from here, the module that takes and returns them.
__all__ = ["Limits", "RunResult", "run_script"]

# Each run gets its own unprivileged uid: RLIMIT_NPROC then counts only its own processes
# (not every other job's that runs as nobody), and runs cannot touch each other's files.
_RUN_UIDS = range(200_000, 260_000)
_LOG_CAP = 1024 * 1024  # bytes of child output kept (the tail); the rest is discarded
_RESULT_CAP = 100_000


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
    progress: Progress | None = None,
) -> RunResult:
    """Check ``source`` with the policy, then run it in the sandbox.

    Args:
        source: The edit script (defines ``edit(source)``).
        inputs: Input clips; the script receives one clip, or a list when several.
        output: Where the render goes (ignored when ``validate_only``).
        limits: Resource limits (default: ``Limits.from_settings()``).
        validate_only: Call ``edit()`` and report the clip's duration and size without
            rendering (cheap check for the repair loop; only the render is authoritative).
        progress: Called with ``(frames written, frames in all)`` while the render runs,
            on this thread. Display-only: the script could fake these numbers, and an
            exception from the callback is ignored.

    Returns:
        The result; ``ok`` is False when the script failed or hit a limit, with the reason.

    Raises:
        PolicyViolation: The static check refused the script (nothing was run).
        FootageError: An input is missing or unreadable.
        SandboxRunError: The sandbox itself could not be set up.
    """
    ensure_allowed(source)
    return _run_unchecked(
        source, inputs, output, limits=limits, validate_only=validate_only, progress=progress
    )


def _run_unchecked(
    source: str,
    inputs: list[Path],
    output: Path | None,
    *,
    limits: Limits | None = None,
    validate_only: bool = False,
    progress: Progress | None = None,
) -> RunResult:
    """Run without the policy check. Tests only: proves the jail holds on its own."""
    limits = limits or Limits.from_settings()
    if not validate_only and output is None:
        raise SandboxRunError("an output path is required unless validate_only=True")
    resolved = _check_inputs(inputs)
    root = get_settings().home / "sandbox"
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=root))
    try:
        return _execute(scratch, source, resolved, output, limits, validate_only, progress)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _staged_name(index: int, path: Path) -> str:
    suffix = path.suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,6}", suffix):
        suffix = ".bin"
    return f"{index}{suffix}"


def _execute(
    scratch: Path,
    source: str,
    inputs: list[Path],
    output: Path | None,
    limits: Limits,
    validate_only: bool,
    progress: Progress | None = None,
) -> RunResult:
    (scratch / "edit_script.py").write_text(source, encoding="utf-8")
    names = [_staged_name(i, p) for i, p in enumerate(inputs)]
    job = {
        "script": f"{JAIL_JOB}/edit_script.py",
        "result": SCRATCH_FILES["result.json"],
        "render": SCRATCH_FILES["render.mp4"],
        "audio_file": SCRATCH_FILES["audio.m4a"],
        "staged": [f"{JAIL_IN}/{name}" for name in names],
        "validate_only": validate_only,
        "audio": limits.audio,
        "max_duration_s": limits.max_duration_s,
        "edit_cpu_s": limits.edit_cpu_s,
        "default_fps": limits.default_fps,
        "max_fps": limits.max_fps,
        "preset": limits.preset,
        "threads": limits.threads,
    }
    # The only files the jail may write: created here, bound one by one (no directory is
    # writable in the jail, so it can create none of its own).
    for name in SCRATCH_FILES:
        (scratch / name).touch(mode=0o600)
    if os.geteuid() == 0:
        uid = secrets.choice(_RUN_UIDS)
        job["uid"] = uid
        for name in SCRATCH_FILES:
            os.chown(scratch / name, uid, uid)
    (scratch / "job.json").write_text(json.dumps(job), encoding="utf-8")
    for name in ("job.json", "edit_script.py"):
        (scratch / name).chmod(0o644)
    scratch.chmod(0o755)  # bwrap, root without CAP_DAC_OVERRIDE, must enter it
    filter_fd = seccomp_fd()
    fds = () if filter_fd is None else (filter_fd,)
    command = jail_command(scratch, list(zip(inputs, names, strict=True)), filter_fd)
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            limited(
                command,
                cpu_s=limits.cpu_s,
                memory_bytes=limits.memory_bytes,
                file_bytes=limits.file_bytes,
                processes=limits.processes,
            ),
            cwd=scratch,
            env=environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=fds,
        )
    finally:
        for fd in fds:
            os.close(fd)
    assert isinstance(proc.stdout, BufferedReader)
    max_frames = 0 if progress is None else math.ceil(limits.max_duration_s * limits.max_fps) + 1
    reader = TailReader(proc.stdout, _LOG_CAP, max_frames)
    reader.start()
    shown = ProgressRelay(progress, reader)
    timed_out = not wait_reporting(proc, started + limits.wall_s, shown)
    _kill_group(proc.pid)
    proc.wait()
    reader.join(timeout=10)
    shown.update()  # the last line may have arrived after the last poll
    proc.stdout.close()
    elapsed = time.monotonic() - started
    text = without_progress(bytes(reader.tail).decode("utf-8", "replace"))
    tail = last_lines(text)
    reported = parse_result(read_untrusted(scratch / "result.json", limit=_RESULT_CAP))
    if timed_out:
        reason = f"wall-clock timeout: killed after {limits.wall_s:g} s"
        return RunResult(False, None, None, reason, tail, elapsed_s=elapsed)
    if reported.get("stage") == "setup":
        raise SandboxRunError(f"sandbox setup failed: {reported.get('error')}")
    if proc.returncode != 0 and not reported:
        # No result at all: either the script was killed, or bwrap never started it.
        # Probe the jail only now (it costs a jail start), so working runs skip it.
        ensure_jail()
        reason = exit_reason(proc.returncode, limits.cpu_s, limits.edit_cpu_s, text)
        return RunResult(False, None, None, reason, tail, elapsed_s=elapsed)
    if reported.get("ok") is not True:
        frames = reported.get("where")
        where = "; ".join(str(w) for w in frames) if isinstance(frames, list) else ""
        reason = str(reported.get("error", "the script failed"))
        if where:
            reason = f"{reason} ({where})"
        return RunResult(False, None, None, reason, tail, elapsed_s=elapsed, details=reported)
    width, height = as_int(reported.get("width")), as_int(reported.get("height"))
    duration = as_float(reported.get("duration_s"))
    if validate_only:
        return RunResult(True, None, duration, None, tail, width, height, elapsed, details=reported)
    assert output is not None
    result = _deliver(scratch / "render.mp4", output, reported, limits, tail)
    result.elapsed_s = elapsed
    return result


def _kill_group(pid: int) -> None:
    # bwrap's pid namespace dies with it; the group kill also covers a bwrap that hung.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _deliver(
    rendered: Path, output: Path, reported: dict[str, object], limits: Limits, tail: str
) -> RunResult:
    details = {key: value for key, value in reported.items() if key != "samples"}
    try:
        facts = accept_render(
            rendered,
            output,
            reported,
            max_duration_s=limits.max_duration_s,
            max_fps=limits.max_fps,
            max_bytes=limits.file_bytes,
        )
    except RenderRejected as exc:
        return RunResult(False, None, None, str(exc), tail, details=details)
    return RunResult(
        True, output, facts.duration_s, None, tail, facts.width, facts.height, details=details
    )
