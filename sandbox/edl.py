"""Edit decision lists: a JSON edit the model fills in and trusted code turns into a script.

The EDL path exists for models that write poor code: the model only chooses numbers and
words inside a schema (constrained decoding), pydantic validates them, and
:func:`compile_edl` emits an ordinary edit script -- a data table plus a fixed loop -- which
then goes through the same policy check and sandboxed run as any Coder script. Values
reach the script only through ``repr`` of validated primitives, so no model text becomes
code.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .policy import ensure_allowed

__all__ = ["EditDecisionList", "Segment", "compile_edl"]

_PATHISH_CHARS = re.compile(r"[/\\~]")
_TRAILING_EXTENSION = re.compile(r"\.([A-Za-z][A-Za-z0-9]{1,4})$")


class Segment(BaseModel):
    """One piece of the output, taken from one input clip."""

    model_config = ConfigDict(extra="forbid")

    source: int = Field(default=0, ge=0, description="Index of the input clip (0 = first).")
    start: float = Field(ge=0, description="In point in the source, seconds.")
    end: float = Field(gt=0, description="Out point in the source, seconds (after start).")
    speed: float = Field(default=1.0, ge=0.25, le=4.0, description="Playback speed factor.")
    repeat: int = Field(default=1, ge=1, le=4, description="How many times to play it.")
    reverse: bool = Field(default=False, description="Play the segment backwards.")
    caption: str = Field(default="", max_length=80, description="Text shown over it.")
    transition: Literal["cut", "fade", "crossfade"] = Field(
        default="cut", description="How the segment starts: hard cut, fade from black, crossfade."
    )

    @field_validator("caption")
    @classmethod
    def _plain_caption(cls, value: str) -> str:
        # Captions are displayed, never opened, but must not read as paths to the policy.
        value = " ".join(_PATHISH_CHARS.sub("-", value).split())
        return _TRAILING_EXTENSION.sub(r" \1", value)

    @model_validator(mode="after")
    def _ordered(self) -> Segment:
        if self.end <= self.start:
            raise ValueError(f"segment end ({self.end}) must be after its start ({self.start})")
        return self


class EditDecisionList(BaseModel):
    """The whole edit: segments played in order, with optional transitions."""

    model_config = ConfigDict(extra="forbid")

    segments: list[Segment] = Field(min_length=1, max_length=24, description="In play order.")
    transition_s: float = Field(
        default=0.5, ge=0.1, le=2.0, description="Length of fades and crossfades, seconds."
    )


_TEMPLATE = '''"""Compiled from an edit decision list by sandbox.edl (trusted code)."""

from moviepy import CompositeVideoClip, TextClip, concatenate_videoclips, vfx

TRANSITION_S = {transition_s!r}
SEGMENTS = {segments!r}


def edit(source):
    clips = source if isinstance(source, list) else [source]
    height = clips[0].h
    placed = []
    cursor = 0.0
    for seg in SEGMENTS:
        clip = clips[min(seg["source"], len(clips) - 1)]
        if clip.h != height:
            clip = clip.resized(height=height)
        end = min(seg["end"], clip.duration)
        start = min(seg["start"], max(end - 0.1, 0.0))
        part = clip.subclipped(start, end)
        if seg["speed"] != 1.0:
            part = part.with_effects([vfx.MultiplySpeed(seg["speed"])])
        if seg["reverse"]:
            part = part.with_effects([vfx.TimeMirror()])
        if seg["repeat"] > 1:
            part = concatenate_videoclips([part] * seg["repeat"])
        if seg["caption"]:
            text = TextClip(
                text=seg["caption"],
                font_size=max(12, part.h // 12),
                color="white",
                stroke_color="black",
                stroke_width=1,
            )
            text = text.with_duration(part.duration).with_position(("center", "bottom"))
            part = CompositeVideoClip([part, text])
        fade = min(TRANSITION_S, part.duration / 2)
        if seg["transition"] == "fade":
            part = part.with_effects([vfx.FadeIn(fade)])
        begin = cursor
        if seg["transition"] == "crossfade" and placed:
            part = part.with_effects([vfx.CrossFadeIn(fade)])
            begin = max(cursor - fade, 0.0)
        placed.append(part.with_start(begin).with_position("center"))
        cursor = begin + part.duration
    if len(placed) == 1:
        return placed[0]
    return CompositeVideoClip(placed).with_duration(cursor)
'''


def compile_edl(edl: EditDecisionList) -> str:
    """Turn a validated EDL into an edit script that passes the policy.

    Args:
        edl: The decision list.

    Returns:
        Python source defining ``edit(source)``.

    Raises:
        PolicyViolation: Never for a valid EDL; checked anyway so a bug cannot slip through.
    """
    segments = [segment.model_dump() for segment in edl.segments]
    code = _TEMPLATE.format(transition_s=float(edl.transition_s), segments=segments)
    ensure_allowed(code)
    return code
