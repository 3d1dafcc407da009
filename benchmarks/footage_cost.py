"""Footage analysis cost: ``sample_frames`` against one plain decode pass of the same clip.

For each clip, in rounds, it times:

* ``decode``  -- ``cv2.VideoCapture.read()`` until the end: the plain decode pass the target
  is measured against (FFmpeg decoding plus a full-size BGR conversion of every frame);
* ``decode/av`` -- PyAV's decode loop with no conversion at all: the floor under ``sample``,
  which decodes the same way;
* ``detect``  -- ``scenedetect.detect(path, AdaptiveDetector())`` alone (its own decode
  thread, its default downscale): the anchor;
* ``sample``  -- ``tasks.footage.sample_frames`` with its defaults (scene strategy,
  AdaptiveDetector, analysis stride 2, dedup, descriptors with faces, JPEG encoding, manifest,
  content sha256; decoding on its own thread, chosen frames rendered on a worker pool), but
  for the sound and on-screen text (``audio=False, read_text=False``): those are measured
  by ``benchmarks/audio_cost.py`` against decoding the audio;
* ``sample/seq`` -- the same on the calling thread alone (``concurrent=False``): what the
  threads buy in wall time and what they cost in CPU;
* ``sample/1`` -- the default with ``analysis_stride=1`` (a small copy of every frame fed
  to the detector), to show what the stride buys;
* ``uniform`` and ``keyframes`` -- the cheaper strategies.

Every path runs once untimed first (imports, the face detector, the page cache), then once per
round; the order of the paths rotates from round to round so no path always runs right after
the same neighbour. Each round's ratios are taken against that round's own ``decode``, and the
table shows medians over the rounds: wall clock, and process CPU time (every thread of the
process, FFmpeg's decoder threads and the worker pool included). Each run writes into a fresh
directory and nothing is cached between runs except what a long-lived worker also keeps (the
imported modules and the loaded face detectors).

The target is ``sample`` <= 1.3x ``decode``. Also printed: the visual tokens the default sample
costs and the tokens per minute of footage, and the machine's load average.

    .venv/bin/python benchmarks/footage_cost.py [-n 7] [--max-frames 8] [CLIP ...]

``measure(...)`` returns the figures as a dict (``benchmarks/run.py`` uses it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")

SHARED = Path(os.environ.get("STUDIO_TEST_FOOTAGE_DIR", ROOT.parent / "shared" / "footage"))
DEFAULT_CLIPS = [SHARED / "Megamind.avi", SHARED / "vtest.avi"]
TARGET = 1.3


def _plain_decode(path: Path) -> int:
    import cv2

    capture = cv2.VideoCapture(str(path))
    frames = 0
    while capture.read()[0]:
        frames += 1
    capture.release()
    return frames


def _av_decode(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def _detect(path: Path) -> int:
    import scenedetect
    from scenedetect.detectors import AdaptiveDetector

    return len(scenedetect.detect(str(path), AdaptiveDetector()))


def _sampling(clip: Path, out_root: Path, **options: Any) -> Callable[[], Any]:
    """A ``sample_frames`` run with ``options``, into a fresh directory each time."""

    def run() -> Any:
        from tasks.footage import sample_frames

        # A fresh directory per run, as the flows use (overwriting the same JPEGs round
        # after round would time the filesystem's truncate path instead).
        chosen = {"audio": False, "read_text": False, **options}
        return sample_frames(clip, Path(tempfile.mkdtemp(dir=out_root)), **chosen)

    return run


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _measure(
    paths: dict[str, Callable[[], Any]], rounds: int
) -> tuple[dict[str, list[tuple[float, float]]], dict[str, Any]]:
    """Per path, one ``(wall, cpu)`` per round, plus each path's last result."""
    results: dict[str, Any] = {}
    for fn in paths.values():  # warm imports, caches and the page cache
        fn()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    names = list(paths)
    for round_ in range(rounds):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            wall, cpu, results[name] = _timed(paths[name])
            times[name].append((wall, cpu))
    return times, results


def _row(
    clip: str,
    frames: int,
    name: str,
    runs: list[tuple[float, float]],
    base: list[tuple[float, float]],
) -> str:
    wall_x = [w / b[0] for (w, _), b in zip(runs, base, strict=True)]
    cpu_x = [c / b[1] for (_, c), b in zip(runs, base, strict=True)]
    median = statistics.median
    return (
        f"{clip:<14}{frames:>7}{name:>12}"
        f"{median(w for w, _ in runs) * 1e3:>9.1f}{median(wall_x):>8.2f}"
        f"{f'{min(wall_x):.2f}-{max(wall_x):.2f}':>12}"
        f"{median(c for _, c in runs) * 1e3:>9.1f}{median(cpu_x):>8.2f}"
        f"{f'{min(cpu_x):.2f}-{max(cpu_x):.2f}':>12}"
    )


