"""Stand-ins for other areas' plain functions, used only while those modules are absent.

The flow tests exercise orchestration, caching and reporting; these keep them runnable
before ``tasks.sample_frames`` / ``tasks.generate_edit`` / ``tasks.render`` land. Once a real
module exists, the tests use it instead (see ``install_missing`` in conftest).
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass
class _Probe:
    path: Path
    sha256: str
    frames: int
    fps: float
    duration: float
    width: int
    height: int


@dataclass
class _Scene:
    index: int
    start_frame: int
    end_frame: int
    start_s: float
    end_s: float


@dataclass
class _Frame:
    scene: int
    frame_number: int
    timestamp: float
    path: Path
    descriptors: str


@dataclass
class _Manifest:
    video: _Probe
    strategy: str
    scenes: list[_Scene]
    frames: list[_Frame]


def sample_frames(
    path: Path, out_dir: Path, *, max_frames: int = 8, strategy: str = "scene"
) -> _Manifest:
    import cv2
    import numpy as np

    cap = cv2.VideoCapture(str(path))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    images = []
    while True:
        ok, image = cap.read()
        if not ok:
            break
        images.append(image)
    cap.release()
    means = [img.reshape(-1, 3).mean(axis=0) for img in images]
    cuts = [0] + [i for i in range(1, len(images)) if np.abs(means[i] - means[i - 1]).sum() > 60]
    bounds = [*cuts, len(images)]
    scenes = [
        _Scene(k, bounds[k], bounds[k + 1] - 1, bounds[k] / fps, bounds[k + 1] / fps)
        for k in range(len(cuts))
    ]
    per = max(1, max_frames // max(1, len(scenes)))
    frames: list[_Frame] = []
    for scene in scenes:
        span = scene.end_frame - scene.start_frame + 1
        for j in range(per):
            n = scene.start_frame + (j + 1) * span // (per + 1)
            if len(frames) >= max_frames:
                break
            file = out_dir / f"frame_{n:06d}.jpg"
            cv2.imwrite(str(file), images[n])
            b, g, r = (int(x) for x in means[n])
            frames.append(_Frame(scene.index, n, n / fps, file, f"mean BGR {b},{g},{r}"))
    h, w = images[0].shape[:2]
    probe = _Probe(path, "x", len(images), fps, len(images) / fps, w, h)
    return _Manifest(probe, strategy, scenes, frames)


@dataclass
class _Outcome:
    code: str
    mode: str
    attempts: int
    fell_back_to_edl: bool = False
    errors_by_attempt: list[str] = field(default_factory=list)
    prompt_version: str = "stand-in"


def generate_edit(
    client: Any,
    *,
    intent: Any,
    analyses: list[Any],
    clip_facts: dict[str, Any],
    inputs: list[Path],
    mode: str = "script",
    max_repairs: int = 2,
) -> _Outcome:
    user = json.dumps(
        {
            "intent": intent.model_dump() if intent else None,
            "analyses": [a.summary for a in analyses],
            "clip": clip_facts,
        }
    )
    script = client.generate_edit_script("Write a MoviePy script.", user)
    return _Outcome(code=script.code, mode=mode, attempts=1)


@dataclass
class _Rendered:
    output: Path
    duration_s: float
    width: int
    height: int


def render(code: str, inputs: list[Path], output: Path, limits: Any = None) -> _Rendered:
    import cv2

    cap = cv2.VideoCapture(str(inputs[0]))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    w, h = int(cap.get(3)), int(cap.get(4))
    writer = cv2.VideoWriter(str(output), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    count = 0
    while count < int(fps * 2):
        ok, image = cap.read()
        if not ok:
            break
        writer.write(image)
        count += 1
    writer.release()
    cap.release()
    return _Rendered(output, count / fps, w, h)


def install_missing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Point the flow at stand-ins for whichever real modules do not exist yet."""
    import flows.creative_job as job

    used = []
    for module, attr, fn in (
        ("tasks.sample_frames", "_sample_frames_fn", sample_frames),
        ("tasks.generate_edit", "_generate_edit_fn", generate_edit),
        ("tasks.render", "_render_fn", render),
    ):
        if importlib.util.find_spec(module) is None:
            monkeypatch.setattr(job, attr, lambda fn=fn: fn)
            used.append(module)
    return used
