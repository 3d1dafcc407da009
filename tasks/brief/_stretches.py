"""Stretches of the source said unusually: written backwards ("5-3 s"), or by ordinal seconds.

A span written end first ("5-3 s", "0:07 to 0:03") with no word of time running backwards is
the stretch between the two times, played forwards: an editor would not reverse the picture
on a slip of the pen, least of all with the sound kept. Time asked to run backwards is the
playback rule's (:mod:`tasks.brief._order`), which reads it of the whole edit. How a backwards
span was read is said in the free text, so the reading can be checked by the one who asked.

"The Nth second" is the N-th one-second interval: the 2nd second runs from 1 s to 2 s, so
"the 2nd through 4th seconds" is 1-4 s. "The first second" is a head of one second (see
:func:`tasks.brief._patterns.quantities`).
"""

from __future__ import annotations

import re

from ._patterns import number
from ._scan import Scan

__all__ = ["NthSeconds", "backwards_said", "forwards", "nth_seconds", "restates_span"]

# A number naming a shot, not a time: "scene 3 - 2 s each" is no span of 2-3 s.
_SHOT_NUMBER = re.compile(r"\b(?:scenes?|shots?|clips?|parts?|number|no\.?)\s*#?\s*$|#\s*$")


def backwards_said(text: str, start: int) -> bool:
    """Whether a span written end first, starting at ``start``, is a span at all."""
    return _SHOT_NUMBER.search(text, max(0, start - 12), start) is None


def _seconds(value: float) -> str:
    return f"{value:g} s"


def forwards(scan: Scan, a: float, b: float, start: int, end: int) -> tuple[float, float]:
    """The span ``a``-``b`` of the source as (earlier, later), noting one written backwards."""
    if a <= b:
        return a, b
    way = "" if scan.fields.get("playback") == "reverse" else ", played forwards"
    said = scan.raw[start:end].strip()
    scan.extra_free.append(f'"{said}" read as {_seconds(b)} to {_seconds(a)}{way}')
    return b, a


_ORD = (
    r"\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth"
)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_NTH = re.compile(
    # "the 2nd through 4th seconds", "the second to the fourth second"
    rf"\bthe\s+(?P<a>{_ORD})\s*(?:through|thru|to|until|till|-)\s*(?:the\s+)?(?P<b>{_ORD})\s+"
    r"seconds?\b|"
    # "the 3rd second" ("the first second" is a head, read as a length)
    rf"\bthe\s+(?P<one>{_ORD})\s+second\b(?!\s*-?\s*(?:to|from)\b)"
)
# "the second scene", "a second shot": "second" the ordinal of a noun
_NOUN_AFTER = re.compile(r"\s*(?:scenes?|shots?|clips?|ones?|half|part|bit|take|time)\b")
# "cut at the 5th second": a point in time, not the second-long stretch
_POINT_BEFORE = re.compile(r"\b(?:at|on|after|before|until|till|by|around|from)\s+$")

NthSeconds = tuple[float, float, int, int]


def _place(word: str) -> int:
    return _ORDINALS.get(word) or int(number(word))


def nth_seconds(scan: Scan) -> list[NthSeconds]:
    """(start_s, end_s, start, end) of each stretch named by ordinal seconds, in order."""
    out: list[NthSeconds] = []
    for m in scan.find(_NTH):
        if m.group("one") in ("first", "1st") or scan.negated(m.start()):
            continue
        point = _POINT_BEFORE.search(scan.text, max(0, m.start() - 8), m.start())
        if m.group("one") is not None and (point or _NOUN_AFTER.match(scan.text, m.end())):
            continue
        if point and point.group(0).strip() != "from":
            continue
        first = _place(m.group("a") or m.group("one"))
        last = _place(m.group("b") or m.group("one"))
        if 1 <= first <= last:
            out.append((first - 1.0, float(last), m.start(), m.end()))
    return out


# A length said as an aside or as an amount of the source: "(three seconds)", "3 s of footage".
_ASIDE = re.compile(r"\([^()]*$")
_OF_SOURCE = re.compile(r"\s*of\s+(?:the\s+)?(?:footage|source|material)\b")


def restates_span(scan: Scan, start: int, end: int, seconds: float) -> bool:
    """Whether the length at ``[start, end)`` is the span of the source's stretches, said again.

    "The 2nd through 4th seconds (three seconds of footage)" pins the stretch; it asks no
    length of the edit, which a speed may change ("in 2x slo-mo" makes it 6 s). A length said
    as the edit's ("a 4 s edit from 0.5 s to 2.5 s and from 5 s to 7 s") stays one.
    """
    use = scan.fields.get("use")
    if not isinstance(use, dict) or use.get("kind") != "ranges":
        return False
    said = _ASIDE.search(scan.text, max(0, start - 30), start) or _OF_SOURCE.match(scan.text, end)
    span = sum(b - a for a, b in use["ranges"])
    return bool(said) and abs(span - seconds) < 1e-6
