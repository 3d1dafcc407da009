"""Grounding: a model-proposed ask is kept only where the request's words give ground for it.

A small model fills every field it is shown (fades, 1.2x, muted audio, reversed order, a
"Title" copied from its prompt); an ask the request never mentions is an invention, and the
user would get an edit that does something they never asked for. ``ground`` drops those, each
with a note; ``tasks.brief.merge`` calls it once the parse and the proposal are merged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._frames import counts_frames
from ._patterns import quantities
from ._scan import Scan
from ._shot_picks import SHOT
from .model import Brief, DurationAsk
from .parse import read_request

__all__ = ["ground", "said", "show"]


def said(value: Any) -> bool:
    """Whether a brief field holds an ask (not None, not an empty list)."""
    return value is not None and value != []


def show(value: Any) -> str:
    """A field's value as a note shows it."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(exclude_defaults=True)
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return json.dumps(value, default=str) if not isinstance(value, str) else repr(value)


# "first"/"last" place a shot ("put the brightest shot first", "first the darkest scene")
# unless they name one: "end on the first scene" asks nothing of the opening, and "the first
# 10 seconds" is footage to use. Naming: a shot noun next, or after one word not an article.
_NOT_NAMING = (
    r"\b(?!\s+(?:(?!(?:the|a|an|this|that)\b)[\w-]+\s+)?"
    rf"(?:{SHOT}|takes?|seconds?|secs?|minutes?|few|half|third|quarter)\b)"
)

_NEAR_A_NUMBER = r"(?:{0})[^.;]{{0,30}}\d|\d[^.;]{{0,30}}(?:{0})"

# An editor's "mix" between shots is a crossfade; mixing the sound is not.
_MIX = r"\bmix(?:es)?\b(?!\s+(?:(?:the|it|this)\s+)?(?:music|audio|sound|track|levels?|down|up)\b)"

# What a request must mention before a model-proposed ask of that kind is believed. A small
# model fills every field it is shown (fades, 1.2x, muted audio, reversed order); an ask the
# request's words give no ground for is an invention, and the user would get an edit that
# does something they never asked for.
_CUES: dict[str, re.Pattern[str]] = {
    key: re.compile(pattern)
    for key, pattern in {
        "speeds": r"speed|slow|fast|time-?lapse|\d\s*x\b|\bx\s*\d|twice|double|half|quick|"
        r"slo-?mo|crawl|(?:over|under)-?crank",
        "colour": r"colou?r|mono|black[- ]and[- ]white|b&w|gr[ae]y|sepia|desatur|noir|vintage|tint",
        "transitions": rf"\bcuts?\b|fade|dissolve|transition|wipe|blend|through\s+black|{_MIX}|"
        r"\bbutt(?:ed|ing)?\b",
        # Editors fade "up from black" and "go to black" without the word.
        "fade_in": r"fade|from\s+black",
        "fade_out": r"fade|to\s+black",
        # A fade's length must be written in the request: a number near a fade or dissolve.
        "fade_in_s": _NEAR_A_NUMBER.format("fade|from black"),
        "fade_out_s": _NEAR_A_NUMBER.format("fade|to black"),
        "transition_s": _NEAR_A_NUMBER.format(f"fade|dissolve|transition|dip|through black|{_MIX}"),
        "start_on": rf"\bstart|\bopen|\bbegin|\blead|\bfirst{_NOT_NAMING}|\bbookend",
        # "go out on", "land on", "button it on": how editors name the last shot
        "end_on": rf"\bend|\bfinish|\bclos|\blast{_NOT_NAMING}|\bfinal{_NOT_NAMING}|\bfinally|"
        r"\bbookend|\bgo(?:es|ing)?\s+out\s+on|\bland(?:s|ing)?\s+on|\bbutton",
        "use": r"\bfirst|\blast|\bfrom\b|scene|shot|beginning|middle|\bend\b|whole|every|\ball\b|"
        r"\bhead\b|\btail\b|\bthe\s+top\b|\bback\s+(?:end|half)|\blift",
        "order": r"order|revers|backward|chronolog|rewind|back\s+to\s+front|\bflip",
        "playback": r"revers|backward|rewind|forward",
        "aspect": r"aspect|vertical|portrait|square|landscape|widescreen|\d+\s*:\s*\d+|reel|tiktok",
        "size": r"\d{3,4}\s*[x\u00d7]\s*\d{3,4}|\d{3,4}p\b|resolution|\b[48]k\b|\bhd\b",
        "audio": r"audio|sound|music|mute|silen|voice|dialog|speech|\bmos\b",
        "captions": r"caption|title|text|subtitle|words?\b|say|label|card|\bsuper\b|lower\s+third",
    }.items()
}


