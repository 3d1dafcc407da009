"""Sandbox cost: the jail's start-up overhead, and how fast each runaway class is stopped.

Printed tables:

* start-up: the same interpreter started bare (``python -I -S -c pass``) and inside the
  jail (``bwrap`` with the run's full view), median of ``-n`` runs: what bwrap adds;
* a trivial edit (``source.subclipped(0, 1)``, validate-only and rendered) through
  ``run_script``, median of ``-n`` runs; with ``--before DIR`` the same through the runner
  of another checkout (e.g. ``/work/main``), in a subprocess, for a before/after row;
* runaways: wall time to stop a CPU loop in ``edit()``, deep recursion, a memory bomb and an
  endless render, with the reason reported.

Target (issue 12): the jail adds no more than 0.3 s per run.

    .venv/bin/python benchmarks/sandbox.py [-n 5] [--before /work/main]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_TRIVIAL = "def edit(source):\n    return source.subclipped(0, 1)\n"
_BEFORE = """\
import json, sys, time
from pathlib import Path
from sandbox.runner import Limits, run_script
clip, out, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
times = {"validate": [], "render": []}
for _ in range(n):
    for kind in times:
        t = time.perf_counter()
        r = run_script(sys.argv[4], [clip], out, validate_only=kind == "validate")
        assert r.ok, r.reason
        times[kind].append(time.perf_counter() - t)
print(json.dumps(times))
"""


def _clip(directory: Path) -> Path:
    import imageio_ffmpeg

    path = directory / "clip.mp4"
    lavfi = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=24", "-f", "lavfi", "-i", "sine"]
    codecs = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    ffmpeg = [imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error"]
    subprocess.run([*ffmpeg, *lavfi, "-t", "4", *codecs, str(path)], check=True)
    path.chmod(0o644)
    return path


def _median(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.0f} ms"


def _startup(n: int, scratch: Path) -> tuple[list[float], list[float]]:
    from sandbox.jail import jail_command, runtime_view

    python = runtime_view().python
    jailed = jail_command(scratch, [], None)
    jailed = [*jailed[: jailed.index("--") + 1], python, "-I", "-S", "-c", "pass"]
    bare: list[float] = []
    inside: list[float] = []
    for _ in range(n):
        for command, samples in (([python, "-I", "-S", "-c", "pass"], bare), (jailed, inside)):
            started = time.perf_counter()
            subprocess.run(command, check=True)
            samples.append(time.perf_counter() - started)
    return bare, inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another checkout to compare against")
    args = parser.parse_args()
    from sandbox.runner import Limits, run_script

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        clip = _clip(work)
        bare, inside = _startup(args.n, work)
        print(f"{'start-up (python -I -S -c pass)':40} {'median':>11}")
        print(f"{'  bare':40} {_median(bare)}")
        print(f"{'  in the jail':40} {_median(inside)}")
        added = statistics.median(inside) - statistics.median(bare)
        print(f"{'  added by bwrap':40} {added * 1000:8.0f} ms")
        after: dict[str, list[float]] = {"validate": [], "render": []}
        for _ in range(args.n):
            for kind in after:
                started = time.perf_counter()
                result = run_script(
                    _TRIVIAL, [clip], work / "o.mp4", validate_only=kind == "validate"
                )
                assert result.ok, result.reason
                after[kind].append(time.perf_counter() - started)
        print(f"\n{'trivial edit through run_script':40} {'median':>11}")
        for kind, samples in after.items():
            print(f"{'  ' + kind + ' (this checkout)':40} {_median(samples)}")
        if args.before:
            env = {**os.environ, "PYTHONPATH": str(args.before)}
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    _BEFORE,
                    str(clip),
                    str(work / "b.mp4"),
                    str(args.n),
                    _TRIVIAL,
                ],
                capture_output=True,
                text=True,
                env=env,
                cwd=args.before,
                check=True,
            )
            before = json.loads(done.stdout.strip().splitlines()[-1])
            for kind, samples in before.items():
                print(f"{'  ' + kind + f' ({args.before})':40} {_median(samples)}")
        limits = replace(Limits.from_settings(), cpu_s=120, wall_s=120.0, memory_bytes=1024**3)
        print(f"\n{'runaway':40} {'stopped in':>11}  reason")
        runaways = REPO / "tests" / "sandbox" / "runaway"
        cases = [
            ("CPU loop in edit()", "infinite_loop", limits, True),
            ("deep recursion", "deep_recursion", limits, True),
            ("memory bomb", "memory_bomb_list", limits, True),
            ("endless render (duration cap)", "endless_render", limits, False),
            (
                "endless render (cap lifted)",
                "endless_render",
                replace(limits, max_duration_s=1e9, wall_s=60.0),
                False,
            ),
        ]
        for label, name, case_limits, validate in cases:
            source = (runaways / f"{name}.py").read_text(encoding="utf-8")
            started = time.perf_counter()
            result = run_script(
                source, [clip], work / "r.mp4", limits=case_limits, validate_only=validate
            )
            took = time.perf_counter() - started
            print(f"{'  ' + label:40} {took:9.1f} s  {(result.reason or 'ok')[:60]}")


if __name__ == "__main__":
    main()
