"""Where the edit starts and stops in the source, said as points: "nothing before 0:30".

"Start 4 seconds in and play through to the end", "from 0:05 onward only", "nothing before
0:30" keep the source from that point to its end; "up to the 6-second mark", "stop at 0:07,
nothing after that" keep it up to that point; both together keep the stretch between them.
A point said alone ("start at 0:04", "from 0:15 onwards") only places the opening shot and is
left to the picks (:mod:`tasks.brief._onwards`): here the words must say the rest of the
source goes too ("through to the end", "only", "nothing before").

From the start onward, the source's length is needed to name what is left: the brief keeps
it as a trim of the start (:mod:`tasks.on_footage` resolves it).
"""

from __future__ import annotations

import re

from ._patterns import Quantity
from ._scan import Scan

__all__ = ["read_stops"]

_MARK = r"(?:\s*-?\s*mark\b)?"
_TO_THE_END = (
    r"(?:all\s+the\s+way\s+)?(?:through\s+)?(?:to|till|until|til)\s+the\s+(?:very\s+)?end\b"
)
# (before the point, after it) for a start: "start 4 s in and play through to the end",
# "from 0:05 onward only", "from 0:05 to the end", "nothing before 0:30".
_STARTS = [
    (
        re.compile(r"\b(?:start|begin)\w*\s+(?:(?:at|from)\s+)?(?:the\s+)?$"),
        re.compile(
            rf"{_MARK}(?:\s+in(?:to\s+(?:it|the\s+\w+))?)?\s*,?\s*(?:and\s+)?(?:then\s+)?"
            rf"(?:play|run|go|keep\s+going|continue)\w*\s+(?:it\s+)?{_TO_THE_END}"
        ),
    ),
    (
        re.compile(r"\bfrom\s+(?:the\s+)?$"),
        re.compile(
            rf"{_MARK}\s+(?:(?:on(?:wards?)?|onwards?)\s+only\b|(?:on(?:wards?)?\s+)?{_TO_THE_END})"
        ),
    ),
    (re.compile(r"\bonly\s+from\s+(?:the\s+)?$"), re.compile(rf"{_MARK}\s+on(?:wards?)?\b")),
    (
        re.compile(
            r"\b(?:nothing|none\s+of\s+it|(?:cut|drop|lose)\s+everything)\s+before\s+"
            r"(?:the\s+)?$"
        ),
        re.compile(_MARK),
    ),
]
_NOTHING_AFTER = r"\s*,?\s*(?:and\s+)?nothing\s+(?:after|past|beyond)\s+(?:that|it|this|there)\b"
# ... and for a stop: "stop at 0:07", "up to the 6-second mark", "nothing after 0:40".
_STOPS = [
    (
        re.compile(
            r"\b(?:stop|stops|stopping|cut\s+(?:it\s+)?off|wrap\s+(?:it\s+)?up)\s+at\s+"
            r"(?:the\s+)?$"
        ),
        re.compile(rf"{_MARK}(?:{_NOTHING_AFTER})?"),
    ),
    (
        re.compile(
            r"\b(?:nothing|none\s+of\s+it|(?:cut|drop|lose)\s+everything)\s+"
            r"(?:after|past|beyond)\s+(?:the\s+)?$"
        ),
        re.compile(_MARK),
    ),
    # "up to the 6-second mark": a mark says it is a point ("up to 10 s" is a bound)
    (
        re.compile(
            r"(?:\bfrom\s+the\s+(?:very\s+)?(?:top|start|beginning)\s+)?"
            r"\b(?:up\s+(?:to|until|till)|until|till)\s+(?:the\s+)?$"
        ),
        re.compile(r"\s*-?\s*mark\b"),
    ),
]


def _point(
    scan: Scan, q: Quantity, forms: list[tuple[re.Pattern[str], re.Pattern[str]]]
) -> tuple[int, int] | None:
    """The span of the words that make ``q`` a start (or stop) of the source kept."""
    for before, after in forms:
        lead = before.search(scan.text, max(0, q.start - 60), q.start)
        tail = after.match(scan.text, q.end)
        if lead is None or tail is None:
            continue
        if scan.is_free(lead.start(), tail.end()):
            return lead.start(), tail.end()
    return None


def read_stops(scan: Scan) -> None:
    """``use``: the source from a point said to start it, up to a point said to stop it."""
    start = stop = None
    spans: list[tuple[int, int]] = []
    for q in scan.quantities():
        if q.seconds < 0:
            continue
        for forms, is_start in ((_STARTS, True), (_STOPS, False)):
            found = _point(scan, q, forms)
            if found is None or (start if is_start else stop) is not None:
                continue
            if is_start:
                start = q.seconds
            else:
                stop = q.seconds
            spans.append(found)
            break
    if start is not None and stop is not None and start >= stop:
        return  # "nothing before 0:50, stop at 0:30" keeps nothing: left to the free text
    if start is None and stop is None:
        return
    for a, b in spans:
        scan.take(a, b)
    said = " ... ".join(scan.raw[a:b] for a, b in spans)
    if start is not None and stop is not None:
        scan.set("use", {"kind": "ranges", "ranges": [(start, stop)]}, said)
    elif stop is not None:
        scan.set("use", {"kind": "head", "seconds": stop}, said)
    elif start:
        scan.set("use", {"kind": "trim", "trim": (start, 0.0)}, said)
