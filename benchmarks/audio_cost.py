"""Sound and on-screen text: what the audio analysis costs against decoding the audio.

For each clip, in rounds, it times:

* ``decode/audio`` -- PyAV decoding the audio stream alone, no conversion: the anchor the
  issue sets (the audio analysis should cost about as much, or less);
* ``read_audio``   -- the same plus FFmpeg's resampling to 16 kHz (``tasks.audio.read_audio``),
  what ``studio footage transcribe`` decodes;
* ``vad``, ``whisper``, ``rhythm``, ``loudness`` -- each stage of ``analyse_audio`` on the
  decoded samples (Silero VAD; Whisper tiny.en with word timestamps, which runs its own VAD
  to skip silence; onsets, beats and tempo (librosa's algorithms); BS.1770 loudness and peak);
* ``analyse``      -- ``analyse_audio`` whole, with every scene's slice;
* ``ocr/frame``    -- RapidOCR on one sampled frame (the mean over the frames of a sample);
* ``sample/video`` -- ``sample_frames`` without audio or OCR: the video pass of
  ``benchmarks/footage_cost.py``;
* ``pass/video`` and ``pass/+audio`` -- the bare decode pass of ``sample_frames``
  (``VideoReader.frames()``), without and with the audio demuxed and decoded to 16 kHz in it:
  what reading the audio in the video's pass adds;
* ``sample/all``   -- ``sample_frames`` with its defaults (audio analysed, frames read).

Every path runs once untimed first: the first call in a process pays one-time costs (the
Whisper model loads and is checked by sha256, ONNX sessions start); those first-call times are
reported separately.
The table shows medians over the rounds, wall and process CPU time, and each path's ratio to
``decode/audio``; ``--json`` writes the same numbers. ``--quick`` times only what
``benchmarks/run.py`` reports (``decode/audio``, ``whisper``, ``analyse``, and OCR).

    .venv/bin/python benchmarks/audio_cost.py [-n 5] [--quick] [--json out.json] [CLIP ...]

``measure(...)`` returns the figures as a dict (``benchmarks/run.py`` uses it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")

SHARED = Path(os.environ.get("STUDIO_TEST_FOOTAGE_DIR", ROOT.parent / "shared" / "footage"))
DEFAULT_CLIPS = [SHARED / "Megamind.avi"]
# Issue 14: the audio analysis should cost about as much as decoding the audio, or less.
TARGET = 1.0
# The paths a quick run times: the anchor, the whole analysis and its largest stage.
QUICK_PATHS = ("decode/audio", "whisper", "analyse")


def _decode_audio(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        samples = 0
        for packet in container.demux(audio=0):
            try:
                samples += sum(f.samples for f in packet.decode())
            except av.FFmpegError:
                continue
        return samples


def _pass(clip: Path, *, audio: bool) -> int:
    from tasks._video import open_video
    from tasks.audio import AudioCollector

    collectors: list[AudioCollector] = []

    def listen(stream: Any, origin: float) -> Callable[[Any], None]:
        collectors.append(AudioCollector(stream, origin))
        return collectors[0].feed

    with open_video(clip, clip.stat().st_size) as reader:
        if audio:
            reader.listen(listen)
        frames = sum(1 for _ in reader.frames())
    if collectors:
        collectors[0].finish()
    return frames


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _paths(clip: Path, out: Path) -> dict[str, Callable[[], Any]]:
    from tasks.audio import analyse_audio, read_audio
    from tasks.audio.decode import SAMPLE_RATE
    from tasks.audio.levels import loudness
    from tasks.audio.rhythm import rhythm
    from tasks.audio.speech import speech_spans, transcribe
    from tasks.footage import sample_frames

    decoded = read_audio(clip)
    if decoded is None:
        raise SystemExit(f"{clip}: no audio track")
    mono = decoded.mono
    scenes = sample_frames(clip, out / "scenes", audio=False, read_text=False).scenes
    bounds = [(s.start_s, s.end_s) for s in scenes]

    def sample(**options: Any) -> Callable[[], Any]:
        return lambda: sample_frames(clip, Path(tempfile.mkdtemp(dir=out)), **options)

    return {
        "decode/audio": lambda: _decode_audio(clip),
        "read_audio": lambda: read_audio(clip),
        "vad": lambda: speech_spans(mono, SAMPLE_RATE),
        "whisper": lambda: transcribe(mono),
        "rhythm": lambda: rhythm(mono, SAMPLE_RATE),
        "loudness": lambda: loudness(decoded.samples, SAMPLE_RATE),
        "analyse": lambda: analyse_audio(decoded, bounds),
        "sample/video": sample(audio=False, read_text=False),
        "pass/video": lambda: _pass(clip, audio=False),
        "pass/+audio": lambda: _pass(clip, audio=True),
        "sample/all": sample(),
    }


def _ocr_per_frame(clip: Path, out: Path) -> tuple[float, float, int]:
    """Mean wall and CPU seconds of OCR on one sampled frame, and the frames read."""
    import cv2
    import numpy as np

    from tasks.footage import sample_frames
    from tasks.ocr import read_text_bgr

    manifest = sample_frames(clip, out / "ocr", audio=False, read_text=False)
    pictures = [np.asarray(cv2.imread(str(f.path)), np.uint8) for f in manifest.frames]
    read_text_bgr(pictures[0])  # the engine starts once
    wall, cpu, _ = _timed(lambda: [read_text_bgr(p) for p in pictures])
    return wall / len(pictures), cpu / len(pictures), len(pictures)


def measure(
    clips: list[Path] | None = None, rounds: int = 5, quick: bool = False
) -> dict[str, Any]:
    """Time the paths on each clip (only ``QUICK_PATHS`` when ``quick``) and return the figures.

    Returns:
        ``{"rounds", "cpus", "target", "clips": {name: {"audio_s", "ocr_frames", "paths":
        {path: {"first_s", "wall_s", "cpu_s"}}}}, "load_average": [before, after]}``; the
        paths include ``ocr/frame`` (one frame's OCR, the mean over a sample's frames).
    """
    from tasks.audio import read_audio

    load_before = os.getloadavg()
    report: dict[str, Any] = {
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "target": TARGET,
        "clips": {},
    }
    for clip in clips if clips is not None else DEFAULT_CLIPS:
        if not clip.exists():
            print(f"skip {clip}: missing", file=sys.stderr)
            continue
        out = Path(tempfile.mkdtemp(prefix="audio-cost-"))
        first: dict[str, float] = {}
        paths = _paths(clip, out)
        if quick:
            paths = {name: paths[name] for name in QUICK_PATHS}
        for name, fn in paths.items():
            first[name] = _timed(fn)[0]
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
        names = list(paths)
        for round_ in range(rounds):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                wall, cpu, _ = _timed(paths[name])
                times[name].append((wall, cpu))
        ocr_wall, ocr_cpu, ocr_frames = _ocr_per_frame(clip, out)
        rows: dict[str, dict[str, float]] = {}
        for name, runs in times.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            rows[name] = {"first_s": first[name], "wall_s": wall, "cpu_s": cpu}
        rows["ocr/frame"] = {"first_s": ocr_wall, "wall_s": ocr_wall, "cpu_s": ocr_cpu}
        decoded = read_audio(clip)
        report["clips"][clip.name] = {
            "audio_s": decoded.duration_s if decoded is not None else 0.0,
            "ocr_frames": ocr_frames,
            "paths": rows,
        }
        shutil.rmtree(out, ignore_errors=True)
    report["load_average"] = [load_before[0], os.getloadavg()[0]]
    return report


def main() -> None:
    """Run the benchmark, print the table, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path, default=DEFAULT_CLIPS)
    parser.add_argument("-n", "--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="only " + ", ".join(QUICK_PATHS))
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()

    report = measure(args.clips, args.rounds, args.quick)
    header = (
        f"{'clip':<14}{'path':>14}{'first ms':>10}{'wall ms':>9}{'x dec':>8}"
        f"{'cpu ms':>9}{'x dec':>8}"
    )
    lines: list[str] = []
    for name, figures in report["clips"].items():
        rows = figures["paths"]
        base_wall, base_cpu = rows["decode/audio"]["wall_s"], rows["decode/audio"]["cpu_s"]
        for path, row in rows.items():
            lines.append(
                f"{name:<14}{path:>14}{row['first_s'] * 1e3:>10.0f}{row['wall_s'] * 1e3:>9.1f}"
                f"{row['wall_s'] / base_wall:>8.2f}{row['cpu_s'] * 1e3:>9.1f}"
                f"{row['cpu_s'] / base_cpu:>8.2f}"
            )
        duration, ocr_frames = figures["audio_s"], figures["ocr_frames"]
        analyse, ocr = rows["analyse"], rows["ocr/frame"]
        lines.append(
            f"{name:<14} {duration:.1f} s of audio; analyse_audio {analyse['wall_s']:.2f} s "
            f"wall = {analyse['wall_s'] / base_wall:.1f}x decoding the audio, "
            f"{analyse['wall_s'] / max(duration, 1e-9):.2f}x real time; OCR of {ocr_frames} "
            f"frames {ocr['wall_s'] * ocr_frames:.2f} s"
        )
        lines.append("")
    before, after = report["load_average"]
    print(
        f"median of {args.rounds} rounds; 'first' is the first call in the process (one-time "
        f"costs); ratios against decode/audio; {os.cpu_count()} CPUs, load average "
        f"{before:.2f} before, {after:.2f} after"
    )
    print(header)
    print("-" * len(header))
    print("\n".join(lines).rstrip())
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
