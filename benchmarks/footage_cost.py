"""Footage analysis cost: ``sample_frames`` against one plain decode pass of the same clip.

For each clip, in interleaved rounds (so machine noise hits every path alike), it times:

* ``decode``  -- ``cv2.VideoCapture.read()`` until the end: the floor any analysis pays;
* ``detect``  -- ``scenedetect.detect(path, AdaptiveDetector())`` alone (its own decode
  thread, its default downscale): the anchor;
* ``sample``  -- ``tasks.sample_frames`` with its defaults (scene strategy, AdaptiveDetector,
  analysis stride 2, dedup, descriptors, JPEG encoding, manifest, content sha256);
* ``sample/1`` -- the default with ``analysis_stride=1`` (every frame colour-converted and fed
  to the detector), to show what the stride buys;
* ``uniform`` and ``keyframes`` -- the cheaper strategies.

Each is the best of ``-n`` rounds, wall clock and process CPU time (which includes FFmpeg's
decoder threads). The target is ``sample`` <= 1.3x ``decode``. Also printed: the visual tokens
the default sample costs and the tokens per minute of footage.

    .venv/bin/python benchmarks/footage_cost.py [-n 5] [--max-frames 8] [CLIP ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

SHARED = ROOT.parent / "shared" / "footage"
DEFAULT_CLIPS = [SHARED / "Megamind.avi", SHARED / "vtest.avi"]


def _plain_decode(path: Path) -> int:
    import cv2

    capture = cv2.VideoCapture(str(path))
    frames = 0
    while capture.read()[0]:
        frames += 1
    capture.release()
    return frames


def _detect(path: Path) -> int:
    import scenedetect
    from scenedetect.detectors import AdaptiveDetector

    return len(scenedetect.detect(str(path), AdaptiveDetector()))


def _sampling(clip: Path, out_root: Path, **options: Any) -> Callable[[], Any]:
    """A ``sample_frames`` run with ``options``, into a fresh directory each time."""

    def run() -> Any:
        from tasks.sample_frames import sample_frames

        # A fresh directory per run, as the flows use (overwriting the same JPEGs round
        # after round would time the filesystem's truncate path instead).
        return sample_frames(clip, Path(tempfile.mkdtemp(dir=out_root)), **options)

    return run


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path, default=DEFAULT_CLIPS)
    parser.add_argument("-n", "--rounds", type=int, default=5)
    parser.add_argument("--max-frames", type=int, default=8)
    args = parser.parse_args()

    out_root = Path(tempfile.mkdtemp(prefix="footage-cost-"))
    rows = []
    for clip in args.clips:
        if not clip.exists():
            print(f"skip {clip}: missing", file=sys.stderr)
            continue
        budget = args.max_frames
        paths: dict[str, Callable[[], Any]] = {
            "decode": partial(_plain_decode, clip),
            "detect": partial(_detect, clip),
            "sample": _sampling(clip, out_root, max_frames=budget),
            "sample/1": _sampling(clip, out_root, max_frames=budget, analysis_stride=1),
            "uniform": _sampling(clip, out_root, max_frames=budget, strategy="uniform"),
            "keyframes": _sampling(clip, out_root, max_frames=budget, strategy="keyframes"),
        }
        for fn in paths.values():  # warm imports, caches and the page cache
            fn()
        best: dict[str, tuple[float, float]] = {name: (1e9, 1e9) for name in paths}
        results: dict[str, Any] = {}
        for _ in range(args.rounds):
            for name, fn in paths.items():
                wall, cpu, results[name] = _timed(fn)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
        manifest = results["sample"]
        rows.append((clip.name, manifest, best, results["detect"]))
        shutil.rmtree(out_root, ignore_errors=True)
        out_root.mkdir()

    shutil.rmtree(out_root, ignore_errors=True)
    print(f"best of {args.rounds} rounds; ratios are against the plain decode of the same clip")
    header = (
        f"{'clip':<14}{'frames':>7}{'path':>11}{'wall ms':>10}{'x decode':>10}"
        f"{'cpu ms':>9}{'x decode':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, manifest, best, detected in rows:
        base_wall, base_cpu = best["decode"]
        for path_name, (wall, cpu) in best.items():
            print(
                f"{name:<14}{manifest.decoded_frames:>7}{path_name:>11}{wall * 1e3:>10.1f}"
                f"{wall / base_wall:>10.2f}{cpu * 1e3:>9.1f}{cpu / base_cpu:>10.2f}"
            )
        minutes = manifest.video.duration / 60.0
        print(
            f"{name:<14} default sample: {len(manifest.scenes)} scenes (detect(): {detected}), "
            f"{len(manifest.frames)} frames, {manifest.visual_tokens} visual tokens for "
            f"{manifest.video.duration:.1f} s = {manifest.visual_tokens / minutes:.0f} tokens/min"
        )
        print()


if __name__ == "__main__":
    main()
