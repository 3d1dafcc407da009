"""Shots measured over the whole clip, and how a brief's picks resolve against them.

Superlatives in a request ("the brightest shot", "the most dynamic moment") are answered by
measurement, never by a model: the planner chooses with :func:`pick_shot`, and the verifier
checks the render with the very same function, so both agree on what "brightest" means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from collections.abc import Callable

    from tasks.brief import ShotPick

__all__ = ["Shot", "pick_shot"]


class Shot(BaseModel):
    """One shot (scene) of a source clip, measured on every decoded frame of it."""

    model_config = ConfigDict(frozen=True)

    source: int = Field(default=0, ge=0, description="Index of the input clip.")
    index: int = Field(ge=1, description="1-based position of the shot in its clip.")
    start_s: float = Field(ge=0, description="In point, seconds.")
    end_s: float = Field(gt=0, description="Out point (exclusive), seconds.")
    luma: float = Field(ge=0, le=255, description="Mean luma (BT.601 Y, 0-255) over the shot.")
    motion: float = Field(ge=0, description="Mean absolute frame difference, 0-255 scale.")
    colourfulness: float = Field(ge=0, description="Mean saturation (HSV S, 0-255).")
    faces: int = Field(default=0, ge=0, description="Most faces seen in one sampled frame.")
    peak_s: float = Field(ge=0, description="Source time of the shot's most dynamic moment.")
    scene: int = Field(
        default=0,
        ge=0,
        description="1-based scene (a stretch between cuts) this shot is part of; a long take "
        "is measured in several parts of one scene. 0: the shot is a scene of its own.",
    )

    @property
    def duration_s(self) -> float:
        """Length of the shot, seconds."""
        return self.end_s - self.start_s

    @property
    def scene_no(self) -> int:
        """The scene the shot belongs to, as a user counts scenes (between cuts)."""
        return self.scene or self.index

    @property
    def scene_key(self) -> tuple[int, int]:
        """(source, scene): shots with the same key are parts of one scene."""
        return (self.source, self.scene_no)


def pick_shot(shots: list[Shot], pick: ShotPick) -> Shot | None:
    """The shot a pick names, or None when no shot qualifies (e.g. 'faces' with none seen).

    Ties go to the earlier shot so planner and verifier always agree.
    """
    if not shots:
        return None
    ordered = sorted(shots, key=lambda s: (s.source, s.start_s))
    if pick.kind == "first":
        return ordered[0]
    if pick.kind == "last":
        return ordered[-1]
    if pick.kind == "scene":
        # Scenes as people count them (between cuts); a long take's first part opens it.
        return next((s for s in ordered if s.scene_no == pick.scene), None)
    if pick.kind == "time":
        t = pick.time_s or 0.0
        return next((s for s in ordered if s.start_s <= t < s.end_s), ordered[-1])
    if pick.kind == "faces":
        with_faces = [s for s in ordered if s.faces > 0]
        return max(with_faces, key=lambda s: s.faces) if with_faces else None
    keys: dict[str, Callable[[Shot], float]] = {
        "brightest": lambda s: s.luma,
        "darkest": lambda s: -s.luma,
        "most_motion": lambda s: s.motion,
        "least_motion": lambda s: -s.motion,
        "most_colourful": lambda s: s.colourfulness,
    }
    key = keys[pick.kind]
    best = max(key(s) for s in ordered)
    return next(s for s in ordered if key(s) == best)
