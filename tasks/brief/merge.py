"""The model's proposed brief, cross-checked against the parse of the request's own words.

The model fills only what the parse left empty; where both say something and disagree, the
request's words win and the disagreement is noted; given the request text, a model ask it
gives no ground for is dropped. Reading the model's answer into a ``Brief`` in the first
place is ``brief_from_model`` (``tasks.brief._proposal``).
"""

from __future__ import annotations

from typing import Any

from ._grounding import ground, said, show
from .model import Brief, DurationAsk

__all__ = ["merge"]


def merge(
    parsed: Brief, proposed: Brief | None, *, request: str | None = None, fps: float | None = None
) -> tuple[Brief, list[str]]:
    """The brief to plan and verify against: the parse, completed by the model.

    Args:
        parsed: ``parse_request`` of the request.
        proposed: The model's brief (``brief_from_model``), or None when it gave none.
        request: The request text; when given, model captions it does not contain and a
            model length for a request that names no length are dropped (invented asks).
        fps: The frame rate ``parsed`` was read at (frames in the request are times at it).

    Returns:
        The merged brief and one note per disagreement or dropped proposal.
    """
    if proposed is None:
        return parsed, []
    notes: list[str] = []
    data = parsed.model_dump()
    mine = proposed.model_dump()
    for key in Brief.model_fields:
        if key in ("duration", "free_text"):
            continue
        ours, theirs = getattr(parsed, key), getattr(proposed, key)
        if not said(theirs):
            continue
        if not said(ours):
            data[key] = mine[key]
        elif ours != theirs:
            notes.append(f"{key}: the request says {show(ours)}, the model proposed "
                         f"{show(theirs)}; kept the request's")  # fmt: skip
    data["duration"] = _merge_duration(parsed.duration, proposed.duration, notes)
    if request is not None:
        ground(data, parsed, request, notes, fps)
    free = list(parsed.free_text)
    for ask in proposed.free_text:
        if not any(ask.lower() in f.lower() or f.lower() in ask.lower() for f in free):
            free.append(ask)
    data["free_text"] = free
    return Brief(**data), notes


def _merge_duration(
    ours: DurationAsk | None, theirs: DurationAsk | None, notes: list[str]
) -> dict[str, Any] | None:
    if theirs is None:
        return ours.model_dump() if ours else None
    if ours is None:  # the tolerance is this code's policy, never the model's
        from .parse import default_tolerance

        taken = theirs.model_dump()
        if theirs.target_s is not None:
            taken["tolerance_s"] = default_tolerance(theirs.target_s)
        return taken
    merged = ours.model_dump()
    for key in ("target_s", "min_s", "max_s"):
        a, b = merged[key], getattr(theirs, key)
        if b is None:
            continue
        relative = ours.share_of_source is not None or ours.shorter_by_s is not None
        if a is None and key == "target_s" and relative:
            # "half its original length", "4 s shorter": the request's words are the target
            # once the footage is known (Brief.with_source_length); the model's are a guess
            asked = (
                "a share of the source's length"
                if ours.share_of_source is not None
                else "the source's length less some seconds"
            )
            notes.append(f"duration target_s: the request asks {asked}, the model proposed "
                         f"{b:g} s; kept the request's")  # fmt: skip
        elif a is None:
            merged[key] = b
        elif abs(a - b) > 1e-6:
            notes.append(f"duration {key}: the request says {a:g} s, the model proposed {b:g} s; "
                         "kept the request's")  # fmt: skip
    for key in ("target_s", "min_s", "max_s"):  # a filled-in value may not contradict the request
        if getattr(ours, key) is None and merged[key] is not None and not _consistent(merged):
            notes.append(f"duration {key}: the model's {merged[key]:g} s contradicts the request; "
                         "dropped")  # fmt: skip
            merged[key] = None
    if ours.target_s is None and merged["target_s"] is not None:
        from .parse import default_tolerance

        merged["tolerance_s"] = default_tolerance(merged["target_s"])
    return merged


def _consistent(d: dict[str, Any]) -> bool:
    low, high, target = d["min_s"], d["max_s"], d["target_s"]
    if low is not None and high is not None and low > high:
        return False
    if target is None:
        return True
    return (low is None or low <= target) and (high is None or target <= high)
