"""What a job report holds: scene rows, the cost line and the report itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field

from inference.messages import CallRecord
from tasks.analyze_frames import FrameAnalysis
from tasks.understand_intent import CreativeIntent

__all__ = [
    "CheckRow",
    "CostLine",
    "JobReport",
    "SceneRow",
    "call_rows",
    "estimate_cost",
    "scene_label",
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


class CheckRow(BaseModel):
    """One line of the brief checklist: a criterion and what the kept render measured."""

    id: str
    text: str
    passed: bool | None = Field(description="None: not measurable (a free-text ask).")
    measured: str
    discrepancy: str = ""


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
    route: str = ""
    rounds: int = 0
    checks: list[CheckRow] = Field(default_factory=list)
    timeline: list[str] = Field(default_factory=list, description="Timeline file names.")
    images: list[str] = Field(
        default_factory=list, description="Contact and shot sheet file names beside the report."
    )
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
    # A count taken from a stream that may join tokens is a lower bound (inference._usage).
    low = "≥" if any(c.tokens_estimated for c in sent) else ""
    text = f"tokens: {tokens_in} in + {low}{tokens_out} out over {len(sent)} model calls"
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
            "tokens_estimated": c.tokens_estimated,
            "latency_s": round(c.latency_s, 3),
            "cache_hit": c.cache_hit,
            "ok": c.ok,
        }
        for c in calls
    ]
