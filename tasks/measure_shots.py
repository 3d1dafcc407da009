"""Measure every shot of a clip in one decode pass: the numbers the planner and verifier share.

"The brightest shot" or "the most dynamic moment" is answered here, by measurement over every
decoded frame of the whole clip (not only the frames a model was shown):

* each frame is decoded once (PyAV) and converted straight to a ~96-pixel-wide copy, never to
  full size: luma, saturation and frame difference estimate well at that size;
* cuts come from PySceneDetect's ``AdaptiveDetector`` fed frame by frame (no second pass), as
  in the sampling pass: fast motion inside a shot does not read as a cut;
* a shot longer than ``max_shot_s`` (a long take, or a clip with no cuts at all) is split into
  equal parts, so a plan can still choose the brightest or busiest stretch within it;
* per shot: mean luma (BT.601 Y), mean absolute frame difference (motion, cuts excluded), mean
  HSV saturation, and ``peak_s``, the time of the most motion (smoothed over ~1/4 s).

Faces are counted on one frame every ``FACE_STEP_S`` (BlazeFace, else the Haar cascade, on a
``FACE_WIDTH``-wide copy; see ``tasks.footage.faces``): the detector costs ~3 ms a frame, so
a frame or two a second keeps it a small part of the pass. ``Shot.faces`` is the most faces
seen in one of the shot's counted frames, ``Shot.face_s`` the times of those that show one.

A long take split into parts stays one scene: every part carries the ``scene`` number of the
stretch between cuts it comes from, so "every scene" and "scene 2" mean what a viewer means.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.exceptions import FootageError
from tasks._video import (
    check_frame_shape,
    check_readable,
    effective_fps,
    import_cv2,
    open_video,
    reject_still_image,
)
from tasks.shots import Shot

__all__ = ["MEASURE_WIDTH", "measure_shots"]

MEASURE_WIDTH = 96
# PySceneDetect's default minimum scene length (frames).
MIN_SCENE_FRAMES = 15
MAX_SHOT_S = 4.0
# Motion is smoothed over this much time before its peak is taken: one jumpy frame is not a moment.
PEAK_WINDOW_S = 0.25
# Faces: one counted frame this often, at this width (BlazeFace letterboxes it to 128 px).
FACE_STEP_S = 0.5
FACE_WIDTH = 256


@dataclass
class _Series:
    """Per-frame measurements, a few floats a frame (never the pixels)."""

    luma: list[float] = field(default_factory=list)
    saturation: list[float] = field(default_factory=list)
    motion: list[float] = field(default_factory=list)  # vs the previous frame; 0 for the first
    cuts: list[int] = field(default_factory=list)
    faces: dict[int, int] = field(default_factory=dict)  # frame index -> faces counted


def measure_shots(
    video: Path,
    source: int = 0,
    *,
    max_shot_s: float = MAX_SHOT_S,
) -> list[Shot]:
    """Measure the shots of ``video`` over all of its frames.

    Args:
        video: The clip.
        source: Its index among the job's inputs (copied into each ``Shot``).
        max_shot_s: Shots longer than this are split into equal parts no longer than it.

    Returns:
        The shots in source order, 1-based ``index``, covering the clip end to end.

    Raises:
        FootageError: The file is not a readable video, or no frame decodes.
    """
    clip = check_readable(video)
    with open_video(clip, clip.stat().st_size) as reader:
        fps = effective_fps(reader.facts)
        series = _measure(clip, reader.frames(), fps)
        declared = reader.facts.declared_frames
    frames = len(series.luma)
    if frames == 0:
        raise FootageError(f"no frame decodes: {clip}")
    reject_still_image(clip, frames, declared)
    cuts = [0, *series.cuts, frames]
    bounds = _split_long(cuts, max(1, round(max_shot_s * fps)))
    return [
        _shot(series, fps, source, number, start, end, scene=bisect.bisect_right(cuts, start))
        for number, (start, end) in enumerate(itertools.pairwise(bounds), start=1)
    ]


def _measure(clip: Path, frames: Any, fps: float) -> _Series:
    from av.video.reformatter import VideoReformatter
    from scenedetect import FrameTimecode
    from scenedetect.detectors import AdaptiveDetector

    from tasks.footage.faces import count_faces, faces_available

    cv2 = import_cv2()
    reformatter = VideoReformatter()
    faces_reformatter = VideoReformatter()
    face_every = max(1, round(FACE_STEP_S * fps)) if faces_available() else 0
    face_size: tuple[int, int] | None = None
    detector = AdaptiveDetector(min_scene_len=MIN_SCENE_FRAMES)
    series = _Series()
    size: tuple[int, int] | None = None
    previous: Any = None
    for index, frame in enumerate(frames):
        if size is None:
            check_frame_shape(clip, (frame.height, frame.width))
            width = max(2, min(frame.width, MEASURE_WIDTH) // 2 * 2)
            size = (width, max(2, round(frame.height * width / frame.width / 2) * 2))
        # FFmpeg scales and converts in one step, at the small size only; the reused
        # converter keeps its scaler (a new one per frame costs 20x the conversion).
        bgr = reformatter.reformat(
            frame, width=size[0], height=size[1], format="bgr24", interpolation="AREA"
        ).to_ndarray()
        gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        saturation = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)[:, :, 1]
        series.luma.append(float(gray.mean()))
        series.saturation.append(float(saturation.mean()))
        diff = 0.0 if previous is None else float(cv2.absdiff(gray, previous).mean())
        series.motion.append(diff)
        previous = gray
        if face_every and index % face_every == face_every // 2:
            if face_size is None:
                fw = max(2, min(frame.width, FACE_WIDTH) // 2 * 2)
                face_size = (fw, max(2, round(frame.height * fw / frame.width / 2) * 2))
            big = faces_reformatter.reformat(
                frame, width=face_size[0], height=face_size[1], format="bgr24",
                interpolation="AREA",
            ).to_ndarray()  # fmt: skip
            picture = np.asarray(big, np.uint8)
            counted, _ = count_faces(picture, cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY))
            series.faces[index] = counted or 0
        for cut in detector.process_frame(FrameTimecode(index, fps), bgr):
            series.cuts.append(int(cut.frame_num))
    if series.luma:
        end = FrameTimecode(len(series.luma) - 1, fps)
        series.cuts.extend(int(cut.frame_num) for cut in detector.post_process(end))
    total = len(series.luma)
    series.cuts = sorted({c for c in series.cuts if 0 < c < total})
    return series


def _split_long(bounds: list[int], max_frames: int) -> list[int]:
    """Split every span longer than ``max_frames`` into equal parts (frame boundaries)."""
    out = [bounds[0]]
    for start, end in itertools.pairwise(bounds):
        parts = max(1, math.ceil((end - start) / max_frames))
        out.extend(start + round((end - start) * k / parts) for k in range(1, parts + 1))
    return out


def _shot(
    series: _Series, fps: float, source: int, number: int, start: int, end: int, *, scene: int
) -> Shot:
    luma = np.asarray(series.luma[start:end])
    saturation = np.asarray(series.saturation[start:end])
    # The difference into a shot's first frame spans the cut (or the part boundary): leave it out.
    motion = np.asarray(series.motion[start + 1 : end]) if end - start > 1 else np.zeros(1)
    window = max(1, round(PEAK_WINDOW_S * fps))
    smooth = np.convolve(motion, np.ones(window) / window, mode="same") if motion.size else motion
    peak_frame = start + 1 + int(np.argmax(smooth)) if motion.size and end - start > 1 else start
    return Shot(
        source=source,
        index=number,
        start_s=start / fps,
        end_s=end / fps,
        luma=float(luma.mean()),
        motion=float(motion.mean()),
        colourfulness=float(saturation.mean()),
        peak_s=min(peak_frame, end - 1) / fps,
        faces=max((n for i, n in series.faces.items() if start <= i < end), default=0),
        face_s=tuple(i / fps for i, n in sorted(series.faces.items()) if start <= i < end and n),
        scene=scene,
    )
