"""Speeds of the request parser: "2x", "slow motion", "three times its normal speed", replays.

Speed phrases are found with where they stand; phrases side by side, or said of one thing,
are one ask, and each ask is scoped to the part of the edit its clause names.
"""

from __future__ import annotations

import re
from typing import Any

from ._onwards import runs_onwards
from ._patterns import NUM, number
from ._refs import find_reference
from ._replays import replay_before
from ._scan import Scan
from ._shot_picks import find_pick
from .model import ShotPick

__all__ = ["read_speeds"]

# (start, end, factor, is_number) of one speed phrase
_Hit = tuple[int, int, float, bool]

# "velocity" for speed, as learners of English often say it: "at half of the velocity".
_SPEED = r"(?:speed|velocity)"
_SLOW = (
    r"slow[- ]?(?:motion|mo)\b|slo[- ]?mo\b|slowmo|slowed(?:\s+(?:it\s+)?down)?|"
    rf"slow(?:s|ing)?\s+(?:\w+\s+){{0,3}}?down|half[- ]{_SPEED}|half\s+(?:the\s+)?{_SPEED}|"
    # "put in slow the second scene", "put it in slow" (a learner's "in slow motion")
    r"half[- ]time|put(?:s|ting)?\s+(?:\w+\s+){0,3}?in\s+slow\b(?![- ]?(?:motion|mo)\b)|"
    # a camera run fast plays back slow: an editor's "overcranked look"
    r"over[- ]?crank(?:ed|ing)?\b"
)
_FAST = (
    r"double[- ](?:speed|time)|twice\s+the\s+speed|speed(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?up|"
    r"speed[- ]up|sped\s+up|fast[- ]?forward(?:ed)?|fast[- ]motion|high[- ]speed|"
    r"under[- ]?crank(?:ed|ing)?\b"
)
_WORD_SPEEDS = [
    (0.5, re.compile(rf"\b(?:{_SLOW})")),
    (3.0, re.compile(r"\btriple[- ](?:speed|time)")),
    (4.0, re.compile(r"\btime[- ]?lapse")),
    (2.0, re.compile(rf"\b(?:{_FAST})")),
    (
        1.0,
        re.compile(
            rf"\b(?:real[- ]?time|(?:normal|original|regular|natural|actual)\s+{_SPEED}|"
            r"(?:don'?t|do\s+not|never)\s+(?:change|alter|touch|adjust)\s+(?:the\s+)?speed|"
            r"(?:keep|leave)\s+(?:the\s+)?speed\s+(?:as\s+is|alone|unchanged|the\s+same)|"
            r"no\s+speed\s+(?:changes?|ramps?))"
        ),
    ),
]
# "2x" (not "1920x1080"; a number on the next line is a list's row: "at 2x\n3. Scene 1")
_FACTOR = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*x\b(?![ \t]*\d)|(?<![\w.])x\s*(\d+(?:\.\d+)?)\b|"
    r"\b(\d+(?:\.\d+)?)\s*%\s*(?:speed|of\s+(?:the\s+)?(?:normal\s+|original\s+|real\s+)?speed)|"
    r"\bspeed\s+(?:of\s+|to\s+|at\s+)?(\d+(?:\.\d+)?)\s*%|"
    r"\bat\s+(\d+(?:\.\d+)?)\s*%(?!\s*(?:of|volume|zoom|scale|size|opacity|brightness|"
    r"loud|crop|quality|faster|slower|quicker))"
)
_DIRECTION = re.compile(
    r"\s*(?:(slower|as\s+slow)|faster|quicker|as\s+(?:fast|quick)|(?:the\s+)?(?:normal\s+)?speed)\b"
)
# A count of times right after a speed word is its factor: "sped up four times", "slowed
# down 3 times" (a count alone is how often something plays: "show it four times"); said
# to follow one another, the times count repetitions: "speed it up three times in a row".
_COUNT_AFTER = re.compile(
    rf"\s+({NUM})\s+times\b(?!\s+(?:as|the|its|their|faster|slower|quicker)\b)"
    r"(?!\s+(?:in\s+(?:a\s+row|succession|total)|over|running|back[- ]to[- ]back|"
    r"one\s+after\s+(?:another|the\s+other))\b)"
)
# The speed a speed word goes to, said after it: "slowed to 75%", "sped up to 1.5x", "slow
# it down to 0.5" (not "slowed down to 5 seconds", "slow down to 50% of its length").
_UNITS = r"(?:s|secs?|seconds?|m|mins?|minutes?|ms|fps|frames?|times|lufs|db)"
_GOES_TO = re.compile(
    r"\s*,?\s*(?:(?:down|up)\s+)?(?:to|at)\s+(\d+(?:\.\d+)?|\.\d+)(?![\d:.])\s*"
    rf"(?:(%|percent)|x\b)?(?!\s*(?:of|-?\s*{_UNITS})\b)"
)
# A bare share set beside a speed word is its speed: "Overcranked look, 50%", "slow-mo: 40
# percent" (not a share of something else: "slow motion, 50% of the clip", "75% of its length").
_SHARE_BESIDE = re.compile(
    r"\s*(?:(?:look|effect|style|feel)\s*)?[,:-]\s*(?:at\s+)?(\d+(?:\.\d+)?|\.\d+)\s*(%|percent)"
    r"(?!\s*(?:of|faster|slower|quicker|longer|shorter|volume|louder|quieter)\b)"
    r"(?=\s*(?:[,.;:!?)]|and\b|$))"
)
# A bare factor said after playing: "play everything at 0.75", "run it at 1.5".
_PLAYED_AT = re.compile(
    r"\b(?:play|run)(?:s|ed|ing)?\s+(?:[\w']+\s+){0,3}?(at\s+(\d+(?:\.\d+)?|\.\d+))"
    rf"(?![\d:.%]|\s*(?:x|percent|-?\s*{_UNITS})\b)"
)
_BRACKETED = re.compile(r"\s*\(\s*(\d+(?:\.\d+)?)\s*(%|percent|x)\s*(?:speed\s*)?\)")
# "twice the normal speed": the speed it is a multiple of is real time, no ask of its own
_USUAL = r"(?:normal|original|regular|natural|actual|usual|standard|real)"
_TIMES = re.compile(
    rf"\b(twice|thrice|half|{NUM}(?:\s+and\s+a\s+half)?\s+times)\s+(?:as\s+)?"
    rf"(fast|faster|quick|quicker|(?:(?:the|its|their)\s+)?(?:{_USUAL}\s+)?{_SPEED}|"
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
    r"usual|full|standard|real[- ]?time))?[- ]+(?:speed|velocity|pace|tempo)\b|"
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


# The rest of the edit said to play as it is, beside a part's speed (see read_speeds).
_REST_AS_IS = re.compile(
    r"\b(?:the\s+(?:other|remaining)\s+(?:scenes|shots|parts|bits|clips|ones)|the\s+others|"
    r"the\s+rest(?:\s+of\s+(?:it|them|the\s+\w+))?|everything\s+else|all\s+the\s+others)"
    r"(?:\s*,)?(?:\s+(?:they|it))?(?:\s+(?:should|can|will|must|may))?"
    r"(?:\s+(?:stay|stays|remain|remains|are|is|be|play|plays|run|runs|go|goes|kept|left))?"
    r"(?:\s+(?:at|in))?\s+(?:normal|regular|real[- ]?time|unchanged|untouched|"
    r"as\s+(?:they|it)\s+(?:are|is|was|were))\b(?:\s+(?:speed|pace|tempo|rate|velocity)\b)?"
)
_THE_REST = re.compile(
    r"\s+(?:the\s+rest|the\s+remainder|everything\s+else)\b(?!\s+(?:at|to|by)\b)"
)
_JOINED = re.compile(r"^\s*(?:at|to|by|of|-|,)?\s*$")
_OR = re.compile(r"\s*n?or\s+")


def _speed_hits(scan: Scan) -> list[_Hit]:
    """(start, end, factor, is_number) of every speed phrase, in order."""
    hits: list[_Hit] = []
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
    for m in scan.find(_PLAYED_AT):
        if all(m.end(1) <= a or b <= m.start(1) for a, b, _, _ in hits):
            hits.append((m.start(1), m.end(1), float(m.group(2)), True))
    for _, end, _, is_number in list(hits):
        said = None if is_number else _GOES_TO.match(scan.text, end)
        said = said or (None if is_number else _SHARE_BESIDE.match(scan.text, end))
        if said and scan.is_free(said.start(), said.end()):
            share = float(said.group(1)) / (100.0 if said.group(2) else 1.0)
            hits.append((said.start(), said.end(), share, True))
        count = None if is_number else _COUNT_AFTER.match(scan.text, end)
        if count and scan.is_free(count.start(), count.end()) and number(count.group(1)) > 1:
            hits.append((count.start(), count.end(), number(count.group(1)), True))
    # A number in brackets right after a speed restates it: "slo-mo (50%)", "fast (2x)".
    for _, end, _, _ in list(hits):
        said = _BRACKETED.match(scan.text, end)
        if said and scan.is_free(said.start(), said.end()):
            share = float(said.group(1)) / (100.0 if said.group(2) != "x" else 1.0)
            hits.append((said.start(), said.end(), share, True))
    return sorted(hits)


# What may stand beside a speed in a clause of its own: ", at 40% speed,".
_ASIDE = re.compile(r"^\s*(?:at|to|by|of|in)?\s*$")


def _aside(scan: Scan, last: list[_Hit], group: list[_Hit]) -> bool:
    """Whether ``group`` is a speed said alone, as an aside to the speed word just before.

    "a slow-motion replay of the darkest moment, at 40% speed, ..." names the replay's
    speed: the clause holds nothing else, and no sentence ends between the two.
    """
    a, b = scan.clause(group[0][0], group[-1][1])
    alone = _ASIDE.match(scan.text[a : group[0][0]]) and not scan.text[group[-1][1] : b].strip()
    return bool(alone) and not re.search(r"[.;!?]", scan.text[last[-1][1] : group[0][0]])


def read_speeds(scan: Scan) -> None:
    """Record every speed asked, with the part of the edit each applies to."""
    # Hits side by side are one ask ("slow it down 4x", "slow motion at 0.25x").
    groups: list[list[_Hit]] = []
    for hit in _speed_hits(scan):
        if groups and _JOINED.match(scan.text[groups[-1][-1][1] : hit[0]]):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    # A speed word and a number in one clause that agree (both faster or both slower) are
    # one ask too: "speed up the end by 2x"; "2x with a half-speed replay" stays two.
    joined: list[list[_Hit]] = []
    for group in groups:
        if joined:
            last = joined[-1]
            same = scan.clause(last[0][0], last[-1][1]) == scan.clause(group[0][0], group[-1][1])
            words_only = not any(h[3] for h in group) or not any(h[3] for h in last)
            directions = {(h[2] > 1) - (h[2] < 1) for h in (*last, *group)}
            agree = directions in ({1}, {-1})
            if words_only and agree and (same or _aside(scan, last, group)):
                last.extend(group)
                continue
        joined.append(list(group))
    groups = joined
    asks: list[dict[str, Any]] = []
    refused_end = -1  # where the last refused speed ends; -1: none refused
    for hits in groups:
        start, end = hits[0][0], hits[-1][1]
        rest = None if any(h[3] for h in hits) else _THE_REST.match(scan.text, end)
        if rest is not None:  # "speed up the rest": of a part the brief cannot hold, no factor
            scan.extra_free.append(scan.raw[start : rest.end()])
            continue
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
        for m in scan.find(_REST_AS_IS):  # "the other scenes they stay normal": no ask either
            scan.take(m.start(), m.end())
    if asks:
        scan.fields["speeds"] = asks


def _a_part(scan: Scan, a: int, b: int) -> bool:
    """Whether ``[a, b)`` names a part of the edit; "play through to the end" names the source."""
    return any("use" not in scan.read_as(*m.span()) for m in _PART.finditer(scan.text, a, b))


def _speed_scope(scan: Scan, factor: float, start: int, end: int) -> dict[str, Any]:
    a, b = scan.clause(start, end)
    replayed = replay_before(scan, a, start)
    if replayed is not None:
        a, b = replayed[0], b
    clause = scan.text[a:b]
    ask: dict[str, Any] = {"factor": factor}
    found = find_pick(scan.text, a, b, scan.quantities())
    if found is not None and runs_onwards(scan, found[1], found[2]):
        found = None  # "half speed from scene #2 on": where the edit starts, not a part
    ref = find_reference(scan, a, b)
    if ref is not None and (found is None or ref[1] <= found[1]):
        found = None if ref[0] is None else (ref[0], ref[1], ref[2])
    pick: ShotPick | None = found[0] if found else None
    row = next((r for r in scan.shot_rows if r[0] <= start < r[1]), None)
    if row is not None and pick is None and factor != 1:
        # A speed said in a shot list's row is its shot's; real time there is the rest's.
        ask["applies_to"] = "part"
        pick = row[2]
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
    elif pick is not None or (_a_part(scan, a, b) and not _WHOLE.search(clause)):
        ask["applies_to"] = "part"
    if pick is not None:
        ask["pick"] = pick.model_dump(exclude_none=True)
        if found and scan.is_free(found[1], found[2]):
            scan.take(found[1], found[2])
    return ask
