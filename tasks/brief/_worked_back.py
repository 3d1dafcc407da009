"""Shots walked through last to first: "work backwards to scene #1".

"Start with the penultimate scene and work backwards to scene #1": working (going, moving,
stepping) backwards to a shot moves through the shots, each played as it is. The order is
reversed (``Brief.order``), time does not run backwards (``playback``), and the shot it works
back to is the edit's last (``end_on``).
"""

from __future__ import annotations

import re

from ._scan import Scan
from ._shot_picks import find_pick

__all__ = ["read_worked_back"]

_WORK_BACK = re.compile(
    r"\b(?:work|go|move|step|count|head|make\s+(?:your|its|our|their)\s+way)(?:s|ed|ing)?\s+"
    r"back(?:wards?)?\s+(?:(?:all\s+the\s+way\s+)?(?:to|until|through\s+to|down\s+to)\s+)"
)
_PICK_REACH = 12  # "to scene #1", "to the first shot": the pick follows at once


def read_worked_back(scan: Scan) -> None:
    """Reverse order, and the shot worked back to as ``end_on``."""
    for m in scan.find(_WORK_BACK):
        if scan.negated(m.start()):
            continue
        _, clause_end = scan.clause(m.end(), m.end())
        found = find_pick(scan.text, m.end(), clause_end, scan.quantities())
        if found is None or found[1] - m.end() > _PICK_REACH or found[0].kind == "time":
            continue
        if not scan.is_free(m.start(), found[2]):
            continue
        scan.set("order", "reverse", scan.raw[m.start() : m.end()])
        scan.take(m.start(), m.end(), "order")
        scan.set("end_on", found[0].model_dump(exclude_none=True), scan.raw[m.start() : found[2]])
        scan.take(found[1], found[2], "end_on")
