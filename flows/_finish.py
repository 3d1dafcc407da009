"""The creative job's end: keep the best render, write its timeline, report and summarise."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.exceptions import JobError, StudioError
from core.files import publish, remove_stale_partials, staging_folder, write_atomic
from flows._progress import artifact, say, slug
from flows._steps import SampledClip, report_task
from flows.spec import JobSpec
from tasks.analyze_frames import FrameAnalysis
from tasks.understand_intent import Understanding

__all__ = ["finish_job"]


def finish_job(
    spec: JobSpec,
    run: Any,
    started: float,
    understanding: Understanding,
    clips: list[SampledClip],
    analyses: dict[tuple[int, int], FrameAnalysis],
    facts: dict[str, Any],
    rounds: Any,
    key: str | None = None,
) -> dict[str, Any]:
    """Write the kept video and its timeline, then the report; return the summary.

    Everything is written into a hidden staging folder inside ``output_dir`` and moved into
    place only once all of it is written, ``summary.json`` last. A write that fails (a full
    disk, a read-only folder) leaves the folder as it was and raises one ``JobError`` line;
    the steps before are cached, so a rerun with room finishes without model calls. With
    ``key`` (``job_key`` at the start of the run), the published files are recorded under it
    (``flows._up_to_date``) when the key still holds at the end.

    Raises:
        JobError: The outputs could not be written.
    """
    with _publishing(spec) as staged:
        results, names = _write_outputs(
            spec, run, started, understanding, clips, analyses, facts, rounds, staged
        )
        summary, reported = _report(spec, results, staged, staged, report_task)
        publish(staged, names + reported)
    if key is not None:
        _record(spec, run, key, names, results)
    return _done(spec, run, summary)


def finish_up_to_date(spec: JobSpec, run: Any, started: float, record: Any) -> dict[str, Any]:
    """Finish a run whose outputs are already in place: this run's report and summary only.

    ``record`` is the ``JobRecord`` whose files ``recorded_run`` found unchanged: every
    step it took counts as a cache hit, with the calls behind it, and no call is sent.

    Raises:
        JobError: The report could not be written.
    """
    say(f"outputs up to date in {spec.output_dir} (same spec, footage, prompts, models and "
        "code; every file checked by its sha256): nothing to run")  # fmt: skip
    from tasks.report import write_report

    run.tally.reuse(record.steps, record.calls)
    results = replace(record.results, **_run_fields(run, started))
    with _publishing(spec) as staged:
        # No step runs here, so no task run either: the report is written in the flow.
        summary, reported = _report(spec, results, staged, spec.output_dir, write_report)
        publish(staged, reported)
    return _done(spec, run, summary)


@contextlib.contextmanager
def _publishing(spec: JobSpec) -> Iterator[Path]:
    """A staging folder in ``output_dir``; a failed write becomes one ``JobError`` line."""
    try:
        remove_stale_partials(spec.output_dir / slug(spec.name))
        with staging_folder(spec.output_dir / slug(spec.name)) as staged:
            yield staged
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise JobError(
            f"cannot write the outputs to {spec.output_dir}: {reason}; nothing was kept there "
            "(finished steps are cached: rerun once it is writable and has room)"
        ) from exc


def _record(spec: JobSpec, run: Any, key: str, names: list[str], results: Any) -> None:
    """Record the published run under ``key``, unless what decides the outputs moved mid-run.

    A deployment that went down during the run changed who served a later step: those
    outputs belong to neither key, so they are not recorded.
    """
    from flows._up_to_date import job_key, record_run

    if job_key(spec, run.client, run.settings) == key:
        record_run(run.cache.storage, key, spec.output_dir, names, results, run.tally.steps)


def _done(spec: JobSpec, run: Any, summary: dict[str, Any]) -> dict[str, Any]:
    if "report" in spec.steps:
        say(f"report: {spec.output_dir / 'report.md'}")
    say(f"done in {summary['duration_s']:.1f}s: {len(run.client.records)} model calls, "
        f"{run.tally.cache_hits} cache hits; {summary['cost']['text']}")  # fmt: skip
    return summary


def _run_fields(run: Any, started: float) -> dict[str, Any]:
    """The report's fields that belong to this run, not to the results it reports."""
    from prefect.runtime import flow_run

    return {
        "sent": run.client.records,  # the run's own client: every record is this run's
        "cached": run.tally.cached_calls,
        "cache_hits": run.tally.cache_hits,
        "cached_steps": run.tally.cached_steps,
        "cache_backend": run.cache.backend,
        "cache_degraded": run.cache.degraded,
        "gpu_price_per_hour": getattr(run.settings, "gpu_price_per_hour", {}),
        "flow_run_id": str(flow_run.id) if flow_run.id else None,
        "duration_s": round(time.perf_counter() - started, 3),
    }


