"""Fades at the ends of the edit: "fade in and out", "fade it to black at the end", "no fades".

A fade at one end is that end's ask (``fade_in`` or ``fade_out``); a fade between shots is a
transition, read by :func:`tasks.brief._rules.read_looks` before this runs.
"""

from __future__ import annotations

import re

from ._rules import PHRASE_END
from ._scan import Scan

__all__ = ["COME_UP", "GO_DOWN", "IN_PLACE", "OUT_PLACE", "read_fades"]

# Both ends in one phrase: "fade in and out", "no fade in or out", "neither fade in nor out".
# What is faded, said between the verb and its "in" or "out": "fade it out", "fade the video
# in", "fade everything out", "fade the last shot to black". The picture only: "fade the
# music out" is the sound's own fade, no fade of the edit.
_FADED = (
    r"(?:it|this|that|everything|things|(?:the|this|my|our)\s+"
    r"(?:(?:whole|entire|full|final|last|first|opening|closing)\s+)?"
    r"(?:video|clip|edit|footage|film|pictures?|images?|movie|reel|cut|shot|scene|sequence|"
    r"thing|ending|end|whole\s+thing))"
)
_FADE_VERB = r"fad(?:e[sd]?|ing)"
# Each end's own place said with it: "fade in at the start and out at the end", "fades in at
# the top and out at the bottom" (the "out" then ends its phrase: not "... and out of focus").
# An editor's "head" and "tail" are the edit's ends too.
IN_PLACE = r"(?:\s+at\s+the\s+(?:very\s+)?(?:start|beginning|top|opening|open|head))"
OUT_PLACE = r"(?:\s+at\s+the\s+(?:very\s+)?(?:end|ending|close|finish|bottom|tail))"
_FADE_BOTH = (
    rf"{_FADE_VERB}s?\s*(?:{_FADED}\s+)?-?\s*in\s*(?:and|or|nor|/|&)\s*"
    r"(?:fad(?:e[sd]?|ing)s?\s*-?\s*)?out\b|"
    rf"{_FADE_VERB}s?\s*(?:{_FADED}\s+)?-?\s*in{IN_PLACE}\s*,?\s*(?:and|&)\s*(?:then\s+)?"
    rf"(?:{_FADE_VERB}s?\s*-?\s*)?out\b(?:{OUT_PLACE}|{PHRASE_END})|"
    # one fade said of both: "a half-second fade at each end", "fades at both ends"
    rf"{_FADE_VERB}s?\s+(?:at|on)\s+(?:each|both|either)\s+ends?\b|"
    # both ends named: "no fade in the start and in the end", "fades at the beginning or end"
    rf"{_FADE_VERB}s?\s+(?:at|in)\s+the\s+(?:start|beginning)\s*(?:and|or|nor|&)\s*"
    r"(?:(?:at|in)\s+)?(?:the\s+)?end(?:ing)?\b"
)
_AT_START = (
    r"(?:\s+(?:at\s+the\s+(?:very\s+)?(?:start|beginning|top|opening|open|head)|"
    rf"to\s+(?:start|open|begin)(?:\s+(?:it|things))?){PHRASE_END})"
)
_AT_END = (
    r"(?:\s+(?:at\s+the\s+(?:very\s+)?(?:end|ending|close|finish|tail)|"
    rf"to\s+(?:end|close|finish)(?:\s+(?:it|things))?){PHRASE_END})"
)
# A fade placed at one end is that end's fade: "no fade at the very start" is no fade-in.
# "in", "out", "up" whole ("fade into black" is a fade to black, "fade into the next shot" a
# join): a fade in needs its own "in".
# Editors' idioms of the same fades: "come up from black" at the top, "go to black" at the end
# (a "go to black between shots" is a dip, read by ``read_looks`` before these).
COME_UP = r"(?:come|comes|coming|came)\s+up\s+(?:from|out\s+of)\s+black"
GO_DOWN = r"(?:go|goes|going|went)\s+(?:out\s+)?(?:to|into)\s+black"
_FADE_IN = (
    rf"(?:{_FADE_VERB}(?:\s+{_FADED}\s+|[- ]?)(?:in|up)\b(?:\s+(?:from|out\s+of)\s+black)?|"
    rf"{_FADE_VERB}(?:\s+{_FADED})?\s+(?:up\s+)?(?:from|out\s+of)\s+black|{COME_UP})"
    rf"{_AT_START}?|fad(?:es?|ing){_AT_START}|"
    r"(?:open|start|begin)(?:s|ing)?\s+(?:with|on)\s+a\s+fade(?:[- ]in|\s+up|\s+from\s+black)?"
)
_FADE_OUT = (
    rf"(?:{_FADE_VERB}(?:\s+{_FADED}\s+|[- ]?)(?:out|down)\b(?:\s+(?:in)?to\s+black)?|"
    rf"{_FADE_VERB}(?:\s+{_FADED})?\s+(?:out\s+)?(?:in)?to\s+black|{GO_DOWN})"
    rf"{_AT_END}?|fad(?:es?|ing){_AT_END}|"
    r"(?:end|finish|close)(?:s|ing)?\s+(?:with|on)\s+a\s+fade(?:[- ]out|\s+to\s+black)?"
)
_FADE_ANY = r"fad(?:e[sd]?|ing)s?"
# A refused fade placed at one end, whatever follows: "no fade at the head of the edit"; or
# at both: "no fade at the very start or the very end".
_START = r"(?:start|beginning|top|opening|open|head)"
_END = r"(?:end|ending|close|finish|tail)"
_PLACED = re.compile(
    rf"\s+(?:at|on|in)\s+the\s+(?:very\s+)?(?:(?P<start>{_START})|{_END})\b"
    rf"(?P<both>\s*,?\s*(?:and|or|nor|&)\s+(?:(?:at|on|in)\s+)?(?:the\s+)?(?:very\s+)?"
    rf"(?:{_START}|{_END})\b)?"
)


def read_fades(scan: Scan) -> None:
    """Fades at either end, asked or refused (after :func:`tasks.brief._rules.read_looks`)."""
    for m in scan.find(re.compile(rf"\b(?:{_FADE_BOTH})")):
        on = not scan.negated(m.start())
        scan.set("fade_in", on, m.group(0))
        scan.set("fade_out", on, m.group(0))
        scan.take(m.start(), m.end(), "fade_in", "fade_out")
    scan.rule("fade_in", True, False, _FADE_IN)
    scan.rule("fade_out", True, False, _FADE_OUT)
    for m in scan.find(re.compile(rf"\b(?:{_FADE_ANY})\b")):
        placed = _PLACED.match(scan.text, m.end())
        if placed and scan.negated(m.start()):  # "no fade at the head of the cut": that end
            ends: tuple[str, ...] = ("fade_in",) if placed.group("start") else ("fade_out",)
            ends = ("fade_in", "fade_out") if placed.group("both") else ends
            for end in ends:
                scan.set(end, False, m.group(0) + placed.group(0))
            scan.take(m.start(), placed.end(), *ends)
        elif scan.negated(m.start()):  # "no fades", "don't fade": neither end, nor between
            scan.set("fade_in", False, m.group(0))
            scan.set("fade_out", False, m.group(0))
            scan.fields.setdefault("transitions", "cut")
            scan.take(m.start(), m.end(), "fade_in", "fade_out", "transitions")
