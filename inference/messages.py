"""Typed messages that cross the inference tier: what models must answer, and call records.

The structured outputs (``CreativeIntent``, ``FrameAnalysis``, ``EditScript``) are what the
client validates model answers against; their JSON schemas are also sent to the server so
generation is constrained before validation. ``CallRecord`` is one line of accounting per
request actually sent, for reports and metrics.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CallRecord",
    "CreativeIntent",
    "EditScript",
    "FrameAnalysis",
    "FrameInput",
]


class CreativeIntent(BaseModel):
    """What a creative request asks for, in a shape the rest of the job can plan against."""

    model_config = ConfigDict(extra="ignore")

    goal: str = Field(description="One sentence: what the edit must achieve.")
    style_and_mood: str = Field(description="Visual style, pacing and emotional tone wanted.")
    target_audience: str = Field(description="Who the result is for.")
    success_criteria: list[str] = Field(
        default_factory=list, description="Checkable statements a good result satisfies."
    )
    technical_challenges: list[str] = Field(
        default_factory=list, description="What makes this edit hard to do well."
    )


class FrameInput(BaseModel):
    """One sampled frame handed to the vision role.

    ``jpeg`` goes to vision-capable deployments as a base64 ``image_url`` part; text-only
    deployments see ``descriptors`` (OpenCV measurements rendered as text) instead.
    """

    model_config = ConfigDict(frozen=True)

    label: str = Field(description="Short name of the frame, e.g. 'scene 3 @ 12.4s'.")
    timestamp: float = Field(ge=0, description="Position in the clip, in seconds.")
    jpeg: bytes | None = Field(default=None, description="Encoded JPEG, if an image is available.")
    descriptors: str = Field(
        default="", description="OpenCV descriptors as text, for blind models."
    )


class FrameAnalysis(BaseModel):
    """What the vision role saw in a set of frames.

    ``blind`` and ``deployment`` are set by the client, not the model: a blind analysis was
    produced from descriptors by a text-only deployment and must be labelled as such.
    """

    model_config = ConfigDict(extra="ignore")

    summary: str = Field(description="Two or three sentences on what the frames show.")
    subjects: list[str] = Field(default_factory=list, description="Main subjects visible.")
    mood: str = Field(default="", description="Emotional tone of the footage.")
    composition: str = Field(default="", description="Framing, lighting and colour notes.")
    motion: str = Field(default="", description="Camera and subject movement.")
    edit_suggestions: list[str] = Field(
        default_factory=list, description="Concrete edits that would serve the intent."
    )
    blind: bool = Field(default=False, description="True when produced from descriptors only.")
    deployment: str = Field(default="", description="Id of the deployment that answered.")


class EditScript(BaseModel):
    """A generated MoviePy script (untrusted: it only ever runs through the sandbox)."""

    code: str = Field(description="Python source of the edit script.")
    notes: str = Field(default="", description="Model prose around the code, if any.")


class CallRecord(BaseModel):
    """One model request that was actually sent (cache hits are recorded by the caller)."""

    model_config = ConfigDict(frozen=True)

    role: str = Field(description="Role asked for: reasoning, vision or coder.")
    deployment: str = Field(description="model_info.id of the deployment that answered.")
    model: str = Field(description="Provider model string of that deployment.")
    tokens_in: int = Field(default=0, ge=0, description="Prompt tokens.")
    tokens_out: int = Field(default=0, ge=0, description="Completion tokens.")
    latency_s: float = Field(default=0.0, ge=0, description="Wall time of the call, in seconds.")
    cache_hit: bool = Field(default=False, description="True when served from a result cache.")
    ok: bool = Field(default=True, description="False when the call ended in an error.")
    error: str | None = Field(default=None, description="One-line error, when not ok.")
