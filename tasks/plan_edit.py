"""Plan an edit from a brief and measured shots: trusted code makes the numbers hold.

The model decides what is creative (optionally, through the small ``PlanChoices``); this
module decides every number: which windows of source the brief allows (``use``), their order,
which shots open and close the edit (resolved with the same ``pick_shot`` the verifier uses),
speeds and replays, transitions, captions, colour, framing and sound. Then the duration is
fitted by arithmetic (see ``tasks._plan_fit``), so the compiled edit lasts what was asked
whenever the source allows it, and ``expected_duration_s`` says what it will last otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.edl import EditDecisionList, Segment, expected_duration
from studio.exceptions import FootageError
from tasks._plan_fit import Slot, fill, place
from tasks.brief import Brief, ShotPick, SpeedAsk
from tasks.brief.criteria import describe_pick
from tasks.shots import Shot, pick_shot

__all__ = ["EditPlan", "PlanChoices", "PlannedSegment", "plan_edit"]

TRANSITION_S = 0.5
FADE_S = 0.5
# With no duration asked: this much per window of source, and no segment shorter than the floor.
DEFAULT_SEGMENT_S = 2.0
MIN_SEGMENT_S = 0.75
MAX_SEGMENTS = 24
# Aim this far under a maximum: a render may run one frame longer than its arithmetic.
MAX_MARGIN_S = 0.1
MIN_WINDOW_S = 0.05
MOST_MOTION = ShotPick(kind="most_motion")


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


@dataclass
class _Window:
    shot: Shot
    lo: float
    hi: float
    why: str
    speed: float = 1.0
    weight: float = 1.0
    pinned: bool = False


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
    ordered = sorted(
        (s for s in shots if s.source < len(source_durations)), key=lambda s: (s.source, s.start_s)
    )
    if not ordered:
        raise FootageError("no measured shots to plan an edit from")
    windows = _windows(brief, ordered, source_durations, choices)
    if brief.order == "reverse":
        windows.reverse()
    windows = _pin(windows, brief, ordered)
    _apply_speeds(windows, brief.speeds, ordered, source_durations)
    if choices.emphasis is not None:
        emphasised = pick_shot(ordered, choices.emphasis)
        for window in windows:
            window.weight = 2.0 if window.shot == emphasised else window.weight
    transition = brief.transitions or "cut"
    floor = max(MIN_SEGMENT_S, 2 * TRANSITION_S if transition == "crossfade" else 0.0)
    target = _target(brief, windows)
    if brief.use is None and choices.shots:
        # The model's shots are a preference: the brief's length comes first.
        all_speed = next((w.speed for w in windows if not w.pinned), 1.0)
        need = target + _overlaps(len(ordered), transition)
        windows = _top_up(windows, ordered, need, all_speed)
    windows = _fit_count(windows, target, floor, transition)
    slots = [_slot(w, source_durations) for w in windows]
    lengths = fill(slots, target + _overlaps(len(slots), transition), floor)
    notes: list[str] = []
    texts = _captions(len(slots), brief.captions, choices.caption_mode, notes)
    segments = []
    for number, (slot, length) in enumerate(zip(slots, lengths, strict=True)):
        start, end = place(slot, length)
        segments.append(
            Segment(
                source=windows[number].shot.source,
                start=round(start, 3),
                end=round(end, 3),
                speed=slot.speed,
                transition=transition if number > 0 else "cut",
                caption=texts[number],
            )
        )
    edl = EditDecisionList(
        segments=segments,
        transition_s=TRANSITION_S,
        caption=_whole_caption(brief.captions, choices.caption_mode, notes),
        colour=brief.colour or "natural",
        fade_in_s=FADE_S if brief.fade_in else 0.0,
        fade_out_s=FADE_S if brief.fade_out else 0.0,
        aspect=_ratio(brief.aspect),
        size=brief.size,
        audio=brief.audio or "keep",
    )
    expected = expected_duration(edl, source_durations)
    if expected < target - 0.05:
        notes.append(f"the source allows only {expected:.2f} s of the {target:.2f} s asked")
    provenance = [
        PlannedSegment(source=w.shot.source, shot=w.shot.index, why=w.why) for w in windows
    ]
    return EditPlan(
        edl=edl, provenance=provenance, expected_duration_s=expected, target_s=target, notes=notes
    )


def _windows(
    brief: Brief, ordered: list[Shot], durations: list[float], choices: PlanChoices
) -> list[_Window]:
    """The stretches of source the brief allows, one per (range, shot) overlap, in source order."""
    use = brief.use
    first = [s for s in ordered if s.source == 0] or ordered
    length = durations[first[0].source]
    if use is None or use.kind in ("all", "every_scene"):
        picked = ordered
        if use is None and choices.shots:
            by_index = {s.index: s for s in first}
            picked = [by_index[i] for i in choices.shots if i in by_index] or ordered
        why = "every scene" if use is not None else "representative shot"
        return [_Window(s, s.start_s, s.end_s, why) for s in picked]
    if use.kind == "head":
        spans = [(0.0, min(length, use.seconds or length), f"head {use.seconds:g} s")]
    elif use.kind == "tail":
        spans = [(max(0.0, length - (use.seconds or length)), length, f"tail {use.seconds:g} s")]
    elif use.kind == "ranges":
        spans = [(a, min(b, length), f"range {a:g}-{b:g} s") for a, b in use.ranges]
    else:
        thirds = ("beginning", "middle", "end")
        spans = [(length * k / 3, length * (k + 1) / 3, thirds[k]) for k in range(3)]
    out = []
    for lo, hi, why in spans:
        for shot in first:
            a, b = max(lo, shot.start_s), min(hi, shot.end_s)
            if b - a >= MIN_WINDOW_S:
                out.append(_Window(shot, a, b, why))
        if use.kind == "beginning_middle_end":
            # One segment per third: the shot holding most of it.
            part = [w for w in out if w.why == why]
            keep = max(part, key=lambda w: w.hi - w.lo, default=None)
            out = [w for w in out if w.why != why] + ([keep] if keep else [])
    return out


def _pin(windows: list[_Window], brief: Brief, ordered: list[Shot]) -> list[_Window]:
    """Move (or add) the start_on shot first and the end_on shot last."""
    picks = {"start": brief.start_on, "end": brief.end_on}
    chosen = {k: pick_shot(ordered, p) if p is not None else None for k, p in picks.items()}
    if chosen["start"] is not None and chosen["start"] == chosen["end"]:
        shot = chosen["start"]
        mid = (shot.start_s + shot.end_s) / 2
        rest = [w for w in windows if w.shot != shot]
        assert brief.start_on is not None and brief.end_on is not None
        head = _Window(shot, shot.start_s, mid, f"start on {describe_pick(brief.start_on)}")
        tail = _Window(shot, mid, shot.end_s, f"end on {describe_pick(brief.end_on)}")
        head.pinned = tail.pinned = True
        return [head, *rest, tail]
    for key, picked in chosen.items():
        pick = picks[key]
        if picked is None or pick is None:
            continue
        mine = next((w for w in windows if w.shot == picked), None)
        if mine is None:
            mine = _Window(picked, picked.start_s, picked.end_s, "")
        windows = [w for w in windows if w is not mine]
        mine.why = f"{key} on {describe_pick(pick)}"
        mine.pinned = True
        windows = [mine, *windows] if key == "start" else [*windows, mine]
    return windows


def _apply_speeds(
    windows: list[_Window], speeds: list[SpeedAsk], ordered: list[Shot], durations: list[float]
) -> None:
    for ask in speeds:
        factor = min(4.0, max(0.25, ask.factor))
        if ask.applies_to == "all":
            for window in windows:
                window.speed = factor
            continue
        pick = ask.pick or MOST_MOTION
        shot = pick_shot(ordered, pick) or ordered[0]
        what = f"{factor:g}x {'replay' if ask.replay else 'speed'} of {describe_pick(pick)}"
        if ask.replay:
            _before_end(windows, _Window(shot, shot.start_s, shot.end_s, what, factor, pinned=True))
            continue
        mine = next((w for w in windows if w.shot == shot), None)
        if mine is None:
            mine = _Window(shot, shot.start_s, shot.end_s, what)
            _before_end(windows, mine)
        mine.speed, mine.pinned = factor, True
        mine.why = f"{mine.why}; {what}" if mine.why != what else what


def _before_end(windows: list[_Window], window: _Window) -> None:
    """Add a window last, but before the end_on pick (which must stay last)."""
    ends = bool(windows) and windows[-1].why.startswith("end on")
    windows.insert(len(windows) - 1 if ends else len(windows), window)


def _top_up(
    windows: list[_Window], ordered: list[Shot], need: float, speed: float
) -> list[_Window]:
    """Add unused shots (source order, before the end pick) while the windows fall short."""
    used = {(w.shot.source, w.shot.index) for w in windows}
    for shot in ordered:
        if sum(w.hi - w.lo for w in windows) / speed >= need or len(windows) >= MAX_SEGMENTS:
            break
        if (shot.source, shot.index) not in used:
            _before_end(windows, _Window(shot, shot.start_s, shot.end_s, "added for length", speed))
    return windows


def _target(brief: Brief, windows: list[_Window]) -> float:
    """The output length to fit: the asked one, else a default held within the bounds."""
    available = sum((w.hi - w.lo) / w.speed for w in windows)
    ask = brief.duration
    if ask is not None and ask.target_s is not None:
        return ask.target_s
    if brief.use is not None and brief.use.kind in ("head", "tail", "ranges"):
        target = available
    else:
        target = min(available, DEFAULT_SEGMENT_S * len(windows))
    if ask is not None and ask.max_s is not None:
        target = min(target, ask.max_s - MAX_MARGIN_S)
    if ask is not None and ask.min_s is not None:
        target = max(target, ask.min_s)
    return max(target, 0.1)


def _overlaps(count: int, transition: str) -> float:
    return TRANSITION_S * (count - 1) if transition == "crossfade" and count > 1 else 0.0


def _fit_count(
    windows: list[_Window], target: float, floor: float, transition: str
) -> list[_Window]:
    """Drop unpinned windows, evenly, until every segment can play at least ``floor``."""
    while len(windows) > 1:
        need = target + _overlaps(len(windows), transition)
        floors = sum(min(floor, (w.hi - w.lo) / w.speed) for w in windows)
        if floors <= need + 1e-9 and len(windows) <= MAX_SEGMENTS:
            break
        free = [i for i, w in enumerate(windows) if not w.pinned]
        if not free:
            break
        # The middle-most free window goes first, so the spread over the source stays even.
        drop = free[len(free) // 2] if len(free) > 2 else free[-1]
        windows = windows[:drop] + windows[drop + 1 :]
    return windows


def _slot(window: _Window, durations: list[float]) -> Slot:
    hi = min(window.hi, durations[window.shot.source])
    centre = min(max(window.shot.peak_s, window.lo), hi)
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
