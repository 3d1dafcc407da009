"""Sandbox cost: the jail's start-up overhead, and how fast each runaway class is stopped.

Printed tables:

* start-up: the same interpreter started bare (``python -I -S -c pass``) and inside the
  jail (``bwrap`` with the run's full view), median of ``-n`` runs: what bwrap adds;
* ``studio sandbox run`` on a trivial edit (``source.subclipped(0, 1)``), validate-only
  and rendered, a fresh CLI process per run as a user runs it, median of ``-n`` runs.
  Each ``--before LABEL=DIR`` adds the same command run from another checkout (e.g. one
  made with ``git archive 888e179 | tar -x -C /tmp/prejail``, the commit before the
  jail). Runs of all checkouts are interleaved, so machine load hits them alike, and each
  row's difference and ratio are against the first ``--before``;
* runaways: wall time to stop a CPU loop in ``edit()`` (in Python, and inside one native
  call), deep recursion, a memory bomb and an endless render, with the reason reported
  (a CPU budget's reason names the CPU seconds the stage had used: the limit is CPU
  time, so a loaded machine stretches the wall time, not what the script may spend).

The load average is printed (and kept in ``--json``) before and after: every figure here
is wall time on a shared machine.

Target (issue 12): the jail adds no more than 0.3 s per run.

    .venv/bin/python benchmarks/sandbox.py [-n 5] [--before pre-jail=/tmp/prejail]
        [--json benchmarks/sandbox-results.json]
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
_KINDS = ("validate", "render")


def _clip(directory: Path) -> Path:
    import imageio_ffmpeg

    path = directory / "clip.mp4"
    lavfi = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=24", "-f", "lavfi", "-i", "sine"]
    codecs = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    ffmpeg = [imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error"]
    subprocess.run([*ffmpeg, *lavfi, "-t", "4", *codecs, str(path)], check=True)
    path.chmod(0o644)
    return path


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f} ms"


def _startup(n: int, scratch: Path) -> tuple[list[float], list[float]]:
    from sandbox.jail import JOB_FILES, SCRATCH_FILES, jail_command, runtime_view

    for name in [*JOB_FILES, *SCRATCH_FILES]:
        (scratch / name).touch()
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


def _cli_runs(
    n: int, checkouts: dict[str, Path], clip: Path, work: Path
) -> dict[str, dict[str, list[float]]]:
    """``studio sandbox run`` per checkout and kind, interleaved run by run."""
    script = work / "trivial.py"
    script.write_text(_TRIVIAL, encoding="utf-8")
    times: dict[str, dict[str, list[float]]] = {
        label: {k: [] for k in _KINDS} for label in checkouts
    }
    for _ in range(n):
        for label, checkout in checkouts.items():
            env = {**os.environ, "PYTHONPATH": str(checkout)}
            for kind in _KINDS:
                command = [sys.executable, "-m", "studio.cli", "sandbox", "run", str(script)]
                command += ["--input", str(clip)]
                command += ["--validate-only"] if kind == "validate" else []
                command += ["--output", str(work / f"{label}.mp4")]
                for attempt in (1, 2):  # once more if the machine got in the way
                    started = time.perf_counter()
                    done = subprocess.run(
                        command, cwd=checkout, env=env, capture_output=True, text=True, check=False
                    )
                    if done.returncode == 0:
                        times[label][kind].append(time.perf_counter() - started)
                        break
                    if attempt == 2:
                        raise SystemExit(f"{label} {kind} failed: {done.stdout}{done.stderr}")
    return times


def _cli_table(times: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    medians = {
        label: {kind: statistics.median(samples) for kind, samples in kinds.items()}
        for label, kinds in times.items()
    }
    base = next(iter(medians))
    print(f"\n{'studio sandbox run, trivial edit':34} {'median':>11} {'vs ' + base:>22}")
    for label, kinds in medians.items():
        for kind, median in kinds.items():
            reference = medians[base][kind]
            versus = f"{(median - reference) * 1000:+7.0f} ms {median / reference:5.2f}x"
            print(f"{'  ' + label + ' ' + kind:34} {_ms(median)} {versus:>22}")
    return medians


def _runaways(clip: Path, work: Path) -> dict[str, float]:
    from sandbox.runner import Limits, run_script

    limits = replace(Limits.from_settings(), cpu_s=120, wall_s=120.0, memory_bytes=1024**3)
    print(f"\n{'runaway':40} {'stopped in':>11}  reason")
    runaways = REPO / "tests" / "sandbox" / "runaway"
    cases = [
        ("CPU loop in edit()", "infinite_loop", limits, True),
        ("CPU loop in one native call", "native_spin", limits, True),
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
    stopped: dict[str, float] = {}
    for label, name, case_limits, validate in cases:
        source = (runaways / f"{name}.py").read_text(encoding="utf-8")
        started = time.perf_counter()
        result = run_script(
            source, [clip], work / "r.mp4", limits=case_limits, validate_only=validate
        )
        took = time.perf_counter() - started
        stopped[label] = round(took, 1)
        print(f"{'  ' + label:40} {took:9.1f} s  {(result.reason or 'ok')[:90]}")
    return stopped


def _checkout(text: str) -> tuple[str, Path]:
    label, _, directory = text.partition("=")
    if not directory:
        raise argparse.ArgumentTypeError("--before takes LABEL=DIR")
    return label, Path(directory).resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--before", type=_checkout, action="append", default=[])
    parser.add_argument("--json", type=Path, help="write the medians here (a small file)")
    parser.add_argument("--skip-runaways", action="store_true")
    args = parser.parse_args()

    load_before = os.getloadavg()
    print(f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        clip = _clip(work)
        bare, inside = _startup(args.n, work)
        print(f"{'start-up (python -I -S -c pass)':34} {'median':>11}")
        print(f"{'  bare':34} {_ms(statistics.median(bare))}")
        print(f"{'  in the jail':34} {_ms(statistics.median(inside))}")
        added = statistics.median(inside) - statistics.median(bare)
        print(f"{'  added by bwrap':34} {_ms(added)}")
        checkouts = {label: path for label, path in args.before}
        checkouts["this checkout"] = REPO
        medians = _cli_table(_cli_runs(args.n, checkouts, clip, work))
        stopped = {} if args.skip_runaways else _runaways(clip, work)
    load_after = os.getloadavg()
    print(f"load average {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if args.json:
        report = {
            "n": args.n,
            "load_average": {
                "before": [round(v, 2) for v in load_before],
                "after": [round(v, 2) for v in load_after],
            },
            "bwrap_added_ms": round(added * 1000),
            "cli_median_ms": {
                label: {kind: round(value * 1000) for kind, value in kinds.items()}
                for label, kinds in medians.items()
            },
            "runaway_stopped_s": stopped,
        }
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
