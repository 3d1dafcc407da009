"""How long the edit must be: bounds ("no longer than 8 s") and the target ("a 6 s teaser").

Read after the source's spans (:mod:`tasks.brief._timing`) and bounds before shot picks
at a time, the target last: a length left over once everything else took its words.
"""

from __future__ import annotations

import re

from ._patterns import NUM, number
from ._scan import Scan
from ._stretches import restates_span

__all__ = ["LENGTH_OF_SOURCE", "MAX_POST", "MIN_POST", "read_bounds", "read_share", "read_target"]

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
    r"exceed(?:ing)?|capped\s+(?:at|to)|cap\s+(?:it\s+)?at|tops)\s*(?:of\s+)?(?:about\s+)?"
    # the length named as a spot: "no more than a :15", "under a 10-second cut"
    r"(?:an?\s+)?$"
)
MAX_POST = re.compile(
    r"^\s*(?:max(?:imum)?\b|or\s+(?:less|shorter|under)\b|at\s+(?:the\s+)?most\b|tops\b|"
    r",\s*(?:tops|max(?:imum)?)\b|"  # "15 s, tops" (not ", at most two shots")
    # "six seconds, no more", "8 s and not a second longer", ending their clause (not "no more
    # than two shots", "no more slow motion")
    r"[,-]?\s*(?:and\s+)?(?:no|not\s+(?:a\s+(?:second|moment)|any|one\s+second))\s+"
    r"(?:more|longer)(?=\s*(?:[,.;:!?)]|$)))"
)
_MIN_PRE = re.compile(
    # "not under 5 s", "no less than 3 s": a negated maximum is a minimum
    rf"\b(?:at\s+least|{_NOT}\s+(?:{_SHORTER}|less)\s+{_THAN}|{_NOT}\s+(?:under|below)|"
    r"min(?:imum)?(?:\s+(?:length|duration))?(?:\s+of)?|"
    rf"more\s+{_THAN}|{_LONGER}\s+{_THAN}|over|upwards\s+of)\s*(?:of\s+)?$"
)
MIN_POST = re.compile(
    r"^\s*(?:min(?:imum)?\b|or\s+(?:more|longer|over)\b|at\s+(?:the\s+)?least\b|"
    r",\s*min(?:imum)?\b|"
    r"[,-]?\s*(?:and\s+)?(?:no|not\s+(?:a\s+(?:second|moment)|any|one\s+second))\s+"
    r"(?:less|shorter)(?=\s*(?:[,.;:!?)]|$)))"
)
# A length of another ask said just before, in the same sentence ("no fade in. 12s." asks a
# 12 s edit; a decimal point ends no sentence; "comes in at 5 s" is the edit's own length).
# "From" a person or a day is no point of the footage: "what I need from you is half a
# minute", "forget my notes from yesterday: 8 seconds".
_NOT_FOOTAGE = r"(?:you|me|us|them|yesterday|today|earlier|last\s+(?:time|week|night))"
_ELSEWHERE_PRE = re.compile(
    rf"\b(?:each|every|per|(?<!\bin\s)at|after|before|until|till|from(?!\s+{_NOT_FOOTAGE}\b)|"
    r"fade[sd]?|fading|dissolves?|"
    r"transitions?|captions?|titles?|text|hold|freeze|pause|replay)\b(?:[^,.;!?]|\.(?=\d)){0,12}$"
)
_ELSEWHERE_POST = re.compile(
    r"^\s*(?:-\s*)?(?:long\s+)?(?:fades?|cross-?fades?|dissolves?|transitions?|pauses?|holds?|"
    r"freeze|gaps?|of\s+black|mark|into\b|in(?=\s*(?:[,.;]|$))|each|per|"
    # a join's length: "half a second between shots"
    r"between\s+(?:the\s+|its\s+|each\s+|every\s+|all\s+)?(?:shots?|scenes?|clips?|cuts?|them)\b)"
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


# The other bound said after one with its unit, its own unit left out: "at least three secs
# but not more than 5", "no less than 2 minutes and no more than 3".
_JOINER = re.compile(r"\s*,?\s*(?:(?:but|and|yet)\s+)?")
_BARE_AFTER = re.compile(
    rf"(?P<lead>[a-z' ]{{2,40}}?)\b(?P<num>{NUM})\b(?![.:]?\d)(?!\s*[-/%x:])"
    # a number of something else: "under 5 scenes", "no more than 2 times"
    r"(?!\s*(?:secs?|seconds?|s|minutes?|mins?|m|times|fps|lufs|scenes?|shots?|clips?)\b)"
)


def _shared_bound_after(scan: Scan, end: int, key: str, text: str) -> None:
    """The other bound of a pair said after ``end`` with the bound's unit left out."""
    joined = _JOINER.match(scan.text, end)
    at = joined.end() if joined else end
    bare = _BARE_AFTER.match(scan.text, at)
    if bare is None or bare.group("num") in ("a", "an"):
        return
    other, pre = ("duration_min", _MIN_PRE) if key == "duration_max" else ("duration_max", _MAX_PRE)
    said = pre.match(bare.group("lead"))
    if said is None or not scan.is_free(at, bare.end()):
        return
    value = number(bare.group("num")) * (60.0 if _MINUTES.search(text) else 1.0)
    if value > 0:
        scan.set(other, value, scan.raw[at : bare.end()])
        scan.take(at, bare.end())


def read_bounds(scan: Scan) -> None:
    """Minimum and maximum lengths ("no longer than 8 s", "at least 5 s", "8 s max")."""
    for q in scan.quantities():
        before = scan.text[max(0, q.start - 50) : q.start]
        after = scan.text[q.end : q.end + 30]
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
            _shared_bound_after(scan, -neg_end, key, scan.text[q.start : q.end])


# A length said as a share of the source's: "cut the clip to half its original length", "a
# third of the video's running time", "50% of the original length", "half as long as the
# original". The share of a length, never of the footage ("the first half" is a portion).
_SHARES = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25,
           "one quarter": 0.25, "two thirds": 2 / 3, "three quarters": 0.75}  # fmt: skip
