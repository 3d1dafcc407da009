"""Fade lengths of the request parser: "a 2-second fade in", "fade out over 3 s", "1 s crossfades".

A length written against a fade is how long that fade lasts, never the edit's length: read
before the rules that look for the edit's length, it takes the length's words only (the
fade words stay for the rules of fades and transitions, which say whether there is one).
"""

from __future__ import annotations

import re

from ._fades import COME_UP, GO_DOWN, IN_PLACE, OUT_PLACE
from ._rules import PHRASE_END
from ._scan import Scan

__all__ = ["read_fade_lengths"]

_FADE = r"fad(?:e[sd]?|ing)"
_FROM_BLACK = r"\s+(?:from|out\s+of)\s+black"
_TO_BLACK = r"\s+(?:to|into)\s+black"
# What is faded, said between the verb and its end: "fade it out over the last second".
_IT = r"(?:\s+(?:it|this|that|everything|things))?"
# Where a fade is said to be may come between it and its length: "a fade up from black at
# the opening, lasting 1.5 s", "fade in at the start and out at the end, 1 s each".
_BOTH = (
    rf"{_FADE}\s*-?\s*in{IN_PLACE}?\s*(?:and|&|/)\s*(?:then\s+)?(?:{_FADE}\s*-?\s*)?out"
    rf"{OUT_PLACE}?|{_FADE}s?\s+(?:at|on)\s+(?:each|both|either)\s+ends?"
)
# (field, words of that fade), most specific first.
_KINDS: list[tuple[tuple[str, ...], str]] = [
    (("fade_in_s", "fade_out_s"), _BOTH),
    (
        ("fade_in_s",),
        rf"(?:{_FADE}(?:[- ]?(?:in|up)\b(?:{_FROM_BLACK})?|{_FROM_BLACK})|{COME_UP}){IN_PLACE}?",
    ),
    (
        ("fade_out_s",),
        rf"(?:{_FADE}(?:{_IT}[- ]?(?:out|down)\b(?:{_TO_BLACK})?|{_TO_BLACK})|{GO_DOWN})"
        rf"{OUT_PLACE}?",
    ),
    (("fade_in_s",), rf"{_FADE}s?\s+at\s+the\s+(?:start|beginning|opening)"),
    (("fade_out_s",), rf"{_FADE}s?\s+(?:at\s+the\s+end|to\s+(?:finish|close|end))"),
    (
        ("transition_s",),
        # a "mix" and a "lap dissolve" are editors' words for a crossfade
        r"cross[- ]?fad(?:e[sd]?|ing)s?|(?:(?:cross|lap)[- ]?)?dissolves?|mix(?:es)?|"
        r"dips?(?:\s+to\s+black)?|"
        r"through\s+black|"
        rf"{_FADE}s?\b|transitions?",
    ),
]
_MANNER = r"(?:(?:slow|gentle|soft|quick|short|smooth|long|brief|subtle|nice)\s+)?"
# "2-second fade in", "a 1 s long crossfade", "two seconds of fade out"
# "half a second per mix", "a second each dissolve": the length of one join
_AFTER = re.compile(
    rf"^\s*-?\s*(?:long\s+|of\s+|per\s+|each\s+|for\s+each\s+)?{_MANNER}(?P<fade>[a-z][a-z -]*)"
)
# "fade in over 2 s", "crossfades of about 1 second", "fade out for the last 3 seconds", "(1.5s)"
_BEFORE = re.compile(
    # where the joins go may come between: "dissolve from shot to shot (half a second each)"
    r"(?P<fade>[a-z][a-z -]*?)\s*"
    # a length said after a comma of the fade: "a fade up from black, lasting 1.5 s"
    # (a fade at one end: "crossfades, lasting 10 s" may be the edit's length)
    r"(?P<aside>,\s*(?=lasting|taking|that\s+lasts?|which\s+lasts?))?"
    r"(?:(?:between\s+[a-z ]{0,25}?|from\s+(?:shot|scene|clip)\s+to\s+(?:shot|scene|clip))\s*)?"
    r"(?P<link>(?:of|over|for|lasting|taking|that\s+lasts?|which\s+lasts?)"
    r"\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|perhaps\s+|maybe\s+|~\s*)?"
    r"(?:the\s+(?:last|final|first|opening)\s+)?|\(\s*|(?P<list>,\s*)|"
    # no word between: "dips to black between them half a second each" (see _EACH)
    r"(?P<bare>(?<=\s)))$"
)
# A length listed after the fades it is each one's: "dips to black between scenes, 0.4 s
# each", "crossfades between them 1 s each", "Crossfade 0.5 s at each join", "Dissolve 1 s
# between shots" (a length after a comma or after the fades alone
# may be the edit's: "crossfades, 10 s", "hard cuts 10 s").
_EACH = re.compile(
    r"\s*(?:each|apiece|a\s+piece|per\s+(?:transition|cut|join|fade|mix|dissolve|dip)|"
    r"(?:at|on|for)\s+(?:each|every)\s+(?:transition|cut|join|fade|change)|"
    r"between\s+(?:the\s+|its\s+)?(?:shots|scenes|clips|cuts|them))\b"
)

