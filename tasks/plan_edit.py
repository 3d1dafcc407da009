"""Plan an edit from a brief and measured shots: trusted code makes the numbers hold.

The model decides what is creative (optionally, through the small ``PlanChoices``); this
module decides every number: which windows of source the brief allows (``use``), their order,
which shots open and close the edit (resolved with the same ``pick_shot`` the verifier uses),
speeds and replays (those in ``tasks._plan_speeds``), transitions, captions, colour, framing
and sound. Then the duration is fitted by arithmetic (see ``tasks._plan_fit``), so the compiled
edit lasts what was asked whenever the source allows it, and ``expected_duration_s`` says
what it will last otherwise.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.exceptions import FootageError
from sandbox.edl import EditDecisionList, Segment, expected_duration
from tasks._plan_count import (
    every_scene_notes,
    fit_count,
    joins_for_every_scene,
    overlap,
    overlaps,
    piece_floor,
    piece_least,
    short_join_notes,
)
from tasks._plan_fit import Slot, apart_in_scenes, fill, place
from tasks._plan_merges import hold_joins, join_for_length
from tasks._plan_order import put_in_order
from tasks._plan_pins import missing_scene_notes, pin
from tasks._plan_speeds import apply_speeds
from tasks._plan_windows import Window, top_up, windows_for
from tasks.brief import Brief, DurationAsk, ShotPick
from tasks.on_footage import on_footage
from tasks.shots import Shot, pick_shot

__all__ = ["EditPlan", "PlanChoices", "PlannedSegment", "length_bounds", "plan_edit"]

TRANSITION_S = 0.5
FADE_S = 0.5
# With no duration asked: this much per window of source.
DEFAULT_SEGMENT_S = 2.0
# Aim this far inside an asked bound: a render may run a frame longer or shorter than its
# arithmetic (frames are written while i < duration * fps).
BOUND_MARGIN_S = 0.1


class PlanChoices(BaseModel):
    """The creative part a model may choose; the brief wins wherever both speak."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shots: list[int] = Field(
        default_factory=list,
        description="Preferred shots (1-based index, first clip), in preferred play order.",
    )
    emphasis: ShotPick | None = Field(default=None, description="A shot to give double time.")
    caption_mode: Literal["spread", "whole"] | None = Field(
        default=None, description="Captions one after another over the segments, or all at once."
    )


class PlannedSegment(BaseModel):
    """Where one EDL segment comes from and why it is there."""

    model_config = ConfigDict(frozen=True)

    source: int
    shot: int = Field(description="1-based index of the shot the segment is cut from.")
    why: str
    window: tuple[float, float] | None = Field(
        default=None,
        description="The stretch of source (seconds) the segment may be cut from: moving its "
        "points later (onto a beat, out of a word) keeps them inside it.",
    )


class EditPlan(BaseModel):
    """The edit as exact numbers, with provenance per segment and its expected length."""

    model_config = ConfigDict(frozen=True)

    edl: EditDecisionList
    provenance: list[PlannedSegment]
    expected_duration_s: float
    target_s: float
    notes: list[str] = Field(default_factory=list, description="Asks the source cannot meet.")

    def to_edl(self) -> EditDecisionList:
        """The decision list to compile (``sandbox.edl.compile_edl``)."""
        return self.edl