_SHARE_WORD = r"half|(?:a|one)\s+(?:third|quarter)|two[- ]thirds|three[- ]quarters"
_LENGTH_NOUN = r"(?:length|duration|runtime|run\s*time|running\s+time)"
_ORIGINAL = r"(?:original|source|full|current|total|own)"
_SOURCE_NOUN = r"(?:original|clip|video|footage|source|trailer|film|movie|recording)"
# Whose length: "its (original) length", "the video's running time", "the original length",
# "the length of the clip" (not "half the length of each shot").
_ITS = (
    rf"(?:(?:its|their|the(?:\s+[\w-]+)?\s+{_SOURCE_NOUN}'s)\s+(?:{_ORIGINAL}\s+)?{_LENGTH_NOUN}|"
    rf"the\s+{_ORIGINAL}\s+{_LENGTH_NOUN}|"
    # "the length of the (full) trailer"
    rf"the\s+{_LENGTH_NOUN}\s+of\s+the\s+(?:(?:{_ORIGINAL}|whole|entire)\s+)?{_SOURCE_NOUN})\b"
)
# The source's length however said, "the running time" too: "take 4 s off the running time".
LENGTH_OF_SOURCE = rf"(?:{_ITS}|the\s+(?:{_ORIGINAL}\s+)?{_LENGTH_NOUN}\b)"
# The verb that sets it is part of the ask: "cut the clip to", "bring the trailer down to".
_TO = (
    r"(?:\b(?:cut|trim|shorten|bring|edit|chop|boil|get|take)\w*\s+(?:[\w']+\s+){0,3}?"
    r"(?:down\s+)?to\s+|\b(?:down\s+)?to\s+)?"
)
_SHARE = re.compile(
    rf"{_TO}\b(?:(?P<word>{_SHARE_WORD})|(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent))\s+"
    rf"(?:of\s+)?{_ITS}|"
    rf"\b(?P<as>{_SHARE_WORD})\s+as\s+long\s+as\s+(?:the\s+{_SOURCE_NOUN}|"
    r"it\s+(?:is|was)(?:\s+now)?)\b"
)


def read_share(scan: Scan) -> None:
    """A length asked as a share of the source's: resolved once the source is known."""
    for m in scan.find(_SHARE):
        word = m.group("word") or m.group("as")
        share = _SHARES[re.sub(r"[\s-]+", " ", word)] if word else float(m.group("pct")) / 100
        if 0 < share <= 1 and not scan.negated(m.start()):
            scan.set("duration_share", share, m.group(0))
            scan.take(m.start(), m.end())


# Asks that can last a while of their own ("slow motion for 2 s", "a caption for 3 s"); a
# look of the whole edit cannot ("sepia for 6 s", "backwards for 6 s" are the edit's length).
_PARTS = frozenset({"speeds", "captions", "fade_in", "fade_out", "transitions"})


# A length whose own words say it is the edit's: "so it clocks in at 10" (whatever came before:
# "at 3x so it clocks in at 10" is no length of the speed).
_OWN = re.compile(r"clock")


def read_target(scan: Scan) -> None:
    """The first remaining length that is about the edit itself is the target."""
    for q in scan.quantities():
        before = scan.text[max(0, q.start - 40) : q.start]
        after = scan.text[q.end : q.end + 25]
        if _OWN.match(scan.text, q.start):
            before = ""
        if q.seconds <= 0 or _ELSEWHERE_PRE.search(before) or _ELSEWHERE_POST.match(after):
            continue  # "0 s" is no length of an edit
        if _SOURCE_POST.match(after) and _SOURCE_PRE.search(before):
            continue
        if restates_span(scan, q.start, q.end, q.seconds):
            scan.take(q.start, q.end)  # "(three seconds of footage)" after its stretch
            continue
        clause_start, _ = scan.clause(q.start, q.end)
        if re.search(r"\bfor\s+$", before) and scan.read_as(clause_start, q.start) & _PARTS:
            continue  # "slow motion for 2 s": the length of another ask
        if "duration_target" not in scan.fields:
            scan.fields["duration_target"] = q.seconds
        elif scan.fields["duration_target"] != q.seconds:
            continue  # a second, different length stays in the free text
        scan.take(q.start, q.end)
