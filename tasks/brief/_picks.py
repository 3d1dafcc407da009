"""Shot picks placed at an end of the edit: ``start_on`` and ``end_on``.

A pick is placed by a verb before it ("end on the brightest shot", "open with a face") or
by where it goes, said after it ("the most colourful shot at the end").
"""

from __future__ import annotations

import re

from ._patterns import find_pick
from ._rules import PHRASE_END
from ._scan import Scan

__all__ = ["read_picks"]

_VIDEO = r"(?:it|the\s+(?:video|edit|teaser|clip|cut|reel|trailer|film|montage|sequence)|things)"
_PREP = r"(?:on|with|at|in|from|by\s+showing|showing|using)"
_END_VERB = re.compile(
    rf"\b(?:end(?:s|ing)?|finish(?:es|ing)?|close(?:s)?(?![- ]?ups?)|closing|conclude(?:s)?|"
    rf"wrap(?:s)?\s+(?:{_VIDEO}\s+)?up|(?:final|last|closing)\s+(?:shot|frame|image|scene)\s+"
    rf"(?:should\s+be|must\s+be|is|being|=)?)\s*(?:{_VIDEO}\s+)?{_PREP}?"
)
_START_VERB = re.compile(
    rf"\b(?:start(?:s|ing)?|open(?:s|ing)?|begin(?:s|ning)?|kick(?:s)?\s+(?:{_VIDEO}\s+)?off|"
    rf"lead(?:s)?(?:\s+off|\s+in)?|(?:first|opening)\s+(?:shot|frame|image|scene)\s+"
    rf"(?:should\s+be|must\s+be|is|being|=)?)\s*(?:{_VIDEO}\s+)?{_PREP}?"
)
_PICK_REACH = 30  # chars between the verb and its pick ("end on a shot of the brightest")
# A pick placed by where it goes, after it: "the most colourful shot at the end", "the
# darkest scene to open", "with a face at the very start".
_PLACED = re.compile(
    r"\s*,?\s*(?:(?:at|for|as)\s+the\s+(?:very\s+)?(?:end|ending|close|finish|start|beginning|"
    r"opening|top)|to\s+(?:end|close|finish|open|start|begin)\b(?:\s+with)?|"
    # "the last scene first", "the brightest shot last, please"
    rf"last|first)\b{PHRASE_END}"
)
_PLACED_AT_END = re.compile(r"\b(?:end|ending|close|finish|last)\b")


def read_picks(scan: Scan) -> None:
    """``start_on`` and ``end_on``: placed by a verb before the pick, else by where it goes."""
    for key, verb in (("end_on", _END_VERB), ("start_on", _START_VERB)):
        for m in scan.find(verb):
            _, clause_end = scan.clause(m.end(), m.end())
            found = find_pick(scan.text, m.end(), clause_end, scan.quantities())
            if found is None or found[1] - m.end() > _PICK_REACH or scan.negated(m.start()):
                continue
            if not scan.is_free(found[1], found[2]):
                continue
            scan.set(key, found[0].model_dump(exclude_none=True), scan.raw[m.start() : found[2]])
            scan.take(m.start(), found[2], key)
    _read_placed_picks(scan)


def _read_placed_picks(scan: Scan) -> None:
    """Picks followed by where they go: "with the most colourful shot at the end"."""
    start = 0
    while (found := find_pick(scan.text, start, len(scan.text), scan.quantities())) is not None:
        pick, a, b = found
        start = b
        place = _PLACED.match(scan.text, b)
        if place is None or pick.kind == "time" or not scan.is_free(a, place.end()):
            continue
        key = "end_on" if _PLACED_AT_END.search(place.group(0)) else "start_on"
        if scan.negated(a) or key in scan.fields:
            continue
        scan.set(key, pick.model_dump(exclude_none=True), scan.raw[a : place.end()])
        scan.take(a, place.end(), key)
