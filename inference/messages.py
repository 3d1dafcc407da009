"""What the inference tier reports about its work: one :class:`CallRecord` per request sent.

The answer types of the creative steps live with their tasks (``tasks.understand_intent``,
``tasks.analyze_frames``, ``tasks.generate_edit``); the tier only sees them as pydantic models
to constrain and validate against.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CallRecord"]


class CallRecord(BaseModel):
    """One model request that was actually sent (cache hits are recorded by the caller)."""

    model_config = ConfigDict(frozen=True)

    role: str = Field(description="Role asked for: reasoning, vision or coder.")
    deployment: str = Field(description="model_info.id of the deployment that answered.")
    model: str = Field(description="Provider model string of that deployment.")
    tokens_in: int = Field(default=0, ge=0, description="Prompt tokens.")
    tokens_out: int = Field(default=0, ge=0, description="Completion tokens.")
    tokens_estimated: bool = Field(
        default=False,
        description="tokens_out was counted from a stream and may be low (inference._usage).",
    )
    latency_s: float = Field(default=0.0, ge=0, description="Wall time of the call, in seconds.")
    cache_hit: bool = Field(default=False, description="True when served from a result cache.")
    ok: bool = Field(default=True, description="False when the call ended in an error.")
    error: str | None = Field(default=None, description="One-line error, when not ok.")
