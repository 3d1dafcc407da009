"""Both ends of the edit picked in one ask: "bookend it with the first and last shots".

To bookend is to put a shot at each end: two picks joined by "and" go first and last, in the
order said; one pick ("bookend it with a face") goes at both ends.
"""

from __future__ import annotations

import re

from ._scan import Scan
from ._shot_picks import SHOT, find_pick
from .model import ShotPick

__all__ = ["read_bookends"]

_BOOKEND = re.compile(
    r"\bbook[- ]?end(?:s|ed|ing)?\s+(?:(?:it|things|the\s+[a-z]+)\s+)?(?:with|by|on)\s+"
)
# "the first and last shots", "the opening and closing scenes": two ends named at once.
_FIRST_AND_LAST = re.compile(
    r"(?:the\s+)?(?:very\s+)?(?:first|opening)\s+and\s+(?:the\s+)?(?:very\s+)?"
    rf"(?:last|final|closing)\s+{SHOT}"
)
_JOIN = re.compile(r"\s*(?:,\s*)?(?:and|&)\s+(?:(?:the|a|an)\s+)?")
_ARTICLE = re.compile(r"(?:(?:the|a|an)\s+)?(?:very\s+)?")
_REACH = 80  # the picks follow the verb in its sentence part, up to a comma or full stop


def read_bookends(scan: Scan) -> None:
    """``start_on`` and ``end_on``: the shots an edit is bookended with."""
    for m in scan.find(_BOOKEND):
        if scan.negated(m.start()):
            continue
        stop = re.compile(r"[.;!?,]").search(scan.text, m.end())
        end = min(stop.start() if stop else len(scan.text), m.end() + _REACH)
        picks = _the_two(scan, m.end(), end)
        if picks is None or not scan.is_free(m.start(), picks[2]):
            continue
        first, last, b = picks
        said = scan.raw[m.start() : b]
        scan.set("start_on", first.model_dump(exclude_none=True), said)
        scan.set("end_on", last.model_dump(exclude_none=True), said)
        scan.take(m.start(), b, "start_on", "end_on")


def _the_two(scan: Scan, at: int, end: int) -> tuple[ShotPick, ShotPick, int] | None:
    """The opening and closing picks said from ``at``, and where they end; None if none."""
    both = _FIRST_AND_LAST.match(scan.text, at, end)
    if both is not None:
        return ShotPick(kind="first"), ShotPick(kind="last"), both.end()
    qtys = scan.quantities()
    found = find_pick(scan.text, at, end, qtys)
    if found is None or not _ARTICLE.fullmatch(scan.text, at, found[1]):
        return None
    join = _JOIN.match(scan.text, found[2], end)
    second = None if join is None else find_pick(scan.text, join.end(), end, qtys)
    if join is None or second is None or second[1] != join.end():
        return found[0], found[0], found[2]
    return found[0], second[0], second[2]
