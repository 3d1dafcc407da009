"""The model's proposed brief read from its answer, leniently: what does not fit is dropped.

``brief_from_model`` reads whatever a small model answered (wrong types, extra keys,
out-of-range numbers, the JSON wrapped in prose) without raising; ``BRIEF_SCHEMA``
(``tasks.brief._schema``) is the compact schema that answer is constrained to, and
``tasks.brief.merge`` then cross-checks the result against the parse of the request.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from ._coerce import as_bool, as_pick, as_seconds, as_size, as_speed, as_strings, as_use, choice
from ._sound import as_sound
from .model import Brief, DurationAsk

__all__ = ["brief_from_model"]

_COLOURS = {
    "monochrome": "monochrome", "black and white": "monochrome", "b&w": "monochrome",
    "bw": "monochrome", "greyscale": "monochrome", "grayscale": "monochrome", "mono": "monochrome",
    "grey": "monochrome", "gray": "monochrome", "sepia": "sepia", "natural": "natural",
    "colour": "natural", "color": "natural", "original": "natural", "keep": "natural",
}  # fmt: skip
_TRANSITIONS = {
    "cut": "cut", "cuts": "cut", "hard cut": "cut", "hard cuts": "cut", "none": "cut",
    "crossfade": "crossfade", "cross fade": "crossfade", "dissolve": "crossfade",
    "fade": "fade", "fades": "fade", "dip to black": "fade",
}  # fmt: skip
_ORDERS = {"source": "source", "chronological": "source", "original": "source",
           "in order": "source", "reverse": "reverse", "reversed": "reverse"}  # fmt: skip
_PLAYBACK = {"forward": "forward", "forwards": "forward", "reverse": "reverse",
             "reversed": "reverse", "backward": "reverse", "backwards": "reverse"}  # fmt: skip
_AUDIO = {"keep": "keep", "on": "keep", "original": "keep", "yes": "keep", "true": "keep",
          "mute": "mute", "muted": "mute", "silent": "mute", "none": "mute", "no": "mute",
          "off": "mute", "false": "mute"}  # fmt: skip
_ASPECTS = {"vertical": "9:16", "portrait": "9:16", "square": "1:1", "landscape": "16:9",
            "widescreen": "16:9", "horizontal": "16:9"}  # fmt: skip


def _duration(value: Any) -> DurationAsk | None:
    if not isinstance(value, dict):
        value = {"target_s": value}
    target = as_seconds(value.get("target_s", value.get("target")))
    low = as_seconds(value.get("min_s", value.get("min")), allow_zero=True)
    high = as_seconds(value.get("max_s", value.get("max")))
    if low is not None and high is not None and low > high:
        low = high = None  # contradictory bounds are a misread: keep neither
    if target is not None and ((low is not None and target < low) or (high and target > high)):
        target = None
    if target is None and low is None and high is None:
        return None
    from .parse import default_tolerance

    return DurationAsk(target_s=target, min_s=low, max_s=high,
                       tolerance_s=default_tolerance(target) if target else 0.3)  # fmt: skip


def _aspect(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d{1,2})\s*[:/x]\s*(\d{1,2})\s*", value)
    if m and int(m.group(1)) > 0 and int(m.group(2)) > 0:
        return f"{int(m.group(1))}:{int(m.group(2))}"
    return choice(value, _ASPECTS)


def brief_from_model(data: object) -> Brief | None:
    """A ``Brief`` from a model's answer, dropping whatever does not fit instead of raising.

    Args:
        data: The parsed JSON (a dict), the raw answer text, or a ``Brief``.

    Returns:
        The brief, or None when the answer holds no JSON object at all.
    """
    if isinstance(data, Brief):
        return data
    if isinstance(data, str | bytes):
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        start, end = text.find("{"), text.rfind("}")
        try:
            data = json.loads(text[start : end + 1]) if 0 <= start < end else None
        except ValueError:
            return None
    if not isinstance(data, dict):
        return None
    get = data.get
    colour = get("colour", get("color"))
    fields: dict[str, Any] = {
        "duration": _duration(get("duration")) if get("duration") is not None else None,
        "speeds": [s for s in map(as_speed, _listed(get("speeds", get("speed")))) if s][:4],
        "colour": choice(colour, _COLOURS) if colour not in (None, "", "none") else None,
        "transitions": choice(get("transitions", get("transition")), _TRANSITIONS),
        "fade_in": as_bool(get("fade_in")),
        "fade_out": as_bool(get("fade_out")),
        "fade_in_s": as_seconds(get("fade_in_s")),
        "fade_out_s": as_seconds(get("fade_out_s")),
        "transition_s": as_seconds(get("transition_s")),
        "captions": as_strings(get("captions", get("caption"))),
        "start_on": as_pick(get("start_on")),
        "end_on": as_pick(get("end_on")),
        "use": as_use(get("use")),
        "order": choice(get("order"), _ORDERS),
        "playback": choice(get("playback"), _PLAYBACK),
        "aspect": _aspect(get("aspect")),
        "size": as_size(get("size")),
        "audio": choice(get("audio"), _AUDIO) if not isinstance(get("audio"), bool)
        else ("keep" if get("audio") else "mute"),
        "sound": as_sound(get("sound")),
        "free_text": as_strings(get("free_text"), limit=6),
    }  # fmt: skip
    fields = {k: v for k, v in fields.items() if v is not None}
    try:
        return Brief(**fields)
    except ValidationError:  # a value the readers let through: drop fields until it fits
        for key in list(fields):
            try:
                return Brief(**{k: v for k, v in fields.items() if k != key})
            except ValidationError:
                continue
        return Brief()


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
