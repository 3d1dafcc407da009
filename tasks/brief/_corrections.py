"""Second thoughts: an ask taken back by a later ask of the same field, said as a correction.

"Make it 8 s... actually 6 s" asks 6 s; "Sepia please -- hmm, no, scratch that, keep the
original colours" asks the original colours. A correction word ("actually", "scratch that",
"I mean", "make that", "on second thought", "or rather", "no,") stands between the two asks:
the earlier one is said in its sentence before the word (or in the sentence before, when the
word opens one), the later one after it, up to its sentence's end. The earlier ask is then
taken back, whichever single-valued field it is (length, colour, sound, order, a pick...),
and the request is read again without it.

The later ask may drop its verb and say only what changes: "open on scene 2, I mean scene
3", "end on the brightest shot, sorry, the darkest", "make it 8 seconds - no wait, 6". Its
words then stand in for some of the earlier ask's (see :func:`_elided`).

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
    r"on\s+(?:second|further)\s+thoughts?|or\s+rather|rather(?=\s*,)|sorry(?=\s*,)"
)
# Words said while changing one's mind, with the comma that makes them one: "hmm,", "no,".
_INTERJECTION = r"(?:hmm+|hm|um+|uh+|erm?|oh|ah|well|wait|no)(?=\s*,)"
_CORRECTION = re.compile(
    rf"\b(?:{_SAID})\b|"
    # "no," and "wait," after a break: "8 s, no, 6 s", "hmm, no, ..." (not "Sound: no, ...")
    r"(?:(?<=[,;.!?-])|^)\s*(?:no\s+wait|no|wait)\s*,"
)
# What may stand between the earlier ask and the correction: "8 s... actually", "sepia
# please -- hmm, no, scratch that".
_LEAD_IN = re.compile(rf"(?:[\s,;:.!?-]|\b(?:{_INTERJECTION}|or|please)\b)*$")
# The correction's words run on to the later ask: "no, scratch that, keep ...".
_RUN_ON = re.compile(rf"(?:[\s,;:.!?-]|\b(?:{_INTERJECTION}|{_SAID})\b)*")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:]")
# Fields that hold several asks: a second one adds to the first, it does not replace it.
_SEVERAL = frozenset({"captions", "speeds", "sound"})
# A later ask said without its verb is short: "scene 3", "the darkest", "6".
_ELIDED_WORDS = 4


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
) -> tuple[list[tuple[int, int]], dict[str, dict[str, object]], bool]:
    """What the correction ``m`` takes back, and what its later ask asks instead.

    The spans are the earlier ask's and the correction's own words; the asks are by field;
    the flag says the later ask was said without its verb, so the request read again does
    not hold it (see :func:`_elided`). All are empty when the correction takes nothing back.
    """
    text = scan.text
    said = _LEAD_IN.search(text, 0, m.start())
    b = said.start() if said else m.start()
    a = _sentence_start(text, b)
    end = _SENTENCE_END.search(text, m.end())
    stop = end.start() if end else len(text)
    later = _asks(read(scan.raw[m.end() : stop], ()))
    # The earlier ask read alone, as the request reads it now (less what was taken back).
    back = [(x - a, y - a) for x, y in spans if a <= x < y <= b]
    earlier = _asks(read(scan.raw[a:b], back))
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
    run_on = _RUN_ON.match(text, m.end())
    words = (b, run_on.end() if run_on else m.end())  # they ask nothing: read, for no ask
    found = [span for span, owners in inside if owners & fields]
    if found:
        return [*found, words], {field: later[field] for field in fields}, False
    # the later ask, up to its clause's end: "8 s - no wait, 6, in sepia"
    close = _CLAUSE_END.search(text, words[1], stop)
    stop = close.start() if close else stop
    rest = scan.raw[words[1] : stop].strip()
    if not rest or len(rest.split()) > _ELIDED_WORDS or _asks(read(rest, ())):
        return [], {}, False
    for (x, y), owners in inside:
        meant = _elided(scan.raw[a:b], (x - a, y - a), rest, back, owners, earlier, read)
        if meant:
            return [(x, y), (words[0], stop)], meant, True
    return [], {}, False


def _elided(
    earlier: str,
    span: tuple[int, int],
    rest: str,
    back: list[tuple[int, int]],
    owners: frozenset[str],
    asked: dict[str, dict[str, object]],
    read: Reader,
) -> dict[str, dict[str, object]]:
    """The earlier ask ``span`` with the later words ``rest`` said in place of some of its own.

    "Open on scene 2, I mean scene 3" means "open on scene 3"; "8 seconds - no wait, 6" means
    "6 seconds"; "the brightest shot, sorry, the darkest" means "the darkest shot". Each run of
    the ask's words is replaced in turn; the correction holds when every replacement that
    reads the ask's field differently reads it the same way (nothing when none does).
    """
    x, y = span
    tokens = list(re.finditer(r"\S+", earlier[x:y]))
    meant: list[dict[str, dict[str, object]]] = []
    for i, first in enumerate(tokens):
        for last in tokens[i:]:
            said = f"{earlier[: x + first.start()]}{rest}{earlier[x + last.end() :]}"
            asks = _asks(read(said, [r for r in back if r[1] <= x + first.start()]))
            got = {f: asks[f] for f in owners if f in asks and asks[f] != asked.get(f)}
            if got:
                meant.append(got)
    return meant[0] if meant and all(got == meant[0] for got in meant) else {}


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
    # The later asks said without their verbs: no reading of the request holds them.
    supplied: dict[str, object] = {}
    refused: set[int] = set()
    # One correction at a time, from the first: a correction of a correction ("8 s, no, 6 s...
    # actually 7 s") takes back the ask the one before it left.
    while True:
        for m in _CORRECTION.finditer(scan.text):
            if m.start() in refused:
                continue
            found, wanted, elided = _correction(scan, m, spans, read)
            if not found:
                continue
            again = read(text, spans + found)
            if elided:
                supplied.update((k, v) for keys in wanted.values() for k, v in keys.items())
            again.fields.update(supplied)
            asked = _asks(again)
            if all(asked.get(field) == value for field, value in wanted.items()):
                scan, spans = again, spans + found
            else:
                refused.add(m.start())  # its later ask would not hold: nothing changes
            break
        else:
            return scan
