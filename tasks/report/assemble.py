"""Assemble a job's report and JSON summary from what its steps produced."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inference.messages import CallRecord
from tasks.analyze_frames import FrameAnalysis
from tasks.brief import Brief, CheckResult
from tasks.report.model import CheckRow, JobReport, SceneRow, estimate_cost
from tasks.understand_intent import CreativeIntent

__all__ = ["JobResults", "assemble"]


@dataclass
class JobResults:
    """Everything a finished job knows, as plain values (the flow fills it in).

    Attributes:
        name: The job's name.
        request: The creative request.
        footage: The clips, in order (the first is the main one).
        steps: The steps the job ran.
        profile: The routing profile that served it.
        video_sha256: Hash of the main clip.
        clip_facts: The facts given to the coder.
        manifests: One sample manifest per sampled clip (``scenes`` and ``frames``).
        intent: The intent, when understood.
        analyses: Analyses keyed by (clip number, scene index).
        edit: The ``EditOutcome``, when an edit was generated.
        edit_mode: The mode the spec asked for.
        brief: The brief the render was verified against.
        route: How the kept edit was made: plan, script, edl or plan-fallback.
        rounds: Edits rendered and verified.
        checks: The kept render's check results, one per criterion.
        timeline: The timeline files written beside the video.
        images: The contact sheet and shot sheet written beside the report.
        notes: Notes of the steps (brief disagreements, asks the source cannot meet).
        output_video: The rendered video, when rendered.
        report_path: Where ``report.md`` goes.
        sent: Calls actually sent during the run.
        cached: Calls whose results came from the cache (``cache_hit`` set).
        cache_hits: Steps served from the cache.
        cached_steps: Their names.
        cache_backend: Where results are cached.
        cache_degraded: The cache became unavailable during the run.
        gpu_price_per_hour: USD per GPU-hour by deployment id.
        flow_run_id: The Prefect flow run.
        duration_s: Wall time of the run so far.
    """

    name: str
    request: str
    footage: Sequence[Path]
    steps: Sequence[str]
    profile: str
    video_sha256: str | None
    clip_facts: dict[str, Any]
    manifests: Sequence[Any] = ()
    intent: CreativeIntent | None = None
    analyses: Mapping[tuple[int, int], FrameAnalysis] = field(default_factory=dict)
    edit: Any = None
    edit_mode: str = "auto"
    brief: Brief | None = None
    route: str = ""
    rounds: int = 0
    checks: Sequence[CheckResult] = ()
    timeline: Sequence[Path] = ()
    images: Sequence[Path] = ()
    notes: Sequence[str] = ()
    output_video: Path | None = None
    report_path: Path | None = None
    sent: Sequence[CallRecord] = ()
    cached: Sequence[CallRecord] = ()
    cache_hits: int = 0
    cached_steps: Sequence[str] = ()
    cache_backend: str = ""
    cache_degraded: bool = False
    gpu_price_per_hour: Mapping[str, float] = field(default_factory=dict)
    flow_run_id: str | None = None
    duration_s: float = 0.0


def _scene_rows(results: JobResults) -> list[SceneRow]:
    several = len(results.footage) > 1
    return [
        SceneRow(
            index=int(s.index),
            start_s=float(s.start_s),
            end_s=float(s.end_s),
            frames=sum(1 for f in manifest.frames if int(f.scene) == int(s.index)),
            clip=results.footage[n].name if several else "",
            analysis=results.analyses.get((n, int(s.index))),
        )
        for n, manifest in enumerate(results.manifests)
        for s in manifest.scenes
    ]


def assemble(results: JobResults) -> tuple[JobReport, dict[str, Any]]:
    """The report and the JSON summary (the flow's return value) of a job.

    Returns:
        ``(report, summary)``; ``summary["llm_calls"]`` counts requests actually sent.
    """
    calls = [*results.sent, *results.cached]
    cost = estimate_cost(calls, results.profile, results.gpu_price_per_hour)
    notes: list[str] = list(results.notes)
    if results.cache_degraded:
        notes.append("the result cache became unavailable during the run; caching was off")
    scene_rows = _scene_rows(results)
    outcome, intent, analyses = results.edit, results.intent, results.analyses
    output_video = str(results.output_video) if results.output_video else None
    checks = [
        CheckRow(
            id=c.criterion.id,
            text=c.criterion.text,
            passed=c.passed,
            measured=c.measured,
            discrepancy=c.discrepancy,
        )
        for c in results.checks
    ]
    checks_total = sum(1 for c in checks if c.passed is not None)
    checks_passed = sum(1 for c in checks if c.passed is True)
    summary: dict[str, Any] = {
        "name": results.name,
        "flow_run_id": results.flow_run_id,
        "output_video": output_video,
        "report": str(results.report_path) if "report" in results.steps else None,
        "intent": intent.model_dump() if intent else None,
        "scenes": [r.model_dump(exclude={"analysis"}) for r in scene_rows],
        "analyses": [
            {"clip": results.footage[n].name, "scene": i, **analyses[(n, i)].model_dump()}
            for n, i in sorted(analyses)
        ],
        "edit": (
            {
                "mode": getattr(outcome, "mode", results.edit_mode),
                "attempts": getattr(outcome, "attempts", None),
                "fell_back_to_edl": bool(getattr(outcome, "fell_back_to_edl", False)),
                "route": results.route,
                "code": outcome.code,
            }
            if outcome is not None
            else None
        ),
        "brief": results.brief.model_dump(mode="json") if results.brief else None,
        "route": results.route,
        "rounds": results.rounds,
        "checks_passed": checks_passed,
        "checks_total": checks_total,
        "checks": [c.model_dump(exclude={"discrepancy"}) for c in checks],
        "missed": [f"{c.id} ({c.discrepancy or c.measured})" for c in checks if c.passed is False],
        "timeline": [str(p) for p in results.timeline],
        "llm_calls": len(results.sent),
        "cache_hits": results.cache_hits,
        "cached_steps": sorted(set(results.cached_steps)),
        "cache_backend": results.cache_backend,
        "cache_degraded": results.cache_degraded,
        "profile": results.profile,
        "video_sha256": results.video_sha256,
        "cost": cost.model_dump(),
        "duration_s": results.duration_s,
    }
    several = len(results.footage) > 1
    report = JobReport(
        name=results.name,
        request=results.request,
        profile=results.profile,
        video=results.footage[0].name,
        videos=[video.name for video in results.footage] if several else [],
        video_sha256=results.video_sha256,
        clip=results.clip_facts,
        intent=intent,
        scenes=scene_rows,
        edit_code=outcome.code if outcome is not None else None,
        edit_mode=getattr(outcome, "mode", None),
        edit_attempts=getattr(outcome, "attempts", None),
        fell_back_to_edl=bool(getattr(outcome, "fell_back_to_edl", False)),
        output_video=output_video,
        route=results.route,
        rounds=results.rounds,
        checks=checks,
        timeline=[p.name for p in results.timeline],
        images=[p.name for p in results.images],
        calls=calls,
        llm_calls=len(results.sent),
        cache_hits=results.cache_hits,
        cache_backend=results.cache_backend + (" (degraded)" if results.cache_degraded else ""),
        cost=cost,
        duration_s=results.duration_s,
        notes=notes,
    )
    return report, summary