def plan_edit(
    brief: Brief,
    shots: list[Shot],
    source_durations: list[float],
    choices: PlanChoices | None = None,
) -> EditPlan:
    """Build the edit the brief asks for from the measured shots.

    Args:
        brief: What was asked.
        shots: Every shot of every input (``tasks.measure_shots``).
        source_durations: Length of each input, seconds (out points never pass them).
        choices: Optional creative preferences.

    Returns:
        The plan; ``expected_duration_s`` is computed from the EDL the way it will render.

    Raises:
        FootageError: No shots to plan from.
    """
    choices = choices or PlanChoices()
    brief = on_footage(brief, shots, source_durations)  # "half its length", "all but scene 2"
    ordered = sorted(
        (s for s in shots if s.source < len(source_durations)), key=lambda s: (s.source, s.start_s)
    )
    if not ordered:
        raise FootageError("no measured shots to plan an edit from")
    transition = brief.transitions or "cut"
    # The asked lengths of joins and fades, within what the edit decision list can hold.
    joint = min(2.0, max(0.1, brief.transition_s)) if brief.transition_s else TRANSITION_S
    windows = windows_for(
        brief, ordered, source_durations, choices.shots, overlap(transition, joint)
    )
    if brief.shot_order() == "reverse":
        windows.reverse()
    windows = pin(windows, brief, ordered, source_durations)
    apply_speeds(windows, brief, ordered, source_durations)
    if choices.emphasis is not None:
        emphasised = pick_shot(ordered, choices.emphasis)
        for window in windows:
            window.weight = 2.0 if window.shot == emphasised else window.weight
    target = _target(brief, windows)
    if brief.use is None and choices.shots:
        # The model's shots are a preference: the brief's length comes first.
        all_speed = next((w.speed for w in windows if not w.pinned), 1.0)
        need = target + overlaps(len(ordered), transition, joint)
        windows = top_up(windows, ordered, need, all_speed)
    windows = put_in_order(windows, brief)
    asked_joint, every_scene = joint, brief.use is not None and brief.use.kind == "every_scene"
    if every_scene:  # shorter joins, when that is what lets every scene in
        joint = joins_for_every_scene(windows, target, transition, joint)
    else:  # pieces long enough for their joins, where neighbours in the source allow
        windows = hold_joins(windows, piece_least(transition, joint))
    floor = piece_floor(transition, joint)
    windows = fit_count(windows, target, floor, transition, joint)
    asked = _asked_length(brief)
    if transition == "crossfade" and asked is not None:
        # A source too short to pay for every crossfade's overlap plays some of its own
        # cuts instead (neighbouring shots as one piece), when that reaches the asked length.
        windows = join_for_length(windows, *asked, joint)
    slots = [_slot(w, source_durations) for w in windows]
    lengths = fill(slots, target, floor, overlap(transition, joint))
    notes: list[str] = []
    texts = _captions(len(slots), brief.captions, choices.caption_mode, notes)
    points = [place(slot, length) for slot, length in zip(slots, lengths, strict=True)]
    if transition == "crossfade":
        scenes = [w.shot.scene_key for w in windows]
        fixed = [w.anchor is not None for w in windows]  # a time the user named stays
        points = apart_in_scenes(points, slots, scenes, fixed, joint)
    segments = []
    for number, ((start, end), slot) in enumerate(zip(points, slots, strict=True)):
        segments.append(
            Segment(
                source=windows[number].shot.source,
                start=round(start, 3),
                end=round(end, 3),
                speed=slot.speed,
                reverse=brief.playback == "reverse",
                transition=transition if number > 0 else "cut",
                caption=texts[number],
            )
        )
    edl = EditDecisionList(
        segments=segments,
        transition_s=joint,
        caption=_whole_caption(brief.captions, choices.caption_mode, notes),
        colour=brief.colour or "natural",
        fade_in_s=_fade_length(brief.fade_in, brief.fade_in_s, target, notes),
        fade_out_s=_fade_length(brief.fade_out, brief.fade_out_s, target, notes),
        aspect=_ratio(brief.aspect),
        size=brief.size,
        audio=brief.audio or "keep",
    )
    expected = expected_duration(edl, source_durations)
    if every_scene:
        notes += every_scene_notes(ordered, segments, target, transition, asked_joint, joint)
    notes += short_join_notes(segments, transition, joint)
    notes += missing_scene_notes(brief, ordered)
    if expected < target - 0.05:
        notes.append(f"the source allows only {expected:.2f} s of the {target:.2f} s asked")
    if expected > length_bounds(brief.duration)[1] + BOUND_MARGIN_S + 0.05:
        # The arithmetic counts each crossfade as the compiled edit plays it; should a render
        # still run past the asked length (source clamps, rounding), it is said, not hidden.
        notes.append(f"the edit runs {expected:.2f} s, longer than the {target:.2f} s asked")
    provenance = [
        PlannedSegment(source=w.shot.source, shot=w.shot.index, why=w.why, window=(s.lo, s.hi))
        for w, s in zip(windows, slots, strict=True)
    ]
    return EditPlan(
        edl=edl, provenance=provenance, expected_duration_s=expected, target_s=target, notes=notes
    )