# A kind of ask may be mentioned ("Cut 6 seconds" mentions cuts) while the model's VALUE for it
# has no ground ("fades between shots"): each value must be named by the request too.
_VALUE_CUES: dict[str, dict[str, re.Pattern[str]]] = {
    key: {value: re.compile(pattern) for value, pattern in values.items()}
    for key, values in {
        "transitions": {
            "fade": r"fade|dip|black",
            "crossfade": rf"cross|dissolve|blend|\blap\b|{_MIX}",
        },
        "colour": {
            "sepia": r"sepia|vintage|old[- ]|antique|warm|brown",
            "monochrome": r"mono|black[- ]and[- ]white|b&w|gr[ae]y|desatur|noir|colou?rless",
        },
        "use": {
            "all": r"whole|entire|\ball\b|full|complete|everything",
            "every_scene": r"every|each|\ball\b",
            "head": r"\bfirst|beginning|\bstart|opening|\bhead|initial|\bthe\s+top\b",
            "tail": r"\blast|\bfinal|\bend|\btail|closing",
            # "0:12 in to 0:20": N seconds into the footage
            "ranges": r"\bfrom\b|between|\d\s*(?:s|sec\w*|\s+in)?\s*(?:to|-|until)\s*\d",
            "beginning_middle_end": r"middle",
            "portion": r"half|third|quarter|middle|%|percent",
        },
        # "with the audio normalised to -20 LUFS" mentions the audio and mutes none of it
        "audio": {
            "mute": r"mute|silen|\bno\s+(?:audio|sound|music)|without\s+(?:the\s+|any\s+)?"
            r"(?:audio|sound|music)|strip|remove|\blose|kill|drop|\bpull|\bmos\b|picture\s+only|"
            r"\boff\b",
            "keep": r"keep|leave|retain|preserve|\bnat\b|natural|original|stay|\bwith\b|\bon\b",
        },
        "order": {
            "reverse": r"revers|backward|last\s+to\s+first|rewind|back\s+to\s+front|\bflip|"
            r"last\s+(?:shot\s+|scene\s+)?first",
            "source": r"order|chronolog|sequence|first\s+to\s+last|as\s+they",
        },
    }.items()
}


# A model speed's direction must be named, and not only of something else than the footage's
# pace: "a slow two-second fade" asks a slow fade, and a 1.5B model read it as 1.5x.
_OF_A_JOIN = re.compile(
    r"\b(?:slow|slower|gentle|quick|quicker|fast|faster)\b(?:\s+[\w-]+){0,2}?\s+"
    r"(?:fade|dissolve|cross-?fade|transition|dip|zoom|pan)\w*"
)
_PACE: dict[str, re.Pattern[str]] = {
    "faster": re.compile(
        r"fast|speed(?:s|ed|ing)?\s+(?:it\s+|things\s+)?up|sped\s+up|quick|time-?lapse|twice|"
        r"double|\d\s*x\b|\bx\s*\d|times\b|%|percent|under-?crank"
    ),
    "slower": re.compile(
        r"slow|half|quarter|third|\d\s*x\b|\bx\s*\d|%|percent|slo-?mo|crawl|over-?crank"
    ),
    "normal": re.compile(r"normal|real[- ]?time|regular|original|natural|actual|usual|1\s*x"),
}


def _paced(speed: dict[str, Any], spoken: str) -> bool:
    """Whether the request names the pace of a model-proposed speed (faster, slower, as shot)."""
    factor = float(speed.get("factor") or 1.0)
    pace = "faster" if factor > 1.0 + 1e-6 else "slower" if factor < 1.0 - 1e-6 else "normal"
    replay = not speed.get("replay") or re.search(r"replay|again|repeat|once\s+more", spoken)
    return bool(_PACE[pace].search(spoken) and replay)


def _value_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("kind")
    return value if isinstance(value, str) else None


def _asked_caption(caption: str, flat: str) -> bool:
    """Whether the request asks for ``caption`` as text: quoted, or just after a caption word.

    A word of the request that is no caption ("keep the dialogue") is never burnt in.
    """
    text = re.escape(" ".join(caption.lower().split()))
    quoted = re.search(
        rf"[\"'\u2018\u2019\u201c\u201d]\s*{text}\s*[\"'\u2018\u2019\u201c\u201d]", flat
    )
    named = re.search(rf"(?:{_CUES['captions'].pattern})[^.;!?\"']{{0,30}}?\b{text}\b", flat)
    return bool(quoted or named)


def _drop_timed(data: dict[str, Any], parsed: Brief, notes: list[str]) -> None:
    """Drop the model's times where the request counts frames at a rate no one knows.

    The model reads them at a rate of its own (30 fps, most often): its times for an ask the
    parse left empty would be silent misreads; the frames stay in the free text instead.
    """
    for key in ("use", "duration", "fade_in_s", "fade_out_s", "transition_s", "start_on", "end_on"):
        value = data[key]
        kind = value.get("kind") if isinstance(value, dict) else None
        # a pick or a part by its place or look ("brightest", "every scene") counts no time
        timed = kind in (None, "time", "ranges", "head", "tail")
        if said(getattr(parsed, key)) or not said(value) or not timed:
            continue
        notes.append(f"{key}: the model proposed {show(value)}; the request counts frames and "
                     "the footage's frame rate is unknown; dropped")  # fmt: skip
        data[key] = None


