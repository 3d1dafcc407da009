"""Everything measured on one render, shared by the checks, and how a check words its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tasks.brief import Brief, CheckResult, Criterion
from tasks.shots import Shot

if TYPE_CHECKING:
    from ._footage import Footage
    from ._joins import Join
    from ._matching import Match
    from ._segments import Segment

__all__ = [
    "DASH",
    "Evidence",
    "no_match",
    "pick_durations",
    "result",
    "same_shot",
    "segment_name",
    "shot_name",
    "span",
]

# Ranges are written with an en dash, as in the criteria's own wording.
DASH = "\u2013"

# Mean luma (0-255) under which a frame counts as black.
BLACK = 30.0


@dataclass
class Evidence:
    """The decoded render and sources, the frame mapping, and what follows from it."""

    render: Footage
    sources: list[Footage]
    shots: list[Shot]
    # Expensive readings kept for the other criteria of the same call (OCR, mostly).
    cache: dict[Any, Any] = field(default_factory=dict)

    @cached_property
    def matches(self) -> list[Match]:
        from ._matching import match_frames

        return match_frames(self.render, self.sources)

    @cached_property
    def segments(self) -> list[Segment]:
        from ._segments import segments

        return segments(self.matches, self.shots, [s.fps for s in self.sources])

    @cached_property
    def changes(self) -> list[Join]:
        """Every shot change seen in the render: the edit's joins and the source's own."""
        from ._joins import classify_joins

        return classify_joins(self.render, self.segments, self.matches, self.sources)

    @cached_property
    def joins(self) -> list[Join]:
        """The joins the edit made (the source's own changes it plays through aside)."""
        return [j for j in self.changes if not j.own]

    @cached_property
    def played_through(self) -> list[Join]:
        """The source's own shot changes that the render plays on through."""
        return [j for j in self.changes if j.own]

    @cached_property
    def unmatched_note(self) -> str:
        """'; 12 output frames (2.0-2.4 s) match no source frame' or '' (black ones aside)."""
        lost = [
            m.output_t
            for m in self.matches
            if m.source is None and self.render.luma[m.index] >= BLACK
        ]
        if not lost:
            return ""
        return f"; {len(lost)} output frames ({span(lost)}) match no source frame"


def span(times: list[float]) -> str:
    """Times as merged ranges: '0.0-2.5 s, 4.0 s' (with an en dash)."""
    if not times:
        return "nowhere"
    ordered = sorted(times)
    parts: list[tuple[float, float]] = [(ordered[0], ordered[0])]
    for t in ordered[1:]:
        lo, hi = parts[-1]
        if t - hi <= 0.6:
            parts[-1] = (lo, t)
        else:
            parts.append((t, t))
    return ", ".join(f"{a:.1f} s" if b - a < 0.05 else f"{a:.1f}{DASH}{b:.1f} s" for a, b in parts)


def shot_name(shot: Shot | None, source: int = 0, many_sources: bool = False) -> str:
    """'scene 3' (or 'clip 2 scene 3' when there are several clips)."""
    clip = f"clip {(shot.source if shot else source) + 1} " if many_sources else ""
    if shot is None:
        return f"{clip}an unmeasured part of the source".strip()
    if shot.scene and shot.scene != shot.index:  # a part of a long take
        return f"{clip}scene {shot.scene} ({shot.start_s:.1f}{DASH}{shot.end_s:.1f} s)"
    return f"{clip}scene {shot.index}"


def result(criterion: Criterion, passed: bool | None, measured: str, asks: str) -> CheckResult:
    """A result whose discrepancy, when failed, is the measurement against the ask."""
    # numpy comparisons give numpy booleans, and ``np.False_ is False`` is false.
    passed = None if passed is None else bool(passed)
    discrepancy = f"{measured}; the brief asks {asks}" if passed is False else ""
    return CheckResult(
        criterion=criterion, passed=passed, measured=measured, discrepancy=discrepancy
    )


def segment_name(ev: Evidence, seg: Segment) -> str:
    """The shot a matched segment shows, named as ``shot_name`` names it."""
    return shot_name(seg.shot, seg.source, len(ev.sources) > 1)


def same_shot(a: Shot | None, b: Shot) -> bool:
    return a is not None and (a.source, a.index) == (b.source, b.index)


def pick_durations(brief: Brief, ev: Evidence) -> list[float]:
    """The sources' lengths, which picks are read with only when a stretch is asked for."""
    return [s.duration_s for s in ev.sources] if brief.use is not None else []


def no_match(c: Criterion, ev: Evidence, asks: str) -> CheckResult:
    """A check with nothing to read: no output frame matched a source frame."""
    return result(c, False, "no output frame matched a source frame" + ev.unmatched_note, asks)
