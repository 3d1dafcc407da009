"""The edit's first shot said as where it runs from: "from scene #2 on", "from 0:15 onwards".

"Half-speed version of the trailer from scene #2 on" starts the edit on scene 2 and plays all
of it at half speed: the shot names where the edit begins, not the part a speed is for (see
:func:`tasks.brief._speeds._speed_scope`).
"""

from __future__ import annotations

import re

from ._scan import Scan
from ._shot_picks import find_pick

__all__ = ["read_onwards", "runs_onwards"]

_FROM = re.compile(r"\bfrom\s+(?:(?:the|a|an)\s+)?$")
_ARTICLE = re.compile(r"(?:(?:the|a|an)\s+)?")
_ON = re.compile(r"\s*(?:on(?:wards?)?|onwards?|forwards?|to\s+the\s+(?:very\s+)?end)\b")


def runs_onwards(scan: Scan, start: int, end: int) -> bool:
    """Whether the pick at ``[start, end)`` is said as the point the edit runs on from."""
    return bool(_FROM.search(scan.text, max(0, start - 12), start) and _ON.match(scan.text, end))


def read_onwards(scan: Scan) -> None:
    """``start_on``: a shot or time the edit is said to run on from."""
    for m in scan.find(re.compile(r"\bfrom\s+")):
        found = find_pick(scan.text, m.end(), scan.clause(m.end(), m.end())[1], scan.quantities())
        if (
            found is None
            or not _ARTICLE.fullmatch(scan.text, m.end(), found[1])
            or not runs_onwards(scan, found[1], found[2])
        ):
            continue
        on = _ON.match(scan.text, found[2])
        assert on is not None  # runs_onwards said so
        if scan.negated(m.start()) or not scan.is_free(m.start(), on.end()):
            continue
        scan.set("start_on", found[0].model_dump(exclude_none=True), scan.raw[m.start() : on.end()])
        scan.take(m.start(), on.end(), "start_on")