def ground(
    data: dict[str, Any], parsed: Brief, request: str, notes: list[str], fps: float | None
) -> None:
    """Drop model asks the request gives no ground for (the "Title" copied from a prompt).

    A field the parse left empty keeps the model's value only when the request mentions
    that kind of ask at all; a model caption must also appear in the request word for word.
    """
    flat = " ".join(request.lower().split())
    scan = read_request(request, fps)
    if scan.fps is None and counts_frames(scan.text):
        _drop_timed(data, parsed, notes)
    for key, cue in _CUES.items():
        if said(getattr(parsed, key)) or not said(data[key]) or cue.search(scan.left_for(key)):
            continue
        notes.append(f"{key}: the model proposed {show(data[key])}; the request does not ask "
                     "for it; dropped")  # fmt: skip
        data[key] = [] if isinstance(data[key], list) else None
    for key, cues in _VALUE_CUES.items():
        value = _value_of(data[key])
        if said(getattr(parsed, key)) or value not in cues:
            continue
        if cues[value].search(scan.left_for(key)):
            continue
        notes.append(f"{key}: the model proposed {show(data[key])}; the request does not ask "
                     "for it; dropped")  # fmt: skip
        data[key] = None
    _sound_needs_audio(data, parsed, notes)
    if not said(parsed.speeds) and data["speeds"]:
        spoken = _OF_A_JOIN.sub(" ", flat)
        paced = [v for v in data["speeds"] if _paced(v, spoken)]
        if len(paced) < len(data["speeds"]):
            notes.append(f"speeds: the model proposed {show(data['speeds'])}; the request names "
                         "no such pace; dropped")  # fmt: skip
        data["speeds"] = paced
    kept = [c for c in data["captions"] if _asked_caption(c, flat)]
    for caption in data["captions"]:
        if caption not in kept:
            notes.append(f"caption {caption!r}: not in the request; dropped")
    data["captions"] = kept
    _ground_duration(data, parsed, scan, notes)


def _sound_needs_audio(data: dict[str, Any], parsed: Brief, notes: list[str]) -> None:
    """Drop a model's mute where the request asks something of the edit's sound.

    A loudness to meet or words not to cut need the sound heard: a muted render fails both.
    """
    sound = parsed.sound
    if said(parsed.audio) or data["audio"] != "mute" or sound is None:
        return
    if sound.loudness_lufs is not None or sound.whole_words:
        notes.append("audio: the model proposed 'mute'; the request asks for the sound's "
                     "loudness or its words; dropped")  # fmt: skip
        data["audio"] = None


def _ground_duration(data: dict[str, Any], parsed: Brief, scan: Scan, notes: list[str]) -> None:
    """Keep a model length, or a bound it adds to the parse's, only where the request says it."""
    if data["duration"] is None:
        return
    found = quantities(scan.left_for("duration"), scan.fps)
    # "Use only 2-4 s and 6-9 s": those times are the source ranges, not a length.
    ranges = parsed.use.ranges if parsed.use and parsed.use.kind == "ranges" else []
    ends = {round(t, 3) for r in ranges for t in r}
    lengths = {round(q.seconds, 3) for q in found} - ends
    if parsed.duration is not None:
        _ground_added_bounds(data["duration"], parsed.duration, lengths, notes)
        return
    asked = _duration_values(data["duration"])
    if not lengths:
        why = "names no length" if not found else "names times only as its source ranges"
        notes.append(f"duration: the request {why}; dropped the model's")
        data["duration"] = None
    elif not asked <= lengths:
        # A length the request never says: worked out ("6 s at 0.75x is 8 s") or in
        # another unit ("6000 ms" as 6000 s): the model's sum, no ask of the user's.
        shown = ", ".join(f"{v:g} s" for v in sorted(asked - lengths))
        notes.append(f"duration: the model proposed {shown}, a length the request does not "
                     "say; dropped")  # fmt: skip
        data["duration"] = None


def _ground_added_bounds(
    merged: dict[str, Any], ours: DurationAsk, lengths: set[float], notes: list[str]
) -> None:
    """Drop a bound the model added to the request's length where the request never says it.

    "Half as long as the original" asks a share: the model's 90-270 s around its guess of
    180 s are no ask of the user's, and no plan of a 10 s clip could meet them.
    """
    for key in ("target_s", "min_s", "max_s"):
        value = merged.get(key)
        if getattr(ours, key) is not None or value is None or round(value, 3) in lengths:
            continue
        notes.append(f"duration {key}: the model proposed {value:g} s, a length the request "
                     "does not say; dropped")  # fmt: skip
        merged[key] = None


def _duration_values(value: Any) -> set[float]:
    """The seconds a model's duration names (its target and bounds; not its tolerance)."""
    if not isinstance(value, dict):
        return set()
    named = (value.get(key) for key in ("target_s", "min_s", "max_s"))
    return {round(float(v), 3) for v in named if isinstance(v, int | float)}
