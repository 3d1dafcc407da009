"""Child-process harness: runs one edit script inside the jail (trusted code).

Started by ``sandbox.runner`` as ``bwrap ... -- python -I -B /sandbox/trusted/harness.py
/job/job.json`` (see ``sandbox.jail`` for what the jail holds), with resource limits
already set and a scrubbed environment. It imports only the standard library, MoviePy
(from ``/sandbox/lib``) and its siblings ``handed``, ``startup`` and ``checks`` (the checks
of steps 4 and 5), each once the trusted directory is on ``sys.path``. In order:

1. drop privileges for good: to the run's own unprivileged uid/gid when bwrap ran as root
   (it kept only CAP_SETUID/CAP_SETGID for this), then ``no_new_privs``;
2. open the inputs (``/in/*``) with ``VideoFileClip`` and hand the script fresh clips
   that share nothing mutable with the trusted readers (``handed.open_input``; an
   input's sound decoder starts only when a sample is first read, and places samples at
   their timestamps: ``handed.align_sound``; a ``vfx.FadeOut`` ends on the last frame
   written: ``handed.fade_to_the_last_frame``);
3. call ``edit(source)`` under a small CPU budget of its own (``edit_cpu_s``): CPU
   time, enforced by the kernel even when the script never returns to the interpreter
   (``_cpu_budget``);
4. check the result: a VideoClip whose video *and audio* end within ``max_duration_s``
   (audio longer than the video is cut to it); every frame any clip produces is checked
   to be a numeric array (a string would be opened as a path by ImageClip), and the
   frames written are checked to be exactly ``(h, w, 3)``;
5. validate: three frames of the clip *as it would be written* (same size, checks and
   frame grid as the render) are decoded and fingerprinted. Validate-only stops here, so
   a dry run is exactly the first part of a render run: a script cannot tell them apart;
6. render ``/job/out/render.mp4`` under a CPU budget proportional to the output's frames
   and pixels. The fingerprints go into the result: the parent decodes the same frames
   of the delivered file and refuses a render that differs from what was validated.
   Meanwhile a ``frames n/m`` line goes to stdout at most every ``_PROGRESS_EVERY_S``
   (and at the end): display-only progress, which the script could forge, so the parent
   uses it for nothing but the display.

The jail has no writable directory: the render, the temporary audio file and the result
are files the parent created, bound one by one (``sandbox.jail``), so a script can create
no file and fill none past ``RLIMIT_FSIZE``. The result is one JSON object in
``/job/result.json``. The parent trusts none of it: it parses it strictly and probes the
output file itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import resource
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

_PR_SET_NO_NEW_PRIVS = 38
_NOBODY = 65534
_CPU_EXIT = 152  # 128 + SIGXCPU, reported by the parent as the CPU limit
_LIB = "/sandbox/lib"
_TRUSTED_DIR = "/sandbox/trusted"
_stage = "setup"
_stage_cpu_s = 0.0  # CPU seconds already spent when the current stage's budget began
_TOTAL_CPU_S = resource.getrlimit(resource.RLIMIT_CPU)[0]
_BACKSTOP_S = 1.0  # CPU seconds past a budget before the kernel ends the process itself
_PROGRESS_EVERY_S = 0.25


def _drop_privileges(uid: int) -> None:
    if os.getuid() == 0:
        if not 1000 <= uid < 2**31:
            raise OSError(f"refusing to run the script as uid {uid}")
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        if os.getuid() != uid or os.geteuid() != uid or os.getgid() != uid:
            raise OSError("could not drop privileges")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS) failed")


def _cpu_spent() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _on_cpu_limit(signum: int, frame: object) -> None:
    used = _cpu_spent() - _stage_cpu_s
    sys.stderr.write(f"sandbox: CPU-time limit reached during {_stage} after {used:.1f} CPU s\n")
    os._exit(_CPU_EXIT)


def _cpu_budget(seconds: float) -> None:
    """Allow ``seconds`` more CPU time (not wall time) from now, below the hard limit.

    SIGXCPU's handler is Python, run between bytecodes only: a spin inside one C call
    (``sum(range(10**15))``) would defer it to the hard limit (run budget + 5 s). So
    ITIMER_PROF (same CPU clock; not inherited by ffmpeg) raises SIGPROF, left to its
    default action (the kernel kills), ``_BACKSTOP_S`` after the soft limit.
    """
    global _stage_cpu_s
    spent = _stage_cpu_s = _cpu_spent()
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + 1
    if _TOTAL_CPU_S != resource.RLIM_INFINITY:
        soft = min(soft, _TOTAL_CPU_S)  # the whole run's budget, below the hard kill
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    signal.setitimer(signal.ITIMER_PROF, max(soft - spent, 0.0) + _BACKSTOP_S)


def _guard_frames() -> None:
    """Every video frame passes through ``check_frame`` (trusted code, not the script)."""
    from checks import check_frame
    from startup import import_moviepy

    import_moviepy(_LIB)
    from moviepy import VideoClip
    from moviepy.Clip import Clip

    original = Clip.get_frame

    def get_frame(self: Any, t: Any) -> Any:
        return check_frame(original(self, t))

    VideoClip.get_frame = get_frame


_TRUSTED: list[Any] = []  # the opened inputs: kept here, never handed to the script


def _open_inputs(job: dict[str, Any]) -> Any:
    from handed import align_sound, fade_to_the_last_frame, open_input

    align_sound()
    fade_to_the_last_frame()
    clips = []
    for path in job["staged"]:
        trusted, handed = open_input(str(path), bool(job["audio"]))
        _TRUSTED.append(trusted)
        clips.append(handed)
    return clips[0] if len(clips) == 1 else clips


def _render_budget(facts: dict[str, Any], fps: float) -> float:
    frames = float(facts["duration_s"]) * fps
    pixels = int(facts["width"]) * int(facts["height"])
    return 10.0 + frames * pixels * 4e-7


def _progress_logger() -> Any:
    """A proglog logger that writes ``frames n/m`` lines for the render's frame bar only."""
    import time

    from proglog import ProgressBarLogger

    class FrameLines(ProgressBarLogger):  # type: ignore[misc]
        def __init__(self) -> None:
            # Only MoviePy's video frame bar; no log lines kept (a long render has many).
            super().__init__(bars=("frame_index",), ignored_bars="all_others", logged_bars=None)
            self.said = 0.0

        def bars_callback(self, bar: str, attr: str, value: Any, old_value: Any = None) -> None:
            total = self.bars[bar]["total"]
            if attr != "index" or not isinstance(total, int) or total <= 0:
                return
            now = time.monotonic()
            if value >= total or now - self.said >= _PROGRESS_EVERY_S:
                self.said = now
                with contextlib.suppress(Exception):  # the script's prints go first
                    sys.stdout.flush()
                # One write, shorter than PIPE_BUF: never split by other output. The
                # leading newline ends any partial line the script left unflushed.
                os.write(1, f"\nframes {min(int(value), total)}/{total}\n".encode())

    return FrameLines()