def measure(
    clips: list[Path] | None = None, rounds: int = 7, max_frames: int = 8, full: bool = True
) -> dict[str, Any]:
    """Time the paths on each clip and return the figures.

    Args:
        clips: The clips (default: the shared Megamind and vtest; missing ones are skipped).
        rounds: Timed rounds per path.
        max_frames: The sample's frame budget.
        full: Every path; else only ``decode`` and ``sample`` (what the target compares).

    Returns:
        ``{"target", "load": (before, after), "clips": {name: {frames, wall_x, cpu_x, scenes,
        sampled, visual_tokens, duration_s, tokens_per_min, rows}}}``; ``rows`` are the
        table's lines.
    """
    load_before = os.getloadavg()
    out_root = Path(tempfile.mkdtemp(prefix="footage-cost-"))
    figures: dict[str, Any] = {"target": TARGET, "rounds": rounds, "clips": {}}
    for clip in clips if clips is not None else DEFAULT_CLIPS:
        if not clip.exists():
            print(f"skip {clip}: missing", file=sys.stderr)
            continue
        paths: dict[str, Callable[[], Any]] = {
            "decode": partial(_plain_decode, clip),
            "sample": _sampling(clip, out_root, max_frames=max_frames),
        }
        if full:
            paths = {
                "decode": paths["decode"],
                "decode/av": partial(_av_decode, clip),
                "detect": partial(_detect, clip),
                "sample": paths["sample"],
                "sample/seq": _sampling(clip, out_root, max_frames=max_frames, concurrent=False),
                "sample/1": _sampling(clip, out_root, max_frames=max_frames, analysis_stride=1),
                "uniform": _sampling(clip, out_root, max_frames=max_frames, strategy="uniform"),
                "keyframes": _sampling(clip, out_root, max_frames=max_frames, strategy="keyframes"),
            }
        times, results = _measure(paths, rounds)
        manifest = results["sample"]
        rows = [
            _row(clip.name, manifest.decoded_frames, name, runs, times["decode"])
            for name, runs in times.items()
        ]
        pairs = list(zip(times["sample"], times["decode"], strict=True))
        minutes = manifest.video.duration / 60.0
        figures["clips"][clip.name] = {
            "frames": manifest.decoded_frames,
            "wall_x": statistics.median(s[0] / d[0] for s, d in pairs),
            "cpu_x": statistics.median(s[1] / d[1] for s, d in pairs),
            "scenes": len(manifest.scenes),
            "detect_scenes": results.get("detect"),
            "sampled": len(manifest.frames),
            "visual_tokens": manifest.visual_tokens,
            "duration_s": manifest.video.duration,
            "tokens_per_min": manifest.visual_tokens / minutes,
            "rows": rows,
        }
        shutil.rmtree(out_root, ignore_errors=True)
        out_root.mkdir()
    shutil.rmtree(out_root, ignore_errors=True)
    figures["load"] = (load_before[0], os.getloadavg()[0])
    return figures


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path, default=DEFAULT_CLIPS)
    parser.add_argument("-n", "--rounds", type=int, default=7)
    parser.add_argument("--max-frames", type=int, default=8)
    args = parser.parse_args()

    figures = measure(args.clips, args.rounds, args.max_frames)
    header = (
        f"{'clip':<14}{'frames':>7}{'path':>12}{'wall ms':>9}{'x dec':>8}{'range':>12}"
        f"{'cpu ms':>9}{'x dec':>8}{'range':>12}"
    )
    lines: list[str] = []
    for name, clip in figures["clips"].items():
        lines.extend(clip["rows"])
        verdict = " ".join(
            f"{kind} {ratio:.2f}x {'meets' if ratio <= TARGET else 'MISSES'}"
            for kind, ratio in (("wall", clip["wall_x"]), ("cpu", clip["cpu_x"]))
        )
        lines.append(f"{name:<14} target sample <= {TARGET}x decode: {verdict}")
        lines.append(
            f"{name:<14} default sample: {clip['scenes']} scenes "
            f"(detect(): {clip['detect_scenes']}), {clip['sampled']} frames, "
            f"{clip['visual_tokens']} visual tokens for {clip['duration_s']:.1f} s = "
            f"{clip['tokens_per_min']:.0f} tokens/min"
        )
        lines.append("")
    before, after = figures["load"]
    print(
        f"median of {args.rounds} rounds (range: min-max); each round's ratios are against its "
        f"own plain decode of the clip; {os.cpu_count()} CPUs, load average "
        f"{before:.2f} before, {after:.2f} after"
    )
    print(header)
    print("-" * len(header))
    print("\n".join(lines).rstrip())


if __name__ == "__main__":
    main()
