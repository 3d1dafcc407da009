"""A batch clip's sampled frames: a complete set already in its folder, else sampled afresh.

A clip retried after a transient model failure (``flows._batch_pipeline``) has already
sampled its frames; decoding, describing and reading them again is most of a clip's CPU. So
after sampling, a stamp (``sampled.json``) is written into the frames folder, atomically and
last, naming the content (sha256), the sampling asked for (``max_frames``, ``strategy``) and
``CACHE_SCHEMA`` (bumped whenever sampling computes something else, as for the creative
job's cached ``sample_frames`` step). Frames are reused only when the stamp matches, the
manifest reads back for the same content and every frame it names is there. A folder without
the stamp (a run killed while sampling: partial outputs never look complete) or with another
stamp is removed and sampled again, as is every folder when the batch is forced.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import metrics
from core.files import write_atomic
from core.formats import canonical_json
from flows._batch_pipeline import sampling_gate
from flows._cache_keys import CACHE_SCHEMA

if TYPE_CHECKING:
    from tasks.footage import SampleManifest

__all__ = ["STAMP_NAME", "sampled_frames"]

STAMP_NAME = "sampled.json"


def sampled_frames(
    clip: Path, frames_dir: Path, sha256: str, max_frames: int, strategy: str, *, force: bool
) -> SampleManifest:
    """The clip's frames in ``frames_dir``: the complete set already there, or sampled now."""
    from tasks.footage import sample_frames

    stamp = _stamp(sha256, max_frames, strategy)
    if not force:
        kept = _kept(frames_dir, stamp)
        if kept is not None:
            metrics.count_cache_hits("batch:frames")
            return kept
    shutil.rmtree(frames_dir, ignore_errors=True)  # leftovers of a killed or other run
    with sampling_gate(), metrics.step_timer("sample_frames"):
        manifest = sample_frames(clip, frames_dir, max_frames=max_frames, strategy=strategy)
    # Last, and whole or not at all: only a finished sampling is ever reused.
    write_atomic(frames_dir / STAMP_NAME, canonical_json(stamp))
    return manifest


def _stamp(sha256: str, max_frames: int, strategy: str) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "max_frames": max_frames,
        "strategy": strategy,
        "schema": CACHE_SCHEMA,
    }


def _kept(frames_dir: Path, stamp: dict[str, Any]) -> SampleManifest | None:
    """The manifest of a finished sampling with this stamp; None when anything differs."""
    from tasks.footage import MANIFEST_NAME, SampleManifest

    try:
        if json.loads((frames_dir / STAMP_NAME).read_bytes()) != stamp:
            return None
        manifest = SampleManifest.model_validate_json((frames_dir / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    if manifest.video.sha256 != stamp["sha256"] or not manifest.frames:
        return None
    if not all(Path(frame.path).is_file() for frame in manifest.frames):
        return None
    return manifest