def _run(job: dict[str, Any]) -> dict[str, Any]:
    # Not at the top: the trusted directory joins sys.path only once privileges are dropped.
    from checks import final, prepared, validate
    from handed import on_the_grid

    global _stage
    _guard_frames()
    source = _open_inputs(job)
    namespace: dict[str, Any] = {"__name__": "edit_script"}
    code = compile(Path(job["script"]).read_text(encoding="utf-8"), "edit_script.py", "exec")
    _stage = "edit()"
    _cpu_budget(job["edit_cpu_s"])
    exec(code, namespace)  # the script was checked by the policy; this process is the jail
    result = final(namespace["edit"](source), job["max_duration_s"])
    facts: dict[str, Any]  # typed here: mypy cannot resolve ``checks``, the module's jail name
    clip, facts = prepared(result, job)
    on_the_grid(facts["fps"])  # fades end on the last frame this rate writes
    # The dry run and the render run the same code up to here, so they make the same calls.
    samples = validate(clip, facts)
    if job["validate_only"]:
        return facts
    _stage = "the render"
    _cpu_budget(_render_budget(facts, facts["fps"]))
    clip.write_videofile(
        job["render"],
        fps=facts["fps"],
        codec="libx264",
        preset=job["preset"],
        audio=job["audio"] and clip.audio is not None,
        audio_codec="aac",
        temp_audiofile=job["audio_file"],
        remove_temp=False,  # a bound file: the parent removes it
        pixel_format="yuv420p",
        threads=job["threads"],
        logger=_progress_logger(),
    )
    return {**facts, "samples": samples}


def _file_error(exc: OSError) -> str:
    """A clear line for the jail's file walls (no writable directory, capped file size)."""
    text = str(exc)
    if exc.errno == errno.EROFS or "Read-only file system" in text:
        return (
            "the jail has no writable scratch directory: edit scripts cannot create "
            f"files ({text[:200]})"
        )
    if exc.errno == errno.EFBIG or "File too large" in text:
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        return f"a file in the jail reached its size limit of {limit} bytes ({text[:200]})"
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:500]


def main() -> int:
    """Run the job described by ``sys.argv[1]``; always leave a result file."""
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result_path = Path(job["result"])
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the backstop kills (see _cpu_budget)
    try:
        _drop_privileges(int(job.get("uid", _NOBODY)))
        sys.path[:0] = [_TRUSTED_DIR, _LIB]
    except Exception as exc:
        result_path.write_text(json.dumps({"ok": False, "stage": "setup", "error": repr(exc)}))
        return 3
    try:
        facts = _run(job)
    except RecursionError:
        error = "RecursionError: maximum recursion depth exceeded"
        result = {"ok": False, "stage": "script", "error": error}
    except MemoryError:
        result = {"ok": False, "stage": "script", "error": "MemoryError: address-space limit"}
    except BaseException as exc:  # anything the script raises is its error
        frames = traceback.extract_tb(exc.__traceback__)
        where = [f"line {f.lineno}: {f.line}" for f in frames if f.filename == "edit_script.py"]
        message = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
        if isinstance(exc, OSError):
            message = _file_error(exc)
        result = {"ok": False, "stage": "script", "error": message, "where": where[-2:]}
    else:
        result = {"ok": True, **facts}
    result_path.write_text(json.dumps(result))
    return 0 if result["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())
