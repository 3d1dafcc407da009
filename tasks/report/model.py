"""What a job report holds: scene rows, the cost line and the report itself.

The cost line and its estimate are ``inference.cost``'s (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from inference.cost import CostLine, estimate_cost
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
