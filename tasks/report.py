"""The job report: ``report.md`` for people, ``summary.json`` for programs.

Both files are written under temporary names and renamed into place, so a folder holding
``summary.json`` always holds a complete run's results.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from inference.messages import CallRecord, CreativeIntent, FrameAnalysis

__all__ = [
    "CostLine",
    "JobReport",
    "SceneRow",
    "call_rows",
    "estimate_cost",
    "render_markdown",
    "scene_label",
    "write_atomic",
    "write_report",
]


def scene_label(index: int, clip: str = "") -> str:
    """How reports and prompts name a scene: ``Scene N``, or ``Scene N of CLIP``."""
    return f"Scene {index} of {clip}" if clip else f"Scene {index}"


class SceneRow(BaseModel):
    """One detected scene and what the vision role said about it."""

    index: int
    start_s: float
    end_s: float
    frames: int = Field(description="Frames sampled from the scene.")
    clip: str = Field(default="", description="File name of the clip the scene is in.")
    analysis: FrameAnalysis | None = None

    @property
    def label(self) -> str:
        """``Scene N``, plus ``of CLIP`` when the job has several clips."""
        return scene_label(self.index, self.clip)


class CostLine(BaseModel):
    """Tokens spent and, on GPU profiles, the estimated GPU time and price."""

    tokens_in: int = 0
    tokens_out: int = 0
    gpu_seconds: float | None = None
    usd: float | None = None
    text: str = ""


class JobReport(BaseModel):
    """Everything the report shows (the flow fills it in)."""

    name: str
    request: str
    profile: str
    video: str = Field(description="The main clip's file name (never a full local path).")
    videos: list[str] = Field(
        default_factory=list, description="Every clip's file name, when the job has several."
    )
    video_sha256: str | None = None
    clip: dict[str, Any] = Field(default_factory=dict, description="Clip facts given to the coder.")
    intent: CreativeIntent | None = None
    scenes: list[SceneRow] = Field(default_factory=list)
    edit_code: str | None = None
    edit_mode: str | None = None
    edit_attempts: int | None = None
    fell_back_to_edl: bool = False
    output_video: str | None = None
    calls: list[CallRecord] = Field(default_factory=list)
    llm_calls: int = 0
    cache_hits: int = 0
    cache_backend: str = ""
    cost: CostLine = Field(default_factory=CostLine)
    duration_s: float = 0.0
    notes: list[str] = Field(default_factory=list)


def estimate_cost(
    calls: Iterable[CallRecord], profile: str, gpu_price_per_hour: Mapping[str, float]
) -> CostLine:
    """Sum tokens and, for the vLLM profile, estimate GPU-seconds and price.

    GPU time is the wall time of calls actually sent (cache hits cost nothing), one GPU per
    deployment; the price per GPU-hour comes from the config's table by deployment id, with
    ``default`` for the rest.

    Args:
        calls: Call records of the run (cache hits included; they are skipped for cost).
        profile: The routing profile.
        gpu_price_per_hour: USD per GPU-hour by deployment id.

    Returns:
        The cost line.
    """
    sent = [c for c in calls if not c.cache_hit]
    tokens_in = sum(c.tokens_in for c in sent)
    tokens_out = sum(c.tokens_out for c in sent)
    text = f"tokens: {tokens_in} in + {tokens_out} out over {len(sent)} model calls"
    if profile != "vllm":
        return CostLine(
            tokens_in=tokens_in, tokens_out=tokens_out, text=f"{text}; CPU tier: no GPU cost"
        )
    gpu_s = sum(c.latency_s for c in sent)
    default = gpu_price_per_hour.get("default", 0.0)
    usd = sum(c.latency_s / 3600.0 * gpu_price_per_hour.get(c.deployment, default) for c in sent)
    return CostLine(
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        gpu_seconds=round(gpu_s, 3),
        usd=round(usd, 6),
        text=f"{text}; ~{gpu_s:.1f} GPU-seconds, ~${usd:.4f} at the configured GPU prices",
    )


def call_rows(calls: Iterable[CallRecord]) -> list[dict[str, Any]]:
    """Rows of the model-call table (role, deployment, tokens, latency, cache hit)."""
    return [
        {
            "role": c.role,
            "deployment": c.deployment,
            "tokens_in": c.tokens_in,
            "tokens_out": c.tokens_out,
            "latency_s": round(c.latency_s, 3),
            "cache_hit": c.cache_hit,
            "ok": c.ok,
        }
        for c in calls
    ]


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: JobReport) -> str:
    """Render the report as Markdown (also used as the Prefect markdown artifact)."""
    out: list[str] = [f"# Creative job: {report.name}", ""]
    out += [f"**Request:** {report.request}", ""]
    out += [
        f"- Footage: `{report.video}`"
        + (f" (sha256 `{report.video_sha256[:12]}`)" if report.video_sha256 else "")
        + "".join(f", `{name}`" for name in report.videos[1:]),
        f"- Profile: `{report.profile}`; cache: {report.cache_backend or 'n/a'}",
        f"- Output video: `{report.output_video}`"
        if report.output_video
        else "- Output video: none",
        f"- Model calls sent: {report.llm_calls}; cache hits: {report.cache_hits}",
        f"- Cost: {report.cost.text}",
        f"- Wall time: {report.duration_s:.1f} s",
        "",
    ]
    if report.intent is not None:
        intent = report.intent
        out += [
            "## Intent",
            "",
            f"- Goal: {intent.goal}",
            f"- Style and mood: {intent.style_and_mood}",
        ]
        out += [f"- Audience: {intent.target_audience}"]
        out += [f"- Success criterion: {c}" for c in intent.success_criteria]
        out += [f"- Challenge: {c}" for c in intent.technical_challenges]
        out.append("")
    if report.scenes:
        several = any(s.clip for s in report.scenes)
        clip_head, clip_rule = ("clip | ", "--- | ") if several else ("", "")
        out += ["## Scenes", "", f"| {clip_head}scene | start (s) | end (s) | frames | summary |"]
        out += [f"| {clip_rule}---: | ---: | ---: | ---: | --- |"]
        for s in report.scenes:
            summary = s.analysis.summary if s.analysis else ""
            clip_cell = f"{_cell(s.clip)} | " if several else ""
            out.append(
                f"| {clip_cell}{s.index} | {s.start_s:.2f} | {s.end_s:.2f} | {s.frames} "
                f"| {_cell(summary)} |"
            )
        out.append("")
        out += ["## Per-scene analysis", ""]
        for s in report.scenes:
            if s.analysis is None:
                continue
            a = s.analysis
            label = " (blind: from OpenCV descriptors, no image seen)" if a.blind else ""
            out += [f"### {s.label}{label}", "", a.summary, ""]
            if a.subjects:
                out.append(f"- Subjects: {', '.join(a.subjects)}")
            for name, value in (
                ("Mood", a.mood),
                ("Composition", a.composition),
                ("Motion", a.motion),
            ):
                if value:
                    out.append(f"- {name}: {value}")
            out += [f"- Suggestion: {x}" for x in a.edit_suggestions]
            if a.deployment:
                out.append(f"- Deployment: `{a.deployment}`")
            out.append("")
    if report.edit_code is not None:
        how = f"mode {report.edit_mode}, {report.edit_attempts} attempt(s)"
        if report.fell_back_to_edl:
            how += ", fell back to an edit decision list"
        out += [
            "## Edit script",
            "",
            f"_{how}_",
            "",
            "```python",
            report.edit_code.rstrip(),
            "```",
            "",
        ]
    if report.calls:
        out += [
            "## Model calls",
            "",
            "| role | deployment | tokens in | tokens out | latency (s) | cache hit |",
        ]
        out += ["| --- | --- | ---: | ---: | ---: | --- |"]
        for c in report.calls:
            out.append(
                f"| {c.role} | {_cell(c.deployment)} | {c.tokens_in} | {c.tokens_out} "
                f"| {c.latency_s:.2f} | {'yes' if c.cache_hit else 'no'} |"
            )
        out.append("")
    if report.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in report.notes] + [""]
    return "\n".join(out).rstrip() + "\n"


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary sibling and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(path)
    return path


def write_report(
    report: JobReport, output_dir: Path, summary: Mapping[str, Any]
) -> tuple[Path, Path]:
    """Write ``report.md`` then ``summary.json`` (last, so it marks a complete run).

    Args:
        report: The report data.
        output_dir: Destination folder (created if needed).
        summary: The JSON summary (the flow's return value).

    Returns:
        ``(report_path, summary_path)``.
    """
    report_path = write_atomic(output_dir / "report.md", render_markdown(report).encode())
    text = json.dumps(dict(summary), indent=2, sort_keys=True, default=str) + "\n"
    summary_path = write_atomic(output_dir / "summary.json", text.encode())
    return report_path, summary_path