def _write_outputs(
    spec: JobSpec,
    run: Any,
    started: float,
    understanding: Understanding,
    clips: list[SampledClip],
    analyses: dict[tuple[int, int], FrameAnalysis],
    facts: dict[str, Any],
    rounds: Any,
    staged: Path,
) -> tuple[Any, list[str]]:
    """Write the video and the files beside it into ``staged``; the report's inputs, the names."""
    from flows._cache_keys import file_sha256
    from tasks.report import JobResults

    client, settings = run.client, run.settings
    best = rounds.best if rounds is not None else None
    output_video: Path | None = None
    subtitles: list[Path] = []
    timeline: list[Path] = []
    images: list[Path] = []
    notes = list(understanding.notes) + (list(rounds.notes) if rounds is not None else [])
    if best is not None and "render" in spec.steps:
        output_video = write_atomic(staged / f"{slug(spec.name)}.mp4", best.rendered.data)
        subtitles, missed = _subtitles(spec, clips, best, output_video)
        notes += missed
        seconds = best.rendered.duration_s
        say(f"kept round {best.round} ({best.route}): {spec.output_dir / output_video.name} "
            f"({seconds:.2f} s, {best.passed}/{best.total} checks passed)")  # fmt: skip
        timeline, skipped = _timeline(spec, clips, best.plan, output_video)
        notes += [f"timeline: {name} not written ({why})" for name, why in skipped.items()]
        images, missed = _sheets(spec, best.plan, output_video)
        notes += missed
    made = ([output_video] if output_video else []) + subtitles + timeline + images
    final = spec.output_dir  # what the report and the summary name: where the files end up
    results = JobResults(
        name=spec.name,
        request=spec.request,
        footage=list(spec.footage),
        steps=spec.steps,
        profile=getattr(getattr(client, "routing", None), "profile", settings.profile),
        video_sha256=file_sha256(spec.video),
        clip_facts=facts,
        manifests=[clip.manifest for clip in clips],
        intent=understanding.intent,
        brief=understanding.brief,
        analyses=analyses,
        edit=best.outcome if best is not None else None,
        edit_mode=spec.generate_edit.mode,
        route=rounds.route if rounds is not None else "",
        rounds=len(rounds.attempts) if rounds is not None else 0,
        checks=best.checks if best is not None else [],
        timeline=[final / p.name for p in timeline],
        images=[final / p.name for p in images],
        output_video=final / output_video.name if output_video else None,
        report_path=final / "report.md",
        notes=notes,
        **_run_fields(run, started),
    )
    return results, [p.name for p in made]


def _report(
    spec: JobSpec,
    results: Any,
    staged: Path,
    pictures: Path,
    write: Callable[[Any, Path, dict[str, Any]], Any],
) -> tuple[dict[str, Any], list[str]]:
    """Assemble the report (its artifacts too) and ``write`` it into ``staged``.

    ``pictures`` is the folder the sheets are read from for the artifact. Returns the
    summary and the names to publish.
    """
    from tasks.report import assemble, call_rows, inline_images, render_markdown

    report, summary = assemble(results)
    key = slug(spec.name)
    inline = inline_images(pictures, report.images) if report.images else ""
    artifact("markdown", markdown=render_markdown(report, inline), key=f"{key}-report",
             description=f"Creative job report: {spec.name}")  # fmt: skip
    artifact(
        "table",
        table=call_rows(report.calls) or [{"role": "-", "deployment": "-", "cache_hit": False}],
        key=f"{key}-model-calls",
        description=f"Model calls; {report.cost.text}",
    )
    if "report" not in spec.steps:
        return summary, []
    write(report, staged, summary)
    return summary, ["report.md", "summary.json"]  # summary.json last: it marks a complete run


