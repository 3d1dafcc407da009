"""A deterministic parse of a request's own words into a ``Brief``.

The model's proposal is cross-checked against this parse (see :mod:`tasks.brief.merge`):
numbers, units and the fixed vocabulary of editing ("2x", "monochrome", "hard cuts",
"end on the brightest shot") are read here by rules, so they can never be lost or invented.
Rules run in a fixed order and each takes the words it understood; whatever still asks
something is kept as free text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ._corrections import take_back
from ._fade_lengths import read_fade_lengths
from ._free import read_free_text
from ._kept import read_kept
from ._length import read_bounds, read_share, read_target
from ._order import read_order
from ._patterns import NUM, find_pick, number
from ._picks import read_picks
from ._rules import read_audio, read_captions, read_format, read_looks
from ._scan import Scan
from ._sound import read_sound
from ._timing import read_use
from .model import Brief, DurationAsk, ShotPick, SourceUse, SpeedAsk

__all__ = ["default_tolerance", "parse_request", "read_request"]


def default_tolerance(target_s: float) -> float:
    """Allowed error on a target length: 5%, never under 0.3 s (about a frame at 10 fps)."""
    return round(max(0.3, 0.05 * target_s), 3)


_SLOW = (
    r"slow[- ]?(?:motion|mo)\b|slo[- ]?mo\b|slowmo|slowed(?:\s+(?:it\s+)?down)?|"
    r"slow(?:s|ing)?\s+(?:\w+\s+){0,3}?down|half[- ]speed|half\s+(?:the\s+)?speed|half[- ]time"
)
_FAST = (
    r"double[- ](?:speed|time)|twice\s+the\s+speed|speed(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?up|"
    r"speed[- ]up|sped\s+up|fast[- ]?forward(?:ed)?|fast[- ]motion|high[- ]speed"
)
_WORD_SPEEDS = [
    (0.5, re.compile(rf"\b(?:{_SLOW})")),
    (3.0, re.compile(r"\btriple[- ](?:speed|time)")),
    (4.0, re.compile(r"\btime[- ]?lapse")),
    (2.0, re.compile(rf"\b(?:{_FAST})")),
    (
        1.0,
        re.compile(
            r"\b(?:real[- ]?time|(?:normal|original|regular|natural|actual)\s+speed|"
            r"(?:don'?t|do\s+not|never)\s+(?:change|alter|touch|adjust)\s+(?:the\s+)?speed|"
            r"(?:keep|leave)\s+(?:the\s+)?speed\s+(?:as\s+is|alone|unchanged|the\s+same)|"
            r"no\s+speed\s+(?:changes?|ramps?))"
        ),
    ),
]
_FACTOR = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*x\b(?!\s*\d)|(?<![\w.])x\s*(\d+(?:\.\d+)?)\b|"
    r"\b(\d+(?:\.\d+)?)\s*%\s*(?:speed|of\s+(?:the\s+)?(?:normal\s+|original\s+|real\s+)?speed)|"
    r"\bspeed\s+(?:of\s+|to\s+|at\s+)?(\d+(?:\.\d+)?)\s*%|"
    r"\bat\s+(\d+(?:\.\d+)?)\s*%(?!\s*(?:of|volume|zoom|scale|size|opacity|brightness|"
    r"loud|crop|quality|faster|slower|quicker))"
)
_DIRECTION = re.compile(
    r"\s*(?:(slower|as\s+slow)|faster|quicker|as\s+(?:fast|quick)|(?:the\s+)?(?:normal\s+)?speed)\b"
)
_BRACKETED = re.compile(r"\s*\(\s*(\d+(?:\.\d+)?)\s*(%|percent|x)\s*(?:speed\s*)?\)")
# "twice the normal speed": the speed it is a multiple of is real time, no ask of its own
_USUAL = r"(?:normal|original|regular|natural|actual|usual|standard|real)"
_TIMES = re.compile(
    rf"\b(twice|thrice|half|{NUM}(?:\s+and\s+a\s+half)?\s+times)\s+(?:as\s+)?"
    rf"(fast|faster|quick|quicker|(?:the\s+)?(?:{_USUAL}\s+)?speed|"
    r"slow|slower)\b"
)
# A change by a share of real time: "50% faster", "speed it up by 25%", "slow down by 50%".
_PERCENT_CHANGE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(?:%|percent)\s+(faster|quicker|slower)\b|"
    r"\b(speed|slow)(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?(?:up|down)\s+by\s+(\d+(?:\.\d+)?)\s*(?:%|percent)"
)
# A share of real time said as a fraction: "a quarter of normal speed", "a third of the
# speed", "half the original speed", "three-quarter speed", "two thirds of real time". The
# "normal speed" inside it is the whole the share is of, no ask of its own.
_FRACTION = re.compile(
    r"\b(?:(a|one|two|three|four)[- ]+)?(half|thirds?|quarters?|fifths?|tenths?)"
    r"(?:\s+of)?(?:\s+(?:the|its|their))?(?:\s+(?:normal|original|regular|natural|actual|"
    r"usual|full|standard|real[- ]?time))?[- ]+(?:speed|pace|tempo)\b|"
    r"\b(?:(a|one|two|three|four)[- ]+)?(half|thirds?|quarters?|fifths?|tenths?)"
    r"\s+of\s+real[- ]?time\b"
)
_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_REPLAY = re.compile(
    r"\b(?:(?:action\s+|instant\s+)?replay(?:ed|s)?|repeat(?:ed|s)?|again|once\s+more)\b"
)
_WHOLE = re.compile(r"\b(?:whole|entire|everything|all\s+of\s+it|throughout|the\s+full)\b")
_PART = re.compile(
    r"\b(?:the\s+(?:end|ending|beginning|start|middle|intro|outro|finale|climax)|part|section|"
    r"portion|segment|one\s+(?:shot|scene)|a\s+(?:shot|scene|few)|some)\b"
)


_JOINED = re.compile(r"^\s*(?:at|to|by|of|-|,)?\s*$")
_OR = re.compile(r"\s*n?or\s+")


def _speed_hits(scan: Scan) -> list[tuple[int, int, float, bool]]:
    """(start, end, factor, is_number) of every speed phrase, in order."""
    hits: list[tuple[int, int, float, bool]] = []
    for m in scan.find(_FACTOR):
        value = next(g for g in m.groups() if g is not None)
        factor = float(value) / (100.0 if "%" in m.group(0) else 1.0)
        # The direction said after a factor is part of it: "3x faster", "4x slower".
        way = _DIRECTION.match(scan.text, m.end())
        if way and way.group(1) and factor > 1:
            factor = 1 / factor
        hits.append((m.start(), way.end() if way else m.end(), factor, True))
    for m in scan.find(_TIMES):
        word = m.group(1)
        n = {"twice": 2.0, "thrice": 3.0, "half": 0.5}.get(word) or number(word.split()[0])
        n += 0.5 if " and a half " in word else 0.0  # "one and a half times the speed"
        if n <= 0:
            continue  # "0 times slower" says no speed: its words stay free text
        hits.append((m.start(), m.end(), 1 / n if "slow" in m.group(2) else n, True))
    for m in scan.find(_PERCENT_CHANGE):
        share = float(m.group(1) or m.group(4)) / 100.0
        slower = (m.group(2) or m.group(3)).startswith("slow")
        hits.append((m.start(), m.end(), 1 - share if slower else 1 + share, True))
    for m in scan.find(_FRACTION):
        count, part = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
        share = (number(count) if count else 1.0) / _PARTS[part.rstrip("s")]
        if all(m.end() <= a or b <= m.start() for a, b, _, _ in hits):
            hits.append((m.start(), m.end(), share, True))
    for factor, rx in _WORD_SPEEDS:
        for m in scan.find(rx):
            if all(m.end() <= a or b <= m.start() for a, b, _, _ in hits):
                hits.append((m.start(), m.end(), factor, False))
    # A number in brackets right after a speed restates it: "slo-mo (50%)", "fast (2x)".
    for _, end, _, _ in list(hits):
        said = _BRACKETED.match(scan.text, end)
        if said and scan.is_free(said.start(), said.end()):
            share = float(said.group(1)) / (100.0 if said.group(2) != "x" else 1.0)
            hits.append((said.start(), said.end(), share, True))
    return sorted(hits)


def _read_speeds(scan: Scan) -> None:
    # Hits side by side are one ask ("slow it down 4x", "slow motion at 0.25x").
    groups: list[list[tuple[int, int, float, bool]]] = []
    for hit in _speed_hits(scan):
        if groups and _JOINED.match(scan.text[groups[-1][-1][1] : hit[0]]):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    # A speed word and a number in one clause that agree (both faster or both slower) are
    # one ask too: "speed up the end by 2x"; "2x with a half-speed replay" stays two.
    joined: list[list[tuple[int, int, float, bool]]] = []
    for group in groups:
        if joined:
            last = joined[-1]
            same = scan.clause(last[0][0], last[-1][1]) == scan.clause(group[0][0], group[-1][1])
            words_only = not any(h[3] for h in group) or not any(h[3] for h in last)
            directions = {(h[2] > 1) - (h[2] < 1) for h in (*last, *group)}
            agree = directions in ({1}, {-1})
            if same and words_only and agree:
                last.extend(group)
                continue
        joined.append(list(group))
    groups = joined
    asks: list[dict[str, Any]] = []
    refused_end = -1  # where the last refused speed ends; -1: none refused
    for hits in groups:
        start, end = hits[0][0], hits[-1][1]
        for a, b, _, _ in hits:
            scan.take(a, b)
        # A negation reaches over "or": "don't speed it up or slow it down" asks neither.
        if any(scan.negated(a) for a, _, _, _ in hits) or (
            refused_end >= 0 and _OR.fullmatch(scan.text, refused_end, start)
        ):
            refused_end = end
            continue
        numbers = [f for _, _, f, is_num in hits if is_num]
        words = [f for _, _, f, is_num in hits if not is_num]
        factor = numbers[0] if numbers else words[0]
        if numbers and words and words[0] < 1 < factor:
            factor = 1 / factor  # "slow it down 4x" is a quarter of real time
        if not 0 < round(factor, 4) <= 8:  # as the ask keeps it: 1e-6 is no speed
            scan.extra_free.append(scan.raw[start:end])
            continue
        ask = _speed_scope(scan, round(factor, 4), start, end)
        if ask not in asks:  # "Slow motion: ... at half speed" asks once
            asks.append(ask)
    if not asks and refused_end >= 0:
        asks.append({"factor": 1.0})  # "no slow motion": real time throughout
    # Real time over the whole edit beside an ask for a part of it is how the rest plays
    # anyway, not a second ask that would undo the part: "the calmest shot at half speed,
    # everything else at normal speed".
    if any("applies_to" in ask for ask in asks):
        asks = [ask for ask in asks if ask != {"factor": 1.0}]
    if asks:
        scan.fields["speeds"] = asks


def _speed_scope(scan: Scan, factor: float, start: int, end: int) -> dict[str, Any]:
    a, b = scan.clause(start, end)
    clause = scan.text[a:b]
    ask: dict[str, Any] = {"factor": factor}
    found = find_pick(scan.text, a, b, scan.quantities())
    pick: ShotPick | None = found[0] if found else None
    replay = _REPLAY.search(clause)
    if replay:
        scan.take(a + replay.start(), a + replay.end())
        ask.update(applies_to="best_moment", replay=True)
        pick = pick or ShotPick(kind="most_motion")
    elif (
        pick is not None
        and pick.kind == "most_motion"
        and found
        and re.search(r"moment|highlight|best|climax|peak", scan.text[found[1] : found[2]])
    ):
        ask["applies_to"] = "best_moment"
    elif pick is not None or (_PART.search(clause) and not _WHOLE.search(clause)):
        ask["applies_to"] = "part"
    if pick is not None:
        ask["pick"] = pick.model_dump(exclude_none=True)
        if found and scan.is_free(found[1], found[2]):
            scan.take(found[1], found[2])
    return ask


def _assemble(scan: Scan) -> Brief:
    f = scan.fields
    data: dict[str, Any] = {
        k: f[k]
        for k in ("colour", "transitions", "fade_in", "fade_out", "fade_in_s", "fade_out_s",
                  "transition_s", "captions", "order", "playback",
                  "aspect", "size", "audio", "speeds", "start_on", "end_on")
        if k in f
    }  # fmt: skip
    target, low, high, share = (f.get(f"duration_{k}") for k in ("target", "min", "max", "share"))
    if low is not None and high is not None and low > high:
        low, high = high, low
    if any(v is not None for v in (target, low, high, share)):
        data["duration"] = DurationAsk(
            target_s=target,
            min_s=low,
            max_s=high,
            tolerance_s=default_tolerance(target) if target else 0.3,
            share_of_source=share,
        )
    if "use" in f:
        data["use"] = SourceUse(**f["use"])
    data["speeds"] = [SpeedAsk(**s) for s in f.get("speeds", [])]
    if "sound" in f:
        data["sound"] = f["sound"]
    for end in ("fade_in", "fade_out"):  # "a 2 s fade in" asks for one
        if f"{end}_s" in data:
            data.setdefault(end, True)
    data["free_text"] = read_free_text(scan)
    return Brief(**data)


def parse_request(text: str) -> Brief:
    """Read the checkable asks of a request, by rules, and keep the rest as free text.

    Args:
        text: The creative request, as the user wrote it.

    Returns:
        The brief the request's own words support; fields the request is silent on stay empty.
    """
    return _assemble(read_request(text))


def read_request(text: str) -> Scan:
    """The request read by every rule: the fields found and which words each ask took.

    An ask taken back by a correction ("8 s... actually 6 s") is left out.
    """
    return take_back(" ".join(text.split()), _read)


def _read(text: str, taken_back: Sequence[tuple[int, int]]) -> Scan:
    scan = Scan(text)
    for a, b in taken_back:
        scan.take(a, b)  # read, for no ask
    with scan.reading("captions"):  # first: quoted text may hold any words ("Slow motion 2x")
        read_captions(scan)
    with scan.reading("aspect", "size"):  # before times: "9:16" is not nine minutes
        read_format(scan)
    with scan.reading("fade_in_s", "fade_out_s", "transition_s"):  # before any length
        read_fade_lengths(scan)
    with scan.reading("audio"):
        read_kept(scan)  # before the single nouns: "keep the colour and sound" keeps both
        read_audio(scan)
    with scan.reading("order", "playback"):
        read_order(scan)
    with scan.reading("sound"):
        read_sound(scan)
    with scan.reading("use", "duration"):
        read_use(scan)
    with scan.reading("duration"):
        read_share(scan)
        read_bounds(scan)
    with scan.reading("colour", "transitions", "fade_in", "fade_out"):
        read_looks(scan)  # before picks: "end with a fade" is a fade, not a shot
    with scan.reading("start_on", "end_on"):
        read_picks(scan)
    with scan.reading("speeds"):
        _read_speeds(scan)
    with scan.reading("duration"):
        read_target(scan)
    return scan