_IN_AFTER = re.compile(rf"{IN_PLACE}{PHRASE_END}")
_OUT_AFTER = re.compile(rf"{OUT_PLACE}{PHRASE_END}")
_PLACE_AFTER: dict[tuple[str, ...], re.Pattern[str]] = {
    ("fade_in_s",): _IN_AFTER,
    ("fade_out_s",): _OUT_AFTER,
}
_OUT_TOO = re.compile(r"\b(?:and|&|then)\s+out\s*$")
_FADE_IN = re.compile(rf"\b{_FADE}\s*-?\s*in\b")
_SENTENCE_END = re.compile(r"[.;!?](?!\d)")
_ENDING = re.compile(r"\b(?:end|finish|close)(?:s|ing)?\s+(?:with|on)\s+(?:an?\s+)?$")
_OPENING = re.compile(r"\b(?:open|start|begin)(?:s|ning|ing)?\s+(?:with|on)\s+(?:an?\s+)?$")


def _fade_kind(words: str, at_start: bool) -> tuple[str, ...] | None:
    """The fields a fade phrase names, reading ``words`` from its start (or up to its end)."""
    for fields, rx in _KINDS:
        found = re.match(rf"(?:{rx})", words) if at_start else re.search(rf"(?:{rx})$", words)
        if found is not None:
            return fields
    return None


def read_fade_lengths(scan: Scan) -> None:
    """Record the length of each fade a length is written against."""
    for q in scan.quantities():
        if q.clock or q.seconds <= 0:
            continue  # 0:02 is a point of the source; a fade of 0 s is no fade length
        # Within the sentence, not the clause: "fade in and out (1 s)" names both.
        ends = [m.end() for m in _SENTENCE_END.finditer(scan.text, 0, q.start)]
        start = max(ends[-1] if ends else 0, q.start - 70)
        after = _AFTER.match(scan.text[q.end : q.end + 40])
        before = _BEFORE.search(scan.text[start : q.start])
        fields = _fade_kind(after.group("fade"), True) if after else None
        lead = scan.text[start : q.start]
        each = _EACH.match(scan.text, q.end)
        bare = before is not None and before.group("bare") is not None
        if before is not None and (before.group("list") or bare) and each is None:
            before = None
        if fields is None and before is not None:
            fields = _fade_kind(before.group("fade").rstrip(), False)
            if before.group("aside") and fields == ("transition_s",):
                fields = None
            lead = scan.text[start : start + before.start("fade")]
            taken = (start + before.start("link"), each.end() if each else q.end)
        else:
            taken = (q.start, q.end)
        # the fade left out of the second end: "fade in over 0.5 s and out over 0.5 s"
        if (
            fields is None
            and before is not None
            and _OUT_TOO.search(before.group("fade"))
            and _FADE_IN.search(scan.text, start, start + before.start("fade"))
        ):
            fields = ("fade_out_s",)
        if fields is None or not scan.is_free(*taken):
            continue
        if fields == ("transition_s",):
            # "end with a 2 s fade", "open on a slow 1 s fade": a fade at one end
            if _ENDING.search(lead):
                fields = ("fade_out_s",)
            elif _OPENING.search(lead):
                fields = ("fade_in_s",)
        # the fade's place said after its length: "come up from black over 1.5 s at the top"
        place = _PLACE_AFTER.get(fields)
        placed = place.match(scan.text, taken[1]) if place else None
        if placed is not None and scan.is_free(taken[1], placed.end()):
            taken = (taken[0], placed.end())
        for field in fields:
            scan.set(field, q.seconds, scan.text[taken[0] : taken[1]])
        scan.take(*taken, *fields)
