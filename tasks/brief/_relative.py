"""A length asked against the source's by what is taken off it: "cut it down by 4 seconds".

"Cut it down by 4 seconds", "4 seconds shorter", "take 4 s off the running time" ask the
source's length less 4 s (``DurationAsk.shorter_by_s``); "take a third off the running time"
and "shorten it by a quarter" ask a share of it (two thirds, three quarters). Only the footage
knows the length: the brief keeps the ask as said (``Brief.with_source_length``). Read before
the target, which would take the 4 s for the edit's own length.
"""

from __future__ import annotations

import re

from ._length import LENGTH_OF_SOURCE
from ._scan import Scan

__all__ = ["read_relative"]

_SHORTEN = (
    r"(?:cut|trim|shorten|bring|take|get|chop|edit|reduce|shave|knock)\w*\s+"
    r"(?:(?:it|this|that|them|the\s+(?:[\w'-]+\s+){0,2}?[\w'-]+)\s+)?(?:down\s+)?by\s+$"
)
_OFF = r"(?:take|knock|shave|cut|trim|chop|lop)\w*\s+$"
_OTHERS = r"(?:each|every|per|shots?|scenes?|fades?|captions?|titles?)"
# (before the length, after it) for a length less than the source's.
_LESS = [
    (re.compile(rf".*?(?P<lead>\b{_SHORTEN})", re.S), re.compile(r"")),
    # "make it 4 s shorter" (not "each shot 1 s shorter": a shot's length)
    (
        re.compile(rf"(?!.*\b{_OTHERS}\b).*(?P<lead>)"),
        re.compile(r"\s+shorter\b(?!\s+(?:than|then)\s+(?:\d|a\b|an\b))"),
    ),
    (
        re.compile(rf".*?(?P<lead>\b{_OFF})", re.S),
        re.compile(rf"\s+off\s+(?:of\s+)?{LENGTH_OF_SOURCE}"),
    ),
]
_SHARE_WORDS = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25,
                "one quarter": 0.25, "two thirds": 2 / 3}  # fmt: skip
_SHARE = r"(?P<word>half|(?:a|one)\s+(?:third|quarter)|two[- ]thirds)|(?P<pct>\d+(?:\.\d+)?)\s*%"
# "take a third off the running time", "cut it down by a quarter", "shorten it by 25%"
_SHARE_OFF = [
    re.compile(
        rf"\b(?:take|knock|shave|cut|trim|chop|lop)\w*\s+(?:{_SHARE})\s+off\s+(?:of\s+)?"
        rf"{LENGTH_OF_SOURCE}"
    ),
    re.compile(rf"\b{_SHORTEN.removesuffix('$')}(?:{_SHARE})(?!\w)"),
]


def read_relative(scan: Scan) -> None:
    """``duration_shorter_by`` or ``duration_share``: the source's length less what is cut."""
    for m in (m for rx in _SHARE_OFF for m in scan.find(rx)):
        if scan.negated(m.start()) or not scan.is_free(m.start(), m.end()):
            continue
        word = m.group("word")
        off = _SHARE_WORDS[re.sub(r"[\s-]+", " ", word)] if word else float(m.group("pct")) / 100
        if 0 < off < 1:
            scan.set("duration_share", 1 - off, m.group(0))
            scan.take(m.start(), m.end())
    for q in scan.quantities():
        if q.clock or q.seconds <= 0:
            continue
        for before, after in _LESS:
            said = before.fullmatch(scan.text, scan.clause(q.start, q.end)[0], q.start)
            tail = after.match(scan.text, q.end)
            if said is None or tail is None:
                continue
            a, b = said.start("lead"), tail.end()
            if (a, b) == (q.start, q.end) or not scan.is_free(a, b) or scan.negated(a):
                continue
            scan.set("duration_shorter_by", q.seconds, scan.raw[a:b])
            scan.take(a, b)
            break
