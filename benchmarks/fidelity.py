"""Creative fidelity benchmark: does the rendered edit do what was asked? (a table, not a test)

Each case is a request with checkable outcomes, run end to end through the creative job on the
configured tier (the embedded CPU tier by default), then measured ON THE RENDERED VIDEO by the
verifier. The expected brief of every case is written out by hand in ``_fidelity_cases.py`` --
it is never taken from the product's own parser, so a parse error shows up as a miss, not as a
moved goalpost.

    .venv/bin/python benchmarks/fidelity.py
        [--set main|holdout|holdout2..holdout15|all] [--cases 1,4]
        [--json out.json] [--home DIR]
    .venv/bin/python benchmarks/fidelity.py --report out.json     # reprint saved results
    .venv/bin/python benchmarks/fidelity.py --trusted --set all    # no model: parse + plan only
    .venv/bin/python benchmarks/fidelity.py --render-only --json out.json; ... --remeasure out.json

Targets (issue 11): at least 90% of checkable criteria met, and every duration in tolerance.
Reuse a ``--home`` to rerun from the result cache.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# Its temporary Prefect server otherwise tries to send telemetry (no network here: an error
# in the log of every run), as the studio's own commands already say.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from _fidelity_cases import SETS, Case  # noqa: E402


def _measure(row: dict[str, Any], case: Case) -> None:
    """Verify a rendered case against its hand-written brief, on the video itself."""
    from tasks.measure_shots import measure_shots
    from tasks.verify_edit import verify_edit

    shots = measure_shots(case.footage)
    checks = verify_edit(Path(row["output_video"]), [case.footage], case.expected, shots)
    row["checks"] = [
        {
            "id": c.criterion.id,
            "kind": c.criterion.kind,
            "text": c.criterion.text,
            "passed": c.passed,
            "measured": c.measured,
        }
        for c in checks
    ]


def _case_of(row: dict[str, Any]) -> Case:
    cases = SETS[str(row.get("set", "main"))]
    return cases[int(row["case"]) - 1]


def _run_case(
    number: int, case: Case, home: Path, measure: bool, which: str = "main"
) -> dict[str, Any]:
    from flows.creative_job import run_job

    prefix = "case" if which == "main" else which
    job_dir = home / "jobs" / f"{prefix}-{number:02d}"
    job_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "name": f"fidelity-{prefix}-{number:02d}",
        "request": case.request,
        "footage": str(case.footage),
        "output_dir": str(job_dir / "out"),
    }
    (job_dir / "job.json").write_text(json.dumps(spec, indent=2))
    started = time.perf_counter()
    row: dict[str, Any] = {
        "set": which,
        "case": number,
        "request": case.request,
        "footage": case.footage.name,
    }
    try:
        summary = run_job(job_dir / "job.json")
    except Exception as exc:  # the benchmark reports a failed job; it never stops the run
        row.update(error=f"{type(exc).__name__}: {exc}".splitlines()[0], checks=[])
        return row
    row["seconds"] = round(time.perf_counter() - started, 1)
    row["route"] = summary.get("route") or summary.get("mode")
    video = summary.get("output_video")
    if not video:
        row.update(error="no output video", checks=[])
        return row
    row.update(output_video=str(video), checks=[])
    for key in ("checks_passed", "checks_total", "rounds"):  # the job's own verdict, if any
        if key in summary:
            row[f"job_{key}"] = summary[key]
    if measure:
        _measure(row, case)
    return row


def _run_trusted(number: int, case: Case, home: Path, which: str) -> dict[str, Any]:
    """The trusted path alone: parse, plan, compile, render in the sandbox, verify (no model)."""
    try:
        return _trusted(number, case, home, which)
    except Exception as exc:  # as _run_case: a case that raises is a failed case, not a stopped run
        return {
            "set": which,
            "case": number,
            "request": case.request,
            "footage": case.footage.name,
            "route": "trusted (parse + plan, no model)",
            "error": f"{type(exc).__name__}: {exc}".splitlines()[0],
            "checks": [],
        }


def _trusted(number: int, case: Case, home: Path, which: str) -> dict[str, Any]:
    from sandbox.edl import compile_edl
    from sandbox.runner import run_script
    from tasks.brief import parse_request
    from tasks.measure_shots import measure_shots
    from tasks.on_footage import on_footage
    from tasks.plan_edit import plan_edit
    from tasks.plan_sound import fit_to_sound, with_speech_default

    started = time.perf_counter()
    row: dict[str, Any] = {
        "set": which,
        "case": number,
        "request": case.request,
        "footage": case.footage.name,
        "route": "trusted (parse + plan, no model)",
    }
    shots = measure_shots(case.footage)
    # As the job plans: the footage's sound (beats, words) and its speech default, then the
    # cuts fitted to that sound (flows.creative_job._edit, flows._edit_rounds._sound).
    audio, fps = _sound_of(case.footage)
    durations = [shots[-1].end_s]
    # Frames in the request ("frames 48-96", "00:00:03:12") count at the footage's rate, as
    # the job reads them (flows._understanding).
    brief = with_speech_default(parse_request(case.request, fps), [audio])
    brief = on_footage(brief, shots, durations)  # as the job does
    plan = plan_edit(brief, shots, durations)
    plan = fit_to_sound(plan, brief, [audio], [fps], durations, shots)
    video = home / "trusted" / f"{which}-{number:02d}.mp4"
    video.parent.mkdir(parents=True, exist_ok=True)
    outcome = run_script(compile_edl(plan.edl), [case.footage], video)
    if not outcome.ok:
        row.update(error=f"render failed: {outcome.reason}", checks=[])
        return row
    if brief.sound and brief.sound.loudness_lufs is not None and brief.audio != "mute":
        # As the job's edit rounds do after every render (flows._edit_rounds).
        from tasks.audio.normalise import normalise_loudness

        normalise_loudness(video, brief.sound.loudness_lufs)
    row.update(output_video=str(video), checks=[])
    _measure(row, case)
    row["seconds"] = round(time.perf_counter() - started, 1)
    return row


def _sound_of(footage: Path) -> tuple[Any, float]:
    """The footage's analysed sound (None without an audio track) and its frame rate."""
    from tasks.audio.analyse import analyse_audio
    from tasks.audio.decode import read_audio
    from tasks.probe import probe

    decoded = read_audio(footage)
    audio = analyse_audio(decoded)[0] if decoded is not None else None
    return audio, float(probe(footage).fps)


