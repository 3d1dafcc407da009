"""The harness's checks of what the script produces (trusted, runs in the jail).

Bound next to the harness as ``checks`` and imported by it only once the trusted
directory is on ``sys.path`` (after privileges are dropped); imports nothing from the
project at module level, and numpy, MoviePy and ``handed`` only when a check runs. Split
from the harness, which sequences a run; these are the checks it runs:

* ``check_frame``: every frame any clip produces is a numeric array of a frame's shape
  (a string would be opened as a path by ImageClip); the harness hooks it into
  ``VideoClip.get_frame`` before the script runs;
* ``final``: ``edit()`` returned a VideoClip whose video *and audio* end within the
  duration limit (audio longer than the video is cut to it);
* ``prepared``: the clip exactly as it will be written (even size, capped fps), each
  written frame checked to be exactly ``(h, w, 3)``;
* ``validate``: three frames of that clip, on the render's own grid, fingerprinted for
  the parent to compare with the delivered file.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_frame", "final", "prepared", "validate"]


def check_frame(frame: Any) -> Any:
    import numpy as np

    if not isinstance(frame, np.ndarray) or frame.dtype.kind not in "biuf":
        raise TypeError(f"a frame function returned {type(frame).__name__}, not a numeric array")
    if frame.ndim not in (2, 3) or (frame.ndim == 3 and frame.shape[2] not in (1, 3, 4)):
        raise TypeError(f"a frame function returned an array of shape {frame.shape}")
    return frame


def _describe(clip: Any) -> dict[str, Any]:
    duration = clip.duration
    if duration is None or not duration > 0:
        raise ValueError(f"edit() returned a clip without a positive duration ({duration!r})")
    width, height = (int(v) for v in clip.size)
    if not (0 < width <= 8192 and 0 < height <= 8192):
        raise ValueError(f"edit() returned a {width}x{height} clip")
    return {"duration_s": float(duration), "width": width, "height": height}


def final(result: Any, limit: float) -> Any:
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


def prepared(result: Any, job: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The clip exactly as it will be written, and its facts (even size, capped fps)."""
    facts = _describe(result)
    # yuv420p needs even dimensions (vfx.EvenSize breaks on clips with a 2-D mask).
    width, height = facts["width"] // 2 * 2, facts["height"] // 2 * 2
    clip = result
    if (width, height) != (facts["width"], facts["height"]):
        clip = result.cropped(x1=0, y1=0, width=width, height=height)
    clip = clip.image_transform(lambda frame: _exact(frame, height, width))
    fps = min(float(getattr(clip, "fps", None) or job["default_fps"]), job["max_fps"])
    return clip, {**facts, "width": width, "height": height, "fps": fps}


def validate(clip: Any, facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Decode three frames on the render's own grid, as the writer will, and fingerprint them."""
    import numpy as np
    from handed import fingerprint, frames_written

    count = frames_written(facts["duration_s"], facts["fps"])  # what iter_frames will write
    samples = []
    for index in sorted({round(f * (count - 1)) for f in (0.0, 0.5, 0.95)}):
        frame = clip.get_frame(index / facts["fps"])
        if frame.dtype != np.uint8:
            frame = frame.astype("uint8")
        samples.append({"index": index, "cells": fingerprint(frame)})
    return samples


def _exact(frame: Any, height: int, width: int) -> Any:
    """A written frame must match the size ffmpeg was told, or the stream desyncs."""
    if frame.ndim != 3 or frame.shape[:2] != (height, width) or frame.shape[2] != 3:
        raise ValueError(f"frame of shape {frame.shape} in a {width}x{height} RGB render")
    return frame
