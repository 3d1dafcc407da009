"""Second thoughts: an ask taken back by a later ask of the same field, said as a correction.

"Make it 8 s... actually 6 s" asks 6 s; "Sepia please -- hmm, no, scratch that, keep the
original colours" asks the original colours. A correction word ("actually", "scratch that",
"I mean", "make that", "on second thought", "or rather", "no,") stands between the two asks:
the earlier one is said in its sentence before the word (or in the sentence before, when the
word opens one), the later one after it, up to its sentence's end. The earlier ask is then
taken back, whichever single-valued field it is (length, colour, sound, order, a pick...),
and the request is read again without it.

Nothing else changes: two asks of a field with no correction between them stay as the rules
read them (the first holds, the other is free text); a correction word after which the same
field is asked the same way ("backwards, I mean the time must go back") or not at all ("it's
actually fine to keep the sound") takes nothing back; nor does one whose later ask the
request, read again, would not hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ._scan import Scan

__all__ = ["Reader", "take_back"]

# Reads a request with the given spans (of its typo-corrected text) taken back.
Reader = Callable[[str, Sequence[tuple[int, int]]], Scan]

_SAID = (
    r"actually|scratch\s+that|strike\s+that|forget\s+that|i\s+mean[t]?|make\s+that|"
    r"on\s+(?:second|further)\s+thoughts?|or\s+rather|rather(?=\s*,)"
)
# Words said while changing one's mind, with the comma that makes them one: "hmm,", "no,".
_INTERJECTION = r"(?:hmm+|hm|um+|uh+|erm?|oh|ah|well|wait|no)(?=\s*,)"
_CORRECTION = re.compile(
    rf"\b(?:{_SAID})\b|"
    # "no," and "wait," after a break: "8 s, no, 6 s", "hmm, no, ..." (not "Sound: no, ...")
    r"(?:(?<=[,;.!?-])|^)\s*(?:no|wait)\s*,"
)
# What may stand between the earlier ask and the correction: "8 s... actually", "sepia
# please -- hmm, no, scratch that".
_LEAD_IN = re.compile(rf"(?:[\s,;:.!?-]|\b(?:{_INTERJECTION}|or|please)\b)*$")
# The correction's words run on to the later ask: "no, scratch that, keep ...".
_RUN_ON = re.compile(rf"(?:[\s,;:.!?-]|\b(?:{_INTERJECTION}|{_SAID})\b)*")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# Fields that hold several asks: a second one adds to the first, it does not replace it.
_SEVERAL = frozenset({"captions", "speeds", "sound"})


def _field(key: str) -> str:
    """The ``Brief`` field a recorded key is part of ("duration_target" of "duration")."""
    return "duration" if key.startswith("duration_") else key


def _asks(scan: Scan) -> dict[str, dict[str, object]]:
    """The single-valued asks a reading recorded, by field, each with all its parts."""
    out: dict[str, dict[str, object]] = {}
    for key, value in scan.fields.items():
        if _field(key) not in _SEVERAL:
            out.setdefault(_field(key), {})[key] = value
    return out


def _sentence_start(text: str, pos: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
    return ends[-1] if ends else 0


def _correction(
    scan: Scan, m: re.Match[str], spans: list[tuple[int, int]], read: Reader
) -> tuple[list[tuple[int, int]], dict[str, dict[str, object]]]:
    """What the correction ``m`` takes back, and what its later ask asks instead.

    The spans are the earlier ask's and the correction's own words; the asks are by field.
    Both are empty when the correction takes nothing back.
    """
    text = scan.text
    said = _LEAD_IN.search(text, 0, m.start())
    b = said.start() if said else m.start()
    a = _sentence_start(text, b)
    end = _SENTENCE_END.search(text, m.end())
    later = _asks(read(scan.raw[m.end() : end.start() if end else len(text)], ()))
    # The earlier ask read alone, as the request reads it now (less what was taken back).
    earlier = _asks(read(scan.raw[a:b], [(x - a, y - a) for x, y in spans if a <= x < y <= b]))
    inside = [
        (span, owners)
        for span, owners in zip(scan.taken, scan.owners, strict=True)
        if a <= span[0] and span[1] <= b
    ]
    fields = {
        field
        for _, owners in inside
        for field in owners
        if field in later and earlier.get(field) != later[field]
    }
    found = [span for span, owners in inside if owners & fields]
    if not found:
        return [], {}
    run_on = _RUN_ON.match(text, m.end())
    words = (b, run_on.end() if run_on else m.end())  # they ask nothing: read, for no ask
    return [*found, words], {field: later[field] for field in fields}


def take_back(text: str, read: Reader) -> Scan:
    """``text`` read with the asks its corrections take back left out.

    Args:
        text: The request, whitespace collapsed.
        read: Reads a request with spans taken back (they count as read, for no ask).

    Returns:
        The reading; the first one when no correction takes anything back.
    """
    scan = read(text, ())
    spans: list[tuple[int, int]] = []
    refused: set[int] = set()
    # One correction at a time, from the first: a correction of a correction ("8 s, no, 6 s...
    # actually 7 s") takes back the ask the one before it left.
    while True:
        for m in _CORRECTION.finditer(scan.text):
            if m.start() in refused:
                continue
            found, wanted = _correction(scan, m, spans, read)
            if not found:
                continue
            again = read(text, spans + found)
            asked = _asks(again)
            if all(asked.get(field) == value for field, value in wanted.items()):
                scan, spans = again, spans + found
            else:
                refused.add(m.start())  # its later ask would not hold: nothing changes
            break
        else:
            return scan
