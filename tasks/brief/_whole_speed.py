"""The whole footage put in slow (or fast) motion: "put in slow the whole trailer, 0.8x".

The whole named footage put in slow motion ("put in slow the whole trailer", a learner's
phrasing; "put the whole trailer in slow motion") uses all of it, when the request asks no
length: a length, or a bound on it, makes "the whole trailer" the scope of the speed only.
"The whole thing" is the edit, not the footage. A plain speed verb is left as it was decided
before ("slow the whole clip to half speed" is the edit's speed, see test_use_whole.py).
"""

from __future__ import annotations

import re

from ._scan import Scan
from ._words import FOOTAGE

__all__ = ["read_whole_sped"]

_WHOLE = rf"(?:the\s+)?(?:whole|entire|full|complete)\s+(?:[\w-]+\s+)?{FOOTAGE}\b"
_MOTION = r"(?:[- ]?(?:motion|mo)\b)?"
_SPED = re.compile(
    # "put in slow the whole trailer", "put in slow motion the entire clip"
    rf"\bput(?:s|ting)?\s+in\s+(?:slow|fast){_MOTION}\s+(?P<whole>{_WHOLE})|"
    # "put the whole trailer in slow motion", "play the entire clip in slow-mo"
    rf"\b(?:put|play|show|have)(?:s|ing|ting)?\s+(?P<whole2>{_WHOLE})\s+(?:in\s+)?(?:slow|fast)"
    rf"{_MOTION}"
)


def read_whole_sped(scan: Scan) -> None:
    """Use all of the source where the whole of it is put in slow motion (after ``read_use``)."""
    if "use" in scan.fields or any(not q.clock for q in scan.quantities()):
        return
    for m in scan.find(_SPED):
        if scan.negated(m.start()):
            continue
        part = "whole" if m.group("whole") is not None else "whole2"
        scan.fields["use"] = {"kind": "all"}
        scan.take(m.start(part), m.end(part))  # the speed's words stay for the speed rule
        return
