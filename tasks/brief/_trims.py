"""What is taken off the ends of the source, kept as said: "trim 2 s off the start".

"Trim 2 seconds off the start and shave the last second", "cut 3 s off each end", "lose the
first half second", "drop the intro (the first 2 seconds)": a length taken off an end is no
length of the edit and no head or tail of the source, but what is left of the source once it
is gone. The brief keeps the trim as said (``SourceUse(kind="trim")``); only the footage knows
where that leaves the edit (:mod:`tasks.on_footage`).

Read before the source's heads and tails (:mod:`tasks.brief._timing`), which would read "the
first 2 seconds" as the part used. "Cut the first 4 seconds" is left to them: editors say it
for the head as often as for its removal.
"""

from __future__ import annotations

import re

from ._patterns import Quantity
from ._scan import Scan
from ._words import FOOTAGE

__all__ = ["read_trims"]

# Verbs that take a length off the source (not "cut" or "take" before "the first N", which
# as often name the part kept).
_REMOVE = (
    r"(?:trim(?:med|ming)?|shav(?:e|ed|ing)|los(?:e|ing)|drop(?:ped|ping)?|skip(?:ped|ping)?|"
    r"chop(?:ped|ping)?\s+off|remov(?:e|ed|ing)|lop(?:ped|ping)?\s+off|snip(?:ped|ping)?\s+off|"
    r"cut(?:ting)?\s+off|get\s+rid\s+of|ditch(?:ed|ing)?)"
)
# "take 2 s off", "cut 3 s off", "knock a second off": an amount said taken off.
_TAKE_OFF = rf"(?:{_REMOVE}|cut(?:ting)?|tak(?:e|ing)|knock(?:ed|ing)?|chop(?:ped|ping)?)"
_START = r"(?:start|beginning|top|front|head|opening)"
_END = r"(?:end|ending|tail|close|finish|back)"
_OF_SOURCE = rf"(?:\s*(?:of|from)\s+(?:the|this|my|our)\s+(?:[\w'-]+\s+){{0,2}}?{FOOTAGE}\b)?"
# Form 1: "trim 2 s off the start", "3 s off each end" (a verb before it, or "off" enough).
_VERB_BEFORE = re.compile(
    rf"\b{_TAKE_OFF}\s+(?:(?:another|just|only|about|around|roughly|exactly)\s+)?$"
)
_OFF_AN_END = re.compile(
    rf"\s+(?P<off>off|from)\s+(?:(?P<both>(?:each|both|either)\s+ends?|both\s+sides)|"
    rf"(?:the\s+)?(?:very\s+)?(?:(?P<start>{_START})|(?P<end>{_END}))){_OF_SOURCE}\b"
)
# Form 2: "lose the first half second", "shave the last second", "drop the intro (the first 2
# seconds)": the end named by its place, the verb before it.
_PLACED = re.compile(
    rf"\b{_REMOVE}\s+(?:off\s+)?(?:(?:the|its|an?)\s+)?"
    r"(?:(?:intro|opening|outro|ending|end\s+credits|credits|lead[- ]in|tail)\s*[(,:-]+\s*"
    r"(?:(?:i\.e\.|that\s+is|that'?s|so)\s*,?\s*)?(?:the\s+)?)?"
    r"(?:very\s+)?(?P<place>first|opening|initial|last|final|closing)\s+$"
)
_CLOSE_ASIDE = re.compile(rf"{_OF_SOURCE}\s*\)?")


def _off_an_end(scan: Scan, q: Quantity) -> tuple[int, int, str] | None:
    """'N s off the start / end / each end': the span and which end ('start', 'end', 'both')."""
    said = _OFF_AN_END.match(scan.text, q.end)
    if said is None:
        return None
    verb = _VERB_BEFORE.search(scan.text, max(0, q.start - 30), q.start)
    if verb is None and said.group("off") == "from":
        return None  # "a caption 2 s from the start" places something: no trim
    side = "both" if said.group("both") else ("start" if said.group("start") else "end")
    return (verb.start() if verb else q.start), said.end(), side


def _placed(scan: Scan, q: Quantity) -> tuple[int, int, str] | None:
    """'lose the first N s', 'drop the outro (the last N s)': the span and which end."""
    said = _PLACED.search(scan.text, max(0, q.start - 60), q.start)
    if said is None:
        return None
    side = "end" if said.group("place") in ("last", "final", "closing") else "start"
    close = _CLOSE_ASIDE.match(scan.text, q.end)
    return said.start(), (close.end() if close else q.end), side


def read_trims(scan: Scan) -> None:
    """``use``: a trim of the source's ends, where a length is said taken off one."""
    cut = {"start": 0.0, "end": 0.0}
    said: list[str] = []
    for q in scan.quantities():
        if q.clock or q.seconds <= 0:
            continue  # "0:05" is a point of the source, not an amount
        found = _off_an_end(scan, q) or _placed(scan, q)
        if found is None:
            continue
        a, b, side = found
        if not scan.is_free(a, b) or scan.negated(a):
            continue
        for end in ("start", "end") if side == "both" else (side,):
            if cut[end]:
                break  # a second length for one end stays free text
            cut[end] = q.seconds
        else:
            scan.take(a, b)
            said.append(scan.raw[a:b])
            continue
        scan.extra_free.append(scan.raw[a:b])
        scan.take(a, b)
    if said:
        scan.set("use", {"kind": "trim", "trim": (cut["start"], cut["end"])}, " and ".join(said))