def _target(brief: Brief, windows: list[Window]) -> float:
    """The output length to fit: the asked one, else a default held within the bounds."""
    available = sum((w.hi - w.lo) / w.speed for w in windows)
    ask = brief.duration
    if ask is not None and ask.target_s is not None:
        target = ask.target_s
    elif brief.use is not None and brief.use.kind in ("head", "tail", "ranges", "portion"):
        target = available
    else:
        target = min(available, DEFAULT_SEGMENT_S * len(windows))
    low, high = length_bounds(ask)
    return max(min(max(target, low), high), 0.1)


def length_bounds(ask: DurationAsk | None) -> tuple[float, float]:
    """The lengths a plan may aim at and meet every part of ``ask``: a margin inside each bound.

    A target with bounds too (a model's length within the request's "at least 4 s") is held
    inside both: a render a frame short of a 4 s target on the minimum misses the minimum.
    """
    if ask is None:
        return -math.inf, math.inf
    low = ask.min_s if ask.min_s is not None else -math.inf
    high = ask.max_s if ask.max_s is not None else math.inf
    if ask.target_s is not None:
        low = max(low, ask.target_s - ask.tolerance_s)
        high = min(high, ask.target_s + ask.tolerance_s)
    low, high = low + BOUND_MARGIN_S, high - BOUND_MARGIN_S
    if low > high:  # bounds closer than two margins: their middle
        low = high = (low + high) / 2
    return low, high


def _asked_length(brief: Brief) -> tuple[float, float] | None:
    """The length the user asked for and the least that meets it; None when none was asked.

    A length the plan chose itself (all of a named stretch, a default) is no reason to give up
    crossfades for it.
    """
    ask = brief.duration
    if ask is None:
        return None
    if ask.target_s is not None:
        return ask.target_s, ask.target_s - ask.tolerance_s
    return (ask.min_s, ask.min_s) if ask.min_s is not None else None


def _fade_length(
    asked: bool | None, seconds: float | None, target: float, notes: list[str]
) -> float:
    """The fade's length: as asked, within the decision list's 5 s and half the edit."""
    if not asked:
        return 0.0
    if seconds is None:
        return FADE_S
    most = min(5.0, target / 2)
    if seconds > most:
        notes.append(f"a {seconds:g} s fade cannot fit: {most:.2f} s instead")
    return round(min(seconds, most), 3)


def _slot(window: Window, durations: list[float]) -> Slot:
    hi = min(window.hi, durations[window.shot.source])
    # A named start (end) time: centred on that edge, the segment slides to start (end) there.
    # Neighbours played as one piece: centred on the cut between them.
    middle = window.shot.peak_s if window.seam is None else window.seam
    at = {"lo": window.lo, "hi": hi, None: middle}[window.anchor]
    centre = min(max(at, window.lo), hi)
    return Slot(lo=window.lo, hi=hi, centre=centre, speed=window.speed, weight=window.weight)


def _fit_text(text: str, notes: list[str]) -> str:
    if len(text) > 80:
        notes.append(f"caption cut to 80 characters: {text!r}")
    return text[:80]


def _captions(count: int, captions: list[str], mode: str | None, notes: list[str]) -> list[str]:
    """Per-segment captions: several are spread in order, one run of segments each."""
    if len(captions) < 2 or mode == "whole":
        return [""] * count
    groups = min(len(captions), count)
    texts = [*captions[: groups - 1], " · ".join(captions[groups - 1 :])]
    return [_fit_text(texts[number * groups // count], notes) for number in range(count)]


def _whole_caption(captions: list[str], mode: str | None, notes: list[str]) -> str:
    if len(captions) == 1 or (captions and mode == "whole"):
        return _fit_text(" · ".join(captions), notes)
    return ""


def _ratio(aspect: str | None) -> tuple[int, int] | None:
    if aspect is None:
        return None
    width, height = aspect.split(":")
    return int(width), int(height)
