"""A brief read against its footage: asks said relative to the source made absolute.

The request's words are kept as said ("trim 2 s off the start", "everything but scene 2",
"4 seconds shorter", "half its length"): only the footage knows where that leaves the edit.
The planner, the verifier and the job all resolve a brief here, with the same shots and
lengths, so what is planned is what is checked.
"""

from __future__ import annotations

from collections.abc import Sequence

from tasks.brief import Brief, SourceUse
from tasks.shots import Shot, pick_shot

__all__ = ["on_footage"]

# A stretch shorter than this is no stretch: the asked trims leave (almost) nothing.
_MIN_LEFT_S = 0.1
_EDGE_S = 1e-3


def on_footage(brief: Brief, shots: Sequence[Shot], durations: Sequence[float]) -> Brief:
    """``brief`` with its lengths and stretches in seconds of this footage.

    Args:
        brief: What was asked, as parsed and merged.
        shots: Every shot of every input (``tasks.measure_shots``).
        durations: Length of each input, seconds.

    Returns:
        The brief with a relative length made a target and a trim or an exclusion made the
        stretches of the first input it leaves (as ``use`` stretches always are); an ask the
        footage cannot meet (trims longer than it, no scene left) stays as said.
    """
    brief = brief.with_source_length(sum(durations))
    use = brief.use
    if use is None or use.kind not in ("trim", "except") or not durations:
        return brief
    length = durations[0]
    if use.kind == "trim" and use.trim is not None:
        spans = [(use.trim[0], length - use.trim[1])]
    else:
        spans = _kept_scenes(use, [s for s in shots if s.source == 0])
    spans = [(round(a, 3), round(b, 3)) for a, b in spans if b - a >= _MIN_LEFT_S]
    if not spans:
        return brief
    return brief.model_copy(update={"use": _as_use(spans, length)})


def _kept_scenes(use: SourceUse, shots: list[Shot]) -> list[tuple[float, float]]:
    """The stretches of the scenes ``use.skip`` does not leave out, neighbours joined."""
    skipped = set()
    for pick in use.skip:
        shot = pick_shot(shots, pick)
        if shot is not None:
            skipped.add(shot.scene_key)
    if not skipped:
        return []
    scenes: dict[tuple[int, int], tuple[float, float]] = {}
    for shot in sorted(shots, key=lambda s: s.start_s):
        lo, hi = scenes.get(shot.scene_key, (shot.start_s, shot.end_s))
        scenes[shot.scene_key] = (min(lo, shot.start_s), max(hi, shot.end_s))
    spans: list[tuple[float, float]] = []
    for key, (lo, hi) in scenes.items():
        if key in skipped:
            continue
        if spans and lo - spans[-1][1] <= _EDGE_S:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def _as_use(spans: list[tuple[float, float]], length: float) -> SourceUse:
    """The stretches as a person would name them: the first or last N s, or the ranges."""
    if len(spans) == 1:
        a, b = spans[0]
        if a <= _EDGE_S:
            return SourceUse(kind="head", seconds=b)
        if b >= length - _EDGE_S:
            return SourceUse(kind="tail", seconds=round(length - a, 3))
    return SourceUse(kind="ranges", ranges=spans)
