"""Shots measured over the whole clip, and how a brief's picks resolve against them.

Superlatives in a request ("the brightest shot", "the most dynamic moment") are answered by
measurement, never by a model: the planner chooses with :func:`pick_shot`, and the verifier
checks the render with the very same function, so both agree on what "brightest" means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from collections.abc import Callable

    from tasks.brief import ShotPick, SourceUse

__all__ = [
    "MIN_PIECE_S",
    "MIN_WINDOW_S",
    "Shot",
    "pick_shot",
    "qualifying_shots",
    "scene_count",
    "use_spans",
]

MIN_WINDOW_S = 0.05  # less of a shot than this inside an asked stretch is none of it
MIN_PIECE_S = 0.5  # a shot's part shorter than this flashes by: a sliver
# Picks that name one place in the footage (a scene number, a source time), whatever
# stretch is asked for. Every other pick is read among the shots the stretch shows: "the
# last shot" of it is its own, and "the stillest moment" of "the second quarter" is that
# quarter's, not a stiller shot outside it that the edit may not show.
_PLACES = ("scene", "scene_from_end", "time")


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
    face_s: tuple[float, ...] = Field(
        default=(),
        description="Source times of the sampled frames a face was seen in, ascending: where "
        "in the shot an edit can open or close on a face.",
    )
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


def use_spans(use: SourceUse | None, length: float) -> list[tuple[float, float]] | None:
    """The stretches (source seconds) of a clip ``length`` s long that ``use`` asks for.

    None when ``use`` names no stretch (all of it, every scene, its beginning, middle and end).
    """
    if use is None:
        return None
    if use.kind == "head":
        return [(0.0, min(length, use.seconds or length))]
    if use.kind == "tail":
        return [(max(0.0, length - (use.seconds or length)), length)]
    if use.kind == "ranges":
        return [(a, min(b, length)) for a, b in use.ranges]
    if use.kind == "portion" and use.portion is not None:
        return [(length * use.portion[0], length * use.portion[1])]
    return None


def _shown(shots: list[Shot], use: SourceUse, durations: list[float]) -> list[Shot]:
    """The shots of the first clip that an edit kept to ``use`` may show (as the planner does).

    A shot inside the stretch by no more than a sliver counts only when nothing longer does:
    the planner leaves such slivers out while longer pieces remain.
    """
    first = min(s.source for s in shots)
    spans = use_spans(use, durations[first]) if first < len(durations) else None
    if spans is None:
        return shots

    def inside(shot: Shot) -> float:
        return max(min(hi, shot.end_s) - max(lo, shot.start_s) for lo, hi in spans)

    mine = [s for s in shots if s.source == first and inside(s) >= MIN_WINDOW_S]
    return [s for s in mine if inside(s) >= MIN_PIECE_S] or mine


def pick_shot(
    shots: list[Shot],
    pick: ShotPick,
    use: SourceUse | None = None,
    durations: list[float] | None = None,
    prefer: Literal["earliest", "latest"] | None = None,
) -> Shot | None:
    """The shot a pick names, or None when no shot qualifies (e.g. 'faces' with none seen).

    With a stretch of the source asked for (``use``: "the opening third", "the last 10 s",
    each clip ``durations`` long), every pick but a scene or a time is read within it:
    "end on the last shot" of the opening third is that third's last shot, and "begin on
    the stillest moment" of the second quarter that quarter's stillest, not the footage's,
    so both asks can hold. Planner and verifier both resolve picks here, with
    the same arguments, so they always agree (ties go to the earlier shot).

    A pick that many shots answer alike ("a shot with a face": any shot a face was seen in,
    see ``qualifying_shots``) names the one with the most faces, or with ``prefer`` the
    earliest or latest of them in the source: an edit in source order that ends on a face
    ends on the last one, so the rest of the footage can play before it.
    """
    if prefer is not None:
        alike = qualifying_shots(shots, pick, use, durations)
        if len(alike) > 1:
            return alike[0] if prefer == "earliest" else alike[-1]
    return _pick(_within(shots, pick, use, durations), pick)


def _within(
    shots: list[Shot], pick: ShotPick, use: SourceUse | None, durations: list[float] | None
) -> list[Shot]:
    """The shots ``pick`` is read among: those ``use`` shows, unless it names a place.

    All of them when the stretch shows none, or none that qualifies (no face in it).
    """
    if use is None or not durations or not shots or pick.kind in _PLACES:
        return shots
    shown = _shown(shots, use, durations)
    if pick.kind == "faces" and not any(s.faces > 0 for s in shown):
        return shots
    return shown or shots


def qualifying_shots(
    shots: list[Shot],
    pick: ShotPick,
    use: SourceUse | None = None,
    durations: list[float] | None = None,
) -> list[Shot]:
    """Every shot that meets ``pick``, in source order: what a check of it must accept.

    "A face" is any shot a face was seen in (the request asks for a face, not the most of
    them); every other pick names one shot, ``pick_shot``'s.
    """
    if pick.kind == "faces":
        within = _within(shots, pick, use, durations)
        return sorted((s for s in within if s.faces > 0), key=lambda s: (s.source, s.start_s))
    named = pick_shot(shots, pick, use, durations)
    return [named] if named is not None else []


def scene_count(shots: list[Shot]) -> int:
    """How many scenes (stretches between cuts) the shots make, over every clip."""
    return len({s.scene_key for s in shots})


def _from_end(ordered: list[Shot], count: int) -> Shot | None:
    """The first part of the ``count``-th scene from the end; None with fewer scenes.

    Counted over the clips in order, as "the last shot" is the last clip's: with one clip of
    N scenes, the second from the end is scene N-1.
    """
    scenes = list(dict.fromkeys(s.scene_key for s in ordered))
    if not 1 <= count <= len(scenes):
        return None
    key = scenes[-count]
    return next(s for s in ordered if s.scene_key == key)


def _pick(shots: list[Shot], pick: ShotPick) -> Shot | None:
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
    if pick.kind == "scene_from_end":
        return _from_end(ordered, pick.scene or 1)
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
