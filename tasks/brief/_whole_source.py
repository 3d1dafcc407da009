"""All of the source, named by its length or by its two ends: "all ten seconds of the clip".

"All ten seconds of the clip" and "the full 80 seconds of the trailer" name the footage by
how long it is: they use all of it and ask no length of the edit (at double speed the edit
is half as long). "Run the trailer end to end", "the clip from start to finish", "the footage
in full", "the trailer uncut" use all of it too; the source must be named right before its
ends ("sepia from start to finish" is the colour's scope, and "make the video from start to
finish in sepia" the edit's).
"""

from __future__ import annotations

import re

from ._scan import Scan
from ._words import FOOTAGE

__all__ = ["read_whole_source"]

_NAMED = rf"(?:the|this|my|our|its)\s+(?:[\w'-]+\s+){{0,2}}?{FOOTAGE}\b"
_ALL_OF = re.compile(
    r"\b(?:all(?:\s+of)?(?:\s+(?:the|its))?|(?:the|its)\s+(?:whole|full|entire|complete))\s+$"
)
_OF_SOURCE = re.compile(rf"\s*(?:of|from|in)\s+{_NAMED}")
_END_TO_END = re.compile(
    rf"\b{_NAMED}(?:\s+(?:played|run|shown))?\s*,?\s+"
    r"(?:(?:from\s+)?(?:the\s+)?(?:start|beginning)\s+to\s+(?:the\s+)?(?:finish|end)|"
    r"end\s+to\s+end|in\s+(?:full|its\s+entirety)|uncut|unabridged|all\s+the\s+way\s+through)\b"
)
# The video being made, not the footage: "make the video from start to finish in sepia".
_MADE = re.compile(r"\b(?:make|makes|making|made|create|produce|render|export|want)\s+$")


def read_whole_source(scan: Scan) -> None:
    """Use all of the source where it is named whole (after ``read_use``, before lengths)."""
    spans: list[tuple[int, int]] = []
    for q in scan.quantities():
        all_of = _ALL_OF.search(scan.text, max(0, q.start - 20), q.start)
        of = _OF_SOURCE.match(scan.text, q.end)
        if not q.clock and all_of and of and not scan.negated(all_of.start()):
            # "of the clip" may be read already: "the clip in rewind" is the playback's
            spans.append((all_of.start(), of.end() if scan.is_free(q.end, of.end()) else q.end))
    for m in scan.find(_END_TO_END):
        if not scan.negated(m.start()) and not _MADE.search(scan.text, 0, m.start()):
            spans.append((m.start(), m.end()))
    for a, b in spans:
        if not scan.is_free(a, b):
            continue
        scan.take(a, b)
        if "use" in scan.fields and scan.fields["use"] != {"kind": "all"}:
            scan.extra_free.append(scan.raw[a:b])  # a stronger use was read first
        else:
            scan.fields["use"] = {"kind": "all"}
