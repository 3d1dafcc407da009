"""The README's main job: its spec is valid and its clip has the cuts the script promises."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _make_clip_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_clip", EXAMPLES / "make_clip.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_clip"] = module
    spec.loader.exec_module(module)
    return module


def test_example_job_spec_is_valid() -> None:
    from flows.spec import load_spec

    spec = load_spec(EXAMPLES / "job.yaml")
    assert spec.footage == [EXAMPLES / "clip.mp4"]
    assert spec.output_dir.is_relative_to(EXAMPLES)
    assert (EXAMPLES / "clip.mp4").stat().st_size < 2_000_000


def test_make_clip_renders_known_cuts(tmp_path: Path) -> None:
    from tasks.footage import sample_frames

    make_clip = _make_clip_module()
    clip = make_clip.write(tmp_path / "clip.mp4")
    manifest = sample_frames(clip, tmp_path / "frames", max_frames=4, strategy="scene")
    assert manifest.video.width == 320 and manifest.video.height == 180
    assert manifest.decoded_frames == 240
    starts = [round(s.start_s, 1) for s in manifest.scenes]
    assert starts == [0.0, *make_clip.CUTS_S]
    # The committed clip is the script's output (same frames, same cuts).
    committed = sample_frames(EXAMPLES / "clip.mp4", tmp_path / "c", max_frames=4)
    assert [round(s.start_s, 1) for s in committed.scenes] == starts
