"""Vocabulary of the request parser: numbers, durations and negations.

Everything here is a plain regex or a small pure function over the *normalised* request
(see :func:`normalise`), so the parser in :mod:`tasks.brief.parse` stays a list of rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "NEGATION",
    "NUM",
    "ORDINALS",
    "Quantity",
    "normalise",
    "number",
    "quantities",
]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip

_WORD_NUM = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_UNITS)[1:10]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)
# A number as people write it: digits, a decimal, or words ("twenty-five", "a").
NUM = r"(?:\d+(?:\.\d+)?|\.\d+|" + _WORD_NUM + r"|an?)"
_SEC = r"(?:seconds?|secs?|s)"
_MIN = r"(?:minutes?|mins?)"
_HALF = r"(?:\s+and\s+a\s+half)"
_PART_COUNT = r"an?|one|two|three"
_PARTS = {"half": 2, "third": 3, "quarter": 4}

# Words that turn the ask after them around; "no longer than" is a bound, not a negation,
# and is consumed before negations are looked at.
NEGATION = re.compile(
    r"\b(?:no|not|without|don'?t|do\s+not|never|avoid|nor|skip|none|zero|neither|"
    # "nothing sped up", not "nothing but hard cuts" (an ask, all of it)
    r"nothing(?!\s+(?:but|except|other|else|more|less|over|under|longer|shorter)\b)|"
    r"instead\s+of|rather\s+than)\b"
)
# Where a negation stops reaching: the clause ends, or a new clause starts.
# "but" joins no clauses in "the last but one" (a scene counted from the end).
_CLAUSE_BREAK = re.compile(
    r"[.;:!?,()]|\b(?:and|but(?!\s+(?:one|two)\b)|then|while|though|however|plus)\b"
)


# Curly quotes, en and em dashes, the times sign: each replaced by its one-byte twin.
_TYPOGRAPHY = {
    "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-", "\u2014": "-",
    "\u00d7": "x",
}  # fmt: skip


# The number sign written as a word's abbreviation before a number: "scene no. 2", "nr. 3",
# "n\u00ba 4". Its full stop ends no sentence and its "no" is no negation.
_NUMERO = re.compile(r"\b(?:no\.|nr\.?|num\.|n[\u00ba\u00b0]\.?)(?=\s*\d)|\u2116")


def normalise(text: str) -> str:
    """Lower-case, with typographic quotes, dashes, the times sign and the number sign plain.

    The length never changes, so spans found here index the original text too (captions
    keep their exact case and spelling).
    """
    table = str.maketrans(_TYPOGRAPHY)
    out = []
    for ch in text.translate(table):
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return _NUMERO.sub(lambda m: "#".ljust(len(m.group(0))), "".join(out))


def number(word: str) -> float:
    """The value of one number token matched by ``NUM``."""
    word = word.strip().lower()
    if word in ("a", "an"):
        return 1.0
    if word in _UNITS:
        return float(_UNITS[word])
    parts = re.split(r"[- ]", word)
    if parts[0] in _TENS:
        return float(_TENS[parts[0]] + (_UNITS[parts[1]] if len(parts) > 1 else 0))
    if word in ORDINALS:
        return float(ORDINALS[word])
    return float(re.sub(r"(st|nd|rd|th)$", "", word))


@dataclass(frozen=True)
class Quantity:
    """A length of time written in the request, with where it was written."""

    start: int
    end: int
    seconds: float
    clock: bool = False  # written m:ss or h:mm:ss (always a point or span of the source)


_QTY_FORMS: list[tuple[str, str]] = [
    # 00:01:02, 0:00:12.5 (with frames, 00:00:12:05, see _frames): before m:ss, which would
    # read its parts
    ("timecode", r"\b(\d{1,2}):([0-5]\d):([0-5]\d(?:\.\d+)?)\b"),
    # 1:30, 0:07, 00:12.5 (aspect ratios are consumed before this runs)
    ("clock", r"\b(\d{1,2}):([0-5]\d(?:\.\d+)?)\b"),
    # 1 min 30 s, 1m30s, one minute and 30 seconds
    ("min_sec", rf"\b({NUM})\s*(?:{_MIN}|m)\s*(?:and\s+)?({NUM})\s*{_SEC}\b"),
    # a minute and a half, two and a half seconds
    ("half_more", rf"\b({NUM})(?:\s+and\s+a\s+half|\s+{_MIN}{_HALF}|\s+{_SEC}{_HALF})"),
    # half a minute, half a min, a quarter of a minute, three-quarters of a second
    (
        "half_of",
        rf"\b(half|(?:(?:{_PART_COUNT})[- ]+)?(?:quarter|third)s?(?:\s+of)?)\s+an?\s+"
        r"(min|sec)(?:ute|ond)?s?\b",
    ),
    # a half-minute, the first half minute, a quarter-minute
    ("half_of", r"\b(?:an?\s+)?(half|quarter)[- ](min|sec)(?:ute|ond)?s?\b"),
    # 1/2 minute, 3/4 of a second, 1 1/2 minutes: a fraction of the unit (before "simple",
    # which would read "2 minute")
    (
        "fraction",
        rf"\b(?:(\d+)\s+)?(\d+)\s*/\s*(\d+)\s*-?\s*(?:of\s+)?(?:an?\s+)?({_MIN}|{_SEC})\b",
    ),
    # 250 ms, 6000 milliseconds, a 500-ms fade
    ("ms", rf"\b({NUM})\s*-?\s*(?:ms|msecs?|millisec(?:ond)?s?)\b"),
    # "the first minute (and a half)", "the last second": a unit counted by its place is one of it
    ("placed_minute", r"\bmin(?:ute)?(\s+and\s+a\s+half)?\b"),
    ("placed_second", r"\bsec(?:ond)?\b(?!\s*-?\s*(?:to|from)\b)"),
    # 6-second, 6 s, 15s, one-minute, 1.5 minutes, thirty-ish seconds
    ("simple", rf"\b({NUM})(?:\s*-?\s*ish)?\s*-?\s*({_MIN}|{_SEC})\b"),
    # 1m, 2.5m: digits with a bare "m" are minutes (metres are no length of a video)
    ("simple", r"\b(\d+(?:\.\d+)?)(m)\b(?!\s*\d)"),
    # ":15", ":30": a spot named by its seconds, as broadcast writes it ("a :15", "cut a :30")
    ("spot", r"(?<![\w:]):([0-5]\d)\b(?![:.]\d)"),
    # "clocks in at 10": only a length follows, its unit left out (the edit's, in seconds);
    # the phrase is the length's, so its "at" places nothing ("at 3x so it clocks in at 10")
    (
        "clocked",
        rf"\bclock(?:s|ed|ing)?\s+in\s+at\s+(?:about\s+|around\s+|roughly\s+|~\s*)?"
        rf"({_WORD_NUM}|\d+(?:\.\d+)?)\b(?![:.]?\d|\s*(?:%|x\b|fps\b|/))",
    ),
]
_QTY = [(kind, re.compile(rx)) for kind, rx in _QTY_FORMS]
# "about a second", "lasting a second": a word that only a length follows makes "a second"
# one (elsewhere it is an ordinal more often: "a second shot").
_HEDGED = re.compile(
    r"\b(?:about|around|roughly|approximately|nearly|almost|perhaps|maybe|lasting|taking|"
    r"over|just\s+(?:under|over))\s+$"
)
_ENDS_PHRASE = re.compile(r"\s*(?:[.,;:!?)\-]|$|(?:and|or|long|each|apiece|at|to|then)\b)")


def _a_length(text: str, m: re.Match[str]) -> bool:
    """Whether "a second" is a length: a length-only word before it, no noun after it."""
    return bool(_HEDGED.search(text, 0, m.start()) and _ENDS_PHRASE.match(text, m.end()))


_PLACE_BEFORE = re.compile(r"\b(?:first|last|final|opening|closing|initial)\s+$")


def _half_more(m: re.Match[str]) -> float:
    base = number(m.group(1))
    unit = 60.0 if re.search(r"min", m.group(0)) else 1.0
    return (base + 0.5) * unit


def _scaled(kind: str, m: re.Match[str]) -> float | None:
    """Seconds in "1 1/2 minutes" (a fraction of a unit) or "250 ms"; None for "x/0"."""
    if kind == "ms":
        return number(m.group(1)) / 1000.0
    whole, top, bottom = (int(g) if g else 0 for g in m.group(1, 2, 3))
    unit = 60.0 if m.group(4).startswith("m") else 1.0
    return (whole + top / bottom) * unit if bottom else None


def _share_of_unit(words: str) -> float:
    """The share of one unit in "half", "a quarter of", "three-quarters of", "two thirds"."""
    *count, part = re.sub(r"\s+of$", "", words).replace("-", " ").split()
    return (number(count[0]) if count else 1.0) / _PARTS[part.rstrip("s")]


def quantities(text: str, fps: float | None = None) -> list[Quantity]:
    """Every duration written in ``text`` (normalised), in order, without overlaps.

    Frames count at ``fps`` (the request's rate, see :mod:`tasks.brief._frames`); without
    one they are no time, and their digits no other.
    """
    from ._frames import frame_times  # it reads its counts with this module's numbers

    found, taken = frame_times(text, fps)
    for kind, rx in _QTY:
        for m in rx.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            if kind == "timecode":
                value = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
            elif kind == "clock":
                value = int(m.group(1)) * 60 + float(m.group(2))
            elif kind == "min_sec":
                value = number(m.group(1)) * 60 + number(m.group(2))
            elif kind == "half_more":
                if not re.search(rf"\b(?:{_MIN}|{_SEC})\b", m.group(0)):
                    # "two and a half" alone: the unit must follow.
                    tail = re.match(rf"\s*({_MIN}|{_SEC})\b", text[m.end() :])
                    if tail is None:
                        continue
                    unit = 60.0 if tail.group(1).startswith("m") else 1.0
                    value = (number(m.group(1)) + 0.5) * unit
                    found.append(Quantity(m.start(), m.end() + tail.end(), value))
                    taken.append((m.start(), m.end() + tail.end()))
                    continue
                value = _half_more(m)
            elif kind in ("placed_minute", "placed_second"):
                if not _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                    continue
                value = 1.0 if kind == "placed_second" else 90.0 if m.group(1) else 60.0
            elif kind in ("fraction", "ms"):
                scaled = _scaled(kind, m)
                if scaled is None:
                    continue  # "1/0 minute" is no length
                value = scaled
            elif kind in ("spot", "clocked"):
                value = float(number(m.group(1)))
            elif kind == "half_of":
                value = _share_of_unit(m.group(1)) * (60.0 if m.group(2) == "min" else 1.0)
            else:
                unit = 60.0 if m.group(2).startswith("m") else 1.0
                if m.group(1) in ("a", "an") and unit == 1.0 and not _a_length(text, m):
                    continue  # "a second" is an ordinal more often than a length
                value = number(m.group(1)) * unit
            if not math.isfinite(value):
                continue  # "99...9 seconds" overflows: no length anyone can ask for
            found.append(Quantity(m.start(), m.end(), value, clock=kind in ("clock", "timecode")))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` begins (for negations and scoping)."""
    start = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, pos):
        start = m.end()
    return start


def clause_end(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` ends."""
    m = _CLAUSE_BREAK.search(text, pos)
    return m.start() if m else len(text)


def negated(text: str, start: int, words: int = 4) -> bool:
    """Whether a negation stands within ``words`` words before ``start``, in one clause."""
    prefix = text[clause_start(text, start) : start]
    tail = " ".join(prefix.split()[-words:])
    return NEGATION.search(tail) is not None
