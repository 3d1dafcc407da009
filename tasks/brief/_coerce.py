"""Tolerant readers for a small model's JSON: each returns a valid value or None, never raises."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from .model import ShotPick, SourceUse, SpeedAsk

__all__ = [
    "as_bool",
    "as_pick",
    "as_seconds",
    "as_size",
    "as_speed",
    "as_strings",
    "as_use",
    "choice",
]

_MAX_SECONDS = 6 * 3600.0  # anything longer is a misread, not a teaser


def as_seconds(value: Any, *, allow_zero: bool = False) -> float | None:
    """6, 6.0, "6", "6 s", "6-second", "1:30", "one minute" -> seconds; junk -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        from ._patterns import normalise, quantities

        text = normalise(value.strip())
        found = quantities(text)
        if found:
            seconds = found[0].seconds
        else:
            try:
                seconds = float(re.sub(r"\s*(?:s|sec|secs|seconds?)$", "", text))
            except ValueError:
                return None
    else:
        return None
    if seconds != seconds or not (0 <= seconds <= _MAX_SECONDS):  # NaN or out of range
        return None
    if seconds == 0 and not allow_zero:
        return None
    return seconds


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("true", "yes", "y", "on", "1"):
            return True
        if word in ("false", "no", "n", "off", "0", "none"):
            return False
    return None


def choice(value: Any, synonyms: dict[str, str]) -> str | None:
    """A free word mapped to one allowed value ("b&w" -> "monochrome"); unknown -> None."""
    if not isinstance(value, str):
        return None
    word = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    if word in synonyms:
        return synonyms[word]
    for key, target in synonyms.items():
        if key and re.search(rf"\b{re.escape(key)}\b", word):
            return target
    return None


def as_strings(value: Any, limit: int = 8) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    out = [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(out))[:limit]


# A scene counted from the end, first: "second to last scene" is not "the last" nor "a scene".
_FROM_END = {"scene from end": 0, "from end": 0, "from the end": 0, "penultimate": 2,
             "second to last": 2, "next to last": 2, "second last": 2, "last but one": 2,
             "third to last": 3, "third last": 3}  # fmt: skip
_PICK_KINDS = {  # the specific before the general: "least motion" is not "motion"
    **dict.fromkeys(_FROM_END, "scene_from_end"),
    "least motion": "least_motion", "stillest": "least_motion", "calmest": "least_motion",
    "brightest": "brightest", "bright": "brightest", "lightest": "brightest",
    "darkest": "darkest", "dark": "darkest",
    "most motion": "most_motion", "most dynamic": "most_motion", "dynamic": "most_motion",
    "motion": "most_motion", "action": "most_motion", "best moment": "most_motion",
    "faces": "faces", "face": "faces", "most colourful": "most_colourful",
    "most colorful": "most_colourful", "colourful": "most_colourful", "colorful": "most_colourful",
    "first": "first", "last": "last", "scene": "scene", "time": "time",
}  # fmt: skip


def _count(value: Any) -> int | None:
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def as_pick(value: Any) -> ShotPick | None:
    """{"kind": "scene", "scene": 3}, "brightest", "scene 3", {"kind": "time", "time_s": "12s"}.

    A scene from the end takes its count from ``scene`` ({"kind": "scene_from_end", "scene":
    2}), else from its word ("penultimate", "second to last" are 2).
    """
    if isinstance(value, str):
        m = re.search(r"\b(?:scene|shot)\s*#?\s*(\d+)", value.lower())
        value = {"kind": "scene", "scene": m.group(1)} if m else {"kind": value}
    if not isinstance(value, dict):
        return None
    kind = choice(value.get("kind"), _PICK_KINDS)
    if kind in ("scene", "scene_from_end"):
        number = _count(value.get("scene", value.get("index")))
        if kind == "scene_from_end" and number is None:
            said = choice(value.get("kind"), {k: k for k in _FROM_END})
            number = _FROM_END.get(said or "") or None
        if number is None:
            return None
        return ShotPick(kind="scene" if kind == "scene" else "scene_from_end", scene=number)
    if kind == "time":
        t = as_seconds(value.get("time_s", value.get("time")), allow_zero=True)
        return ShotPick(kind="time", time_s=t) if t is not None else None
    return ShotPick(kind=kind) if kind is not None else None  # type: ignore[arg-type]


_APPLIES = {"all": "all", "best moment": "best_moment", "part": "part", "replay": "best_moment"}


def as_speed(value: Any) -> SpeedAsk | None:
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        value = {"factor": value}
    if not isinstance(value, dict):
        return None
    raw = value.get("factor", value.get("speed"))
    if isinstance(raw, str):
        raw = raw.strip().lower().rstrip("x").strip()
    try:
        factor = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not 0 < factor <= 8:
        return None
    applies = choice(value.get("applies_to"), _APPLIES)
    pick = as_pick(value.get("pick"))
    try:
        return SpeedAsk(
            factor=factor,
            applies_to=applies or ("best_moment" if pick else "all"),  # type: ignore[arg-type]
            replay=as_bool(value.get("replay")) or False,
            pick=pick,
        )
    except ValidationError:
        return None


_USE_KINDS = {
    "all": "all", "whole": "all", "every scene": "every_scene", "each scene": "every_scene",
    "head": "head", "first": "head", "tail": "tail", "last": "tail", "ranges": "ranges",
    "range": "ranges", "beginning middle end": "beginning_middle_end",
}  # fmt: skip


def as_use(value: Any) -> SourceUse | None:
    if isinstance(value, str):
        value = {"kind": value}
    if not isinstance(value, dict):
        return None
    kind = choice(value.get("kind"), _USE_KINDS)
    if kind is None:
        return None
    ranges: list[tuple[float, float]] = []
    for pair in value.get("ranges") or []:
        if isinstance(pair, list | tuple) and len(pair) == 2:
            a, b = as_seconds(pair[0], allow_zero=True), as_seconds(pair[1])
            if a is not None and b is not None and a < b:
                ranges.append((a, b))
    seconds = as_seconds(value.get("seconds"))
    if (kind == "ranges" and not ranges) or (kind in ("head", "tail") and seconds is None):
        return None
    try:
        return SourceUse(kind=kind, seconds=seconds, ranges=ranges)  # type: ignore[arg-type]
    except ValidationError:
        return None


def as_size(value: Any) -> tuple[int, int] | None:
    if isinstance(value, str):
        m = re.search(r"(\d{2,5})\s*[x\u00d7*,]\s*(\d{2,5})", value)
        value = (m.group(1), m.group(2)) if m else None
    elif isinstance(value, dict):
        value = (value.get("width", value.get("w")), value.get("height", value.get("h")))
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    try:
        w, h = (int(float(v)) for v in value)
    except (TypeError, ValueError):
        return None
    return (w, h) if 16 <= w <= 8192 and 16 <= h <= 8192 else None