def _subtitles(
    spec: JobSpec, clips: list[SampledClip], best: Any, video: Path
) -> tuple[list[Path], list[str]]:
    """The output's subtitles beside ``video`` (.srt/.vtt) or burned into it, as asked.

    Timed by the kept edit's decision list; a coder's script has none, so nothing is guessed.
    A missing transcript or a failed burn is a note; a failed write (``OSError``) is not.
    """
    from sandbox.edl import EditDecisionList
    from tasks.audio.subtitles import to_srt, to_vtt
    from tasks.output_subtitles import burn_in, output_cues

    asked = spec.subtitles
    if asked == "none":
        return [], []
    if best.outcome.edl is None:
        return [], [f"subtitles: not written (the {best.route} route's script has no "
                    "decision list to time them by)"]  # fmt: skip
    edl = EditDecisionList.model_validate(best.outcome.edl)
    if edl.audio == "mute":
        return [], ["subtitles: not written (the edit is muted)"]
    audio = [getattr(c.manifest, "audio", None) for c in clips]
    transcripts = [a.transcript if a is not None else None for a in audio]
    durations = [float(c.manifest.video.duration) for c in clips]
    made = output_cues(edl, transcripts, durations)
    if not made:
        return [], ["subtitles: not written (no words recognised in the kept edit's sources)"]
    say(f"subtitles: {len(made)} cue(s) ({asked})")
    if asked == "burn":
        try:
            burn_in(video, to_srt(made), video.with_suffix(".burn.mp4")).replace(video)
        except StudioError as exc:
            return [], [f"subtitles: not burned in ({exc})"]
        return [], []
    written: list[Path] = []
    if asked in ("srt", "both"):
        written.append(write_atomic(video.with_suffix(".srt"), to_srt(made).encode()))
    if asked in ("vtt", "both"):
        written.append(write_atomic(video.with_suffix(".vtt"), to_vtt(made).encode()))
    return written, []


def _timeline(
    spec: JobSpec, clips: list[SampledClip], plan: Any, output: Path
) -> tuple[list[Path], dict[str, str]]:
    """The kept plan as .otio/.xml/.edl beside the MP4 (a failure is a note, not a failed job)."""
    from tasks.export_timeline import export_timeline

    fps = float(clips[0].manifest.video.fps) if clips else 24.0
    durations = [float(c.manifest.video.duration) for c in clips] or None
    try:
        files = export_timeline(plan, list(spec.footage), output, fps, durations)
    except Exception as exc:  # an editor's file is a bonus: never fail a rendered job for it
        return [], {"timeline": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    written = [p for p in (files.otio, files.fcp_xml, files.cmx_edl) if p is not None]
    return written, dict(files.skipped)


def _sheets(spec: JobSpec, plan: Any, output: Path) -> tuple[list[Path], list[str]]:
    """The output's contact sheet and the source shot behind each segment, beside the report."""
    from tasks.report import contact_sheet, shot_sheet

    written: list[Path] = []
    missed: list[str] = []
    makers: list[tuple[str, Callable[[Path], Path]]] = [
        ("contact-sheet.jpg", lambda out: contact_sheet(output, out))
    ]
    if plan is not None:
        makers.append(("shots.jpg", lambda out: shot_sheet(plan, list(spec.footage), out)))
    for name, make in makers:
        try:
            written.append(make(output.parent / name))
        except Exception as exc:  # pictures are a bonus: never fail a rendered job for them
            missed.append(f"{name} not written ({type(exc).__name__}: {exc})".splitlines()[0])
    return written, missed
