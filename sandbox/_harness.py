"""Child-process harness: runs one edit script inside the jail (trusted code).

Started by ``sandbox.runner`` as ``bwrap ... -- python -I -B /sandbox/harness.py
/job/job.json`` (see ``sandbox.jail`` for what the jail holds), with resource limits
already set and a scrubbed environment. It imports only the standard library and MoviePy
(from ``/sandbox/lib``). In order:

1. drop privileges for good: to the run's own unprivileged uid/gid when bwrap ran as root
   (it kept only CAP_SETUID/CAP_SETGID for this), then ``no_new_privs``;
2. open the inputs (``/in/*``) with ``VideoFileClip``; the script gets clips whose
   ``size`` is a tuple, so it cannot resize the trusted reader behind its back;
3. call ``edit(source)`` under a small CPU budget of its own (``edit_cpu_s``);
4. check the result: a VideoClip whose video *and audio* end within ``max_duration_s``
   (audio longer than the video is cut to it); every frame any clip produces is checked
   to be a numeric array (a string would be opened as a path by ImageClip), and the
   frames written are checked to be exactly ``(h, w, 3)``;
5. validate-only: decode three frames; otherwise render ``/job/out/render.mp4`` under a
   CPU budget proportional to the output's frames and pixels.

The result is one JSON object in ``/job/result.json``. The parent trusts none of it: it
parses it strictly and probes the output file itself.
"""

from __future__ import annotations

import ctypes
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
_stage = "setup"
_TOTAL_CPU_S = resource.getrlimit(resource.RLIMIT_CPU)[0]


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


def _on_cpu_limit(signum: int, frame: object) -> None:
    sys.stderr.write(f"sandbox: CPU-time limit reached during {_stage}\n")
    os._exit(_CPU_EXIT)


def _cpu_budget(seconds: float) -> None:
    """Allow ``seconds`` more CPU time from now (never past the hard limit)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + 1
    if _TOTAL_CPU_S != resource.RLIM_INFINITY:
        soft = min(soft, _TOTAL_CPU_S)  # the whole run's budget, below the hard kill
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _check_frame(frame: Any) -> Any:
    import numpy as np

    if not isinstance(frame, np.ndarray) or frame.dtype.kind not in "biuf":
        raise TypeError(f"a frame function returned {type(frame).__name__}, not a numeric array")
    if frame.ndim not in (2, 3) or (frame.ndim == 3 and frame.shape[2] not in (1, 3, 4)):
        raise TypeError(f"a frame function returned an array of shape {frame.shape}")
    return frame


def _guard_frames() -> None:
    """Every video frame passes through ``_check_frame`` (trusted code, not the script)."""
    from moviepy import VideoClip
    from moviepy.Clip import Clip

    original = Clip.get_frame

    def get_frame(self: Any, t: Any) -> Any:
        return _check_frame(original(self, t))

    VideoClip.get_frame = get_frame


def _describe(clip: Any) -> dict[str, Any]:
    duration = clip.duration
    if duration is None or not duration > 0:
        raise ValueError(f"edit() returned a clip without a positive duration ({duration!r})")
    width, height = (int(v) for v in clip.size)
    if not (0 < width <= 8192 and 0 < height <= 8192):
        raise ValueError(f"edit() returned a {width}x{height} clip")
    return {"duration_s": float(duration), "width": width, "height": height}


def _final(result: Any, limit: float) -> Any:
    """The clip to render: duration checked, audio cut to the video and checked too."""
    from moviepy import VideoClip

    if not isinstance(result, VideoClip):
        raise TypeError(f"edit() must return a VideoClip, got {type(result).__name__}")
    duration = _describe(result)["duration_s"]
    if duration > limit:
        raise ValueError(f"edit() returned a {duration:.0f} s clip; the limit is {limit:g} s")
    audio = result.audio
    if audio is not None:
        # An audio track may be longer (or start later) than the picture: the render
        # would carry it to its end. Cut it to the video and check it again.
        if audio.duration is None or audio.duration > duration or (audio.end or 0) > duration:
            result = result.with_audio(audio.with_duration(duration))
        if result.audio.duration is None or result.audio.duration > limit:
            raise ValueError("the clip's audio is longer than the duration limit")
    return result


def _open_inputs(job: dict[str, Any]) -> Any:
    from moviepy import VideoFileClip

    clips = []
    for path in job["staged"]:
        clip = VideoFileClip(str(path), audio=job["audio"])
        clip.size = tuple(clip.size)  # the reader keeps its own list; the script gets a copy
        clips.append(clip)
    return clips[0] if len(clips) == 1 else clips


def _render_budget(facts: dict[str, Any], fps: float) -> float:
    frames = float(facts["duration_s"]) * fps
    pixels = int(facts["width"]) * int(facts["height"])
    return 10.0 + frames * pixels * 4e-7


def _run(job: dict[str, Any]) -> dict[str, Any]:
    global _stage
    _guard_frames()
    source = _open_inputs(job)
    namespace: dict[str, Any] = {"__name__": "edit_script"}
    code = compile(Path(job["script"]).read_text(encoding="utf-8"), "edit_script.py", "exec")
    _stage = "edit()"
    _cpu_budget(job["edit_cpu_s"])
    exec(code, namespace)  # the script was checked by the policy; this process is the jail
    result = _final(namespace["edit"](source), job["max_duration_s"])
    facts = _describe(result)
    if job["validate_only"]:
        # Decoding a few frames surfaces most effect errors without rendering anything.
        for fraction in (0.0, 0.5, 0.95):
            result.get_frame(facts["duration_s"] * fraction)
        return facts
    # yuv420p needs even dimensions (vfx.EvenSize breaks on clips with a 2-D mask).
    width, height = facts["width"] // 2 * 2, facts["height"] // 2 * 2
    clip = result
    if (width, height) != (facts["width"], facts["height"]):
        clip = result.cropped(x1=0, y1=0, width=width, height=height)
    clip = clip.image_transform(lambda frame: _exact(frame, height, width))
    fps = min(float(getattr(clip, "fps", None) or job["default_fps"]), job["max_fps"])
    facts = {**facts, "width": width, "height": height, "fps": fps}
    _stage = "the render"
    _cpu_budget(_render_budget(facts, fps))
    clip.write_videofile(
        f"{job['scratch']}/out/render.mp4",
        fps=fps,
        codec="libx264",
        preset=job["preset"],
        audio=job["audio"] and clip.audio is not None,
        audio_codec="aac",
        temp_audiofile_path=f"{job['scratch']}/out",
        pixel_format="yuv420p",
        threads=job["threads"],
        logger=None,
    )
    return facts


def _exact(frame: Any, height: int, width: int) -> Any:
    """A written frame must match the size ffmpeg was told, or the stream desyncs."""
    if frame.ndim != 3 or frame.shape[:2] != (height, width) or frame.shape[2] != 3:
        raise ValueError(f"frame of shape {frame.shape} in a {width}x{height} RGB render")
    return frame


def main() -> int:
    """Run the job described by ``sys.argv[1]``; always leave a result file."""
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result_path = Path(job["scratch"]) / "result.json"
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    try:
        _drop_privileges(int(job.get("uid", _NOBODY)))
        sys.path.insert(0, _LIB)
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
        result = {"ok": False, "stage": "script", "error": message, "where": where[-2:]}
    else:
        result = {"ok": True, **facts}
    result_path.write_text(json.dumps(result))
    return 0 if result["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())
