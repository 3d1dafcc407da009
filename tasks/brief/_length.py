"""How long the edit must be: bounds ("no longer than 8 s") and the target ("a 6 s teaser").

Read after the source's spans (:mod:`tasks.brief._timing`) and bounds before shot picks
at a time, the target last: a length left over once everything else took its words.
"""

from __future__ import annotations

import re

from ._patterns import NUM, number
from ._scan import Scan

__all__ = ["MAX_POST", "MIN_POST", "read_bounds", "read_target"]

# Comparatives as people write them: "longer", "more long" (a learner's), "longer then" (a
# typo: before a length, "then" can only be "than").
_LONGER = r"(?:longer|more\s+long|lengthier)"
_SHORTER = r"(?:shorter|more\s+short|less\s+long)"
_THAN = r"th[ae]n"
_NOT = r"(?:no|not|nothing|none)"  # "nothing longer than 5 s" is "no longer than 5 s"
_MAX_PRE = re.compile(
    rf"\b(?:{_NOT}\s+(?:{_LONGER}|more)\s+{_THAN}|under|below|less\s+{_THAN}|"
    rf"{_SHORTER}\s+{_THAN}|at\s+(?:the\s+)?most|max(?:imum)?(?:\s+(?:length|duration))?(?:\s+of)?|"
    r"up\s+to|within|(?:not|nothing)\s+(?:exceed(?:ing)?|over)|(?:doesn'?t|does\s+not|"
    r"shouldn'?t|should\s+not|must\s+not|mustn'?t|can'?t|cannot)\s+(?:exceed|"
    rf"be\s+(?:{_LONGER}|more)\s+{_THAN}|go\s+over|run\s+over)|"
    r"exceed(?:ing)?|capped\s+(?:at|to)|cap\s+(?:it\s+)?at|tops)\s*(?:of\s+)?(?:about\s+)?$"
)
MAX_POST = re.compile(
    r"^\s*(?:max(?:imum)?\b|or\s+(?:less|shorter|under)\b|at\s+(?:the\s+)?most\b|tops\b|"
    r",\s*(?:tops|max(?:imum)?)\b)"  # "15 s, tops" (not ", at most two shots")
)
_MIN_PRE = re.compile(
    rf"\b(?:at\s+least|{_NOT}\s+(?:{_SHORTER}|less)\s+{_THAN}|"
    r"min(?:imum)?(?:\s+(?:length|duration))?(?:\s+of)?|"
    rf"more\s+{_THAN}|{_LONGER}\s+{_THAN}|over|upwards\s+of)\s*(?:of\s+)?$"
)
MIN_POST = re.compile(
    r"^\s*(?:min(?:imum)?\b|or\s+(?:more|longer|over)\b|at\s+(?:the\s+)?least\b|"
    r",\s*min(?:imum)?\b)"
)
# A length of another ask said just before, in the same sentence ("no fade in. 12s." asks a
# 12 s edit; a decimal point ends no sentence).
_ELSEWHERE_PRE = re.compile(
    r"\b(?:each|every|per|at|after|before|until|till|from|fade[sd]?|fading|dissolves?|"
    r"transitions?|captions?|titles?|text|hold|freeze|pause|replay)\b(?:[^,.;!?]|\.(?=\d)){0,12}$"
)
_ELSEWHERE_POST = re.compile(
    r"^\s*(?:-\s*)?(?:long\s+)?(?:fades?|cross-?fades?|dissolves?|transitions?|pauses?|holds?|"
    r"freeze|gaps?|of\s+black|mark|into\b|in(?=\s*(?:[,.;]|$))|each|per)"
)
# "the 10 s clip" describes the source, "a 10 s clip" asks for one.
_SOURCE_POST = re.compile(
    r"^\s*(?:-\s*)?(?:long\s+)?(?:clip|footage|source|original|input|recording|raw)"
)
_SOURCE_PRE = re.compile(r"\b(?:the|this|that|my|our|your|his|her|their)\s+(?:\w+\s+)?$")


# A bare number bounded before a bound said with its unit shares that unit: "at least 3 but
# under 5 seconds", "more than 4 and less than 6 s", "no less than 3, no more than 5 s".
_SHARED = re.compile(rf"\b({NUM})\s*,?\s*(?:but|and|yet)?\s*$")
_MINUTES = re.compile(r"(?:\d|\b)\s*-?\s*(?:minutes?|mins?|m)$")


def _shared_bound(scan: Scan, start: int, key: str, text: str) -> None:
    """The other bound of a pair said before ``start`` with the bound's unit left out."""
    before = scan.text[max(0, start - 50) : start]
    bare = _SHARED.search(before)
    if bare is None or bare.group(1) in ("a", "an"):
        return
    at = start - len(before) + bare.start()
    lead = scan.text[max(0, at - 50) : at]
    other, pre = ("duration_min", _MIN_PRE) if key == "duration_max" else ("duration_max", _MAX_PRE)
    said = pre.search(lead)
    if said is None or not scan.is_free(at - len(lead) + said.start(), start):
        return
    value = number(bare.group(1)) * (60.0 if _MINUTES.search(text) else 1.0)
    if value > 0:
        scan.set(other, value, scan.raw[at - len(lead) + said.start() : start])
        scan.take(at - len(lead) + said.start(), start)


def read_bounds(scan: Scan) -> None:
    """Minimum and maximum lengths ("no longer than 8 s", "at least 5 s", "8 s max")."""
    for q in scan.quantities():
        before = scan.text[max(0, q.start - 50) : q.start]
        after = scan.text[q.end : q.end + 20]
        found = []
        for key, pre, post in (
            ("duration_max", _MAX_PRE, MAX_POST),
            ("duration_min", _MIN_PRE, MIN_POST),
        ):
            m, n = pre.search(before), post.match(after)
            if m or n:
                start = q.start - len(before) + m.start() if m else q.start
                end = q.end + n.end() if n else q.end
                found.append((start, -end, key))
        if found:  # the longer phrase wins: "no shorter than" is a minimum, not "shorter than"
            start, neg_end, key = min(found)
            if key == "duration_max" and q.seconds <= 0:
                continue  # "under 0 s" bounds no edit: it stays in the free text
            scan.set(key, q.seconds, scan.raw[start:-neg_end])
            scan.take(start, -neg_end)
            _shared_bound(scan, start, key, scan.text[q.start : q.end])


# Asks that can last a while of their own ("slow motion for 2 s", "a caption for 3 s"); a
# look of the whole edit cannot ("sepia for 6 s", "backwards for 6 s" are the edit's length).
_PARTS = frozenset({"speeds", "captions", "fade_in", "fade_out", "transitions"})


def read_target(scan: Scan) -> None:
    """The first remaining length that is about the edit itself is the target."""
    for q in scan.quantities():
        before = scan.text[max(0, q.start - 40) : q.start]
        after = scan.text[q.end : q.end + 25]
        if q.seconds <= 0 or _ELSEWHERE_PRE.search(before) or _ELSEWHERE_POST.match(after):
            continue  # "0 s" is no length of an edit
        if _SOURCE_POST.match(after) and _SOURCE_PRE.search(before):
            continue
        clause_start, _ = scan.clause(q.start, q.end)
        if re.search(r"\bfor\s+$", before) and scan.read_as(clause_start, q.start) & _PARTS:
            continue  # "slow motion for 2 s": the length of another ask
        if "duration_target" not in scan.fields:
            scan.fields["duration_target"] = q.seconds
        elif scan.fields["duration_target"] != q.seconds:
            continue  # a second, different length stays in the free text
        scan.take(q.start, q.end)