def _mark(passed: bool | None) -> str:
    return "-" if passed is None else ("✓" if passed else "✗")


def report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Print every case and the totals (per set when there are several); return the totals."""
    sets = list(dict.fromkeys(row.get("set", "main") for row in rows))
    if len(sets) == 1:
        return _report_set(rows)
    totals = {}
    for which in sets:
        print(f"\n## {which} set")
        totals[which] = _report_set([r for r in rows if r.get("set", "main") == which])
    print("\n## all sets")
    totals["all"] = _summary(
        *(sum(t[k] for t in totals.values()) for k in ("met", "total", "durations_ok",
                                                        "durations_total", "cases_ran", "cases"))
    )  # fmt: skip
    return totals


def _summary(
    met: int, total: int, dur_ok: int, dur_total: int, ran: int, cases: int
) -> dict[str, Any]:
    rate = met / total if total else 0.0
    print("\n| measure | value | target |\n| --- | ---: | --- |")
    print(f"| cases that rendered | {ran}/{cases} | all |")
    print(f"| criteria met | {met}/{total} ({rate:.0%}) | ≥ 90% |")
    print(f"| durations in tolerance | {dur_ok}/{dur_total} | all |")
    return {
        "met": met,
        "total": total,
        "rate": rate,
        "durations_ok": dur_ok,
        "durations_total": dur_total,
        "cases_ran": ran,
        "cases": cases,
    }


def _report_set(rows: list[dict[str, Any]]) -> dict[str, Any]:
    met = total = dur_ok = dur_total = 0
    for row in rows:
        tag = "case" if row.get("set", "main") == "main" else row["set"]
        print(f"\n{tag} {row['case']:>2} [{row['footage']}] {row['request']}")
        if row.get("error"):
            print(f"   ✗ job failed: {row['error']}")
        for check in row["checks"]:
            print(f"   {_mark(check['passed'])} {check['text']:<52} {check['measured']}")
            if check["passed"] is None:
                continue
            total += 1
            met += bool(check["passed"])
            if check["kind"] == "duration":
                dur_total += 1
                dur_ok += bool(check["passed"])
        if row.get("error"):
            # A failed job misses every criterion its case asks for.
            expected = _case_of(row).expected
            missed = [c for c in expected.criteria() if c.checkable]
            total += len(missed)
            dur_total += sum(c.kind == "duration" for c in missed)
    ran = sum(not r.get("error") for r in rows)
    return _summary(met, total, dur_ok, dur_total, ran, len(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated 1-based case numbers (default: all)")
    parser.add_argument(
        "--set",
        choices=[*SETS, "all"],
        default="main",
        help="which requests: one set, or all of them (default: main)",
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--home", type=Path, help="studio home to use (default: the studio's own)")
    parser.add_argument("--report", type=Path, help="reprint a saved JSON and exit")
    parser.add_argument(
        "--trusted",
        action="store_true",
        help="no model: the request's parse, planned, compiled, rendered and verified",
    )
    parser.add_argument("--render-only", action="store_true", help="run the jobs, measure later")
    parser.add_argument(
        "--remeasure", type=Path, help="verify the renders saved in this JSON again (in place)"
    )
    args = parser.parse_args()
    if args.report:
        report(json.loads(args.report.read_text())["rows"])
        return
    if args.remeasure:
        saved = json.loads(args.remeasure.read_text())
        for row in saved["rows"]:
            if row.get("output_video"):
                _measure(row, _case_of(row))
        saved["totals"] = report(saved["rows"])
        args.remeasure.write_text(json.dumps(saved, indent=2))
        return
    # The studio's own home by default (its CPU-tier model and result cache); --home for a
    # separate one, which needs the model too (`studio tier fetch` with that STUDIO_HOME).
    if args.home:
        args.home.mkdir(parents=True, exist_ok=True)
        os.environ["STUDIO_HOME"] = str(args.home)
    home = args.home or Path(tempfile.mkdtemp(prefix="studio-fidelity-"))
    rows = []
    for which in SETS if args.set == "all" else [args.set]:
        cases = SETS[which]
        chosen = [int(n) for n in args.cases.split(",")] if args.cases else range(1, len(cases) + 1)
        for number in chosen:
            case = cases[number - 1]
            rows.append(
                _run_trusted(number, case, home, which)
                if args.trusted
                else _run_case(number, case, home, not args.render_only, which)
            )
            if args.json:  # saved after every case: a long run that is stopped keeps it
                args.json.write_text(json.dumps({"rows": rows}, indent=2))
    totals = report(rows)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "totals": totals}, indent=2))


if __name__ == "__main__":
    main()
