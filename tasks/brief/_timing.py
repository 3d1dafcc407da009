"""Time in a request: which parts of the source to use.

Order matters and is the point of this module: a number of seconds is read as a source
range ("from 2 s to 5 s") or a head or tail ("the first 5 seconds") before anything else;
bounds ("no longer than 8 s") come next, shot picks at a time ("end at 12 s") after them,
and only then is a remaining length the target duration ("a 6-second teaser"): see
:mod:`tasks.brief._length`.
"""

from __future__ import annotations

import re

from ._length import MAX_POST, MIN_POST
from ._patterns import NUM, Quantity, number
from ._scan import Scan
from ._stretches import backwards_said, forwards, nth_seconds
from ._words import FOOTAGE

__all__ = ["read_use"]

_LISTED = re.compile(r"^\s*(?:,|;|and|then|plus|&|\s)+$")
# "from the one-minute mark to 1:12": a point named a mark is still the range's start.
# An editor's marks: "in point 00:00:03:12, out point 00:00:07:00" (the in point: _FROM).
# A point said "N in" is N into the clip: "0:02 in to 0:06", "2 s in until 5 s in".
_RANGE_JOIN = re.compile(
    r"^\s*(?:(?:mark|point|in)\s+)?(?:-|to|until|till|through|thru|and)\s*(?:the\s+)?$|"
    r"^\s*[,;]?\s*(?:and\s+)?(?:an?\s+|the\s+)?out[- ]?point\s*(?:(?:at|of|is)\s+|[:=]\s*)?$"
)
_BARE_START = re.compile(rf"\b(?:(from|between)\s+)?({NUM})\s*(?:-|to|until|till|through|and)\s*$")
_FROM = re.compile(
    r"\b(from|between)\s+(?:the\s+)?$|"
    r"\b(?:an?\s+|the\s+)?in[- ]?point\s*(?:(?:at|of|is)\s+|[:=]\s*)?$"
)
_USE_WORDS = re.compile(
    r"\b(?:use|using|take|taking|footage|source|section|part|portion|segment|stretch|span|"
    r"only|clip|video|keep(?!\s+it)|cut\s+out|extract|trim|pull|pulling|grab|grabbing|lift|"
    r"snip|bits?|pieces?)\b"
)
# A span said to come out of the footage: "5-8 s out of the street video", "2-4 s of the clip".
_OUT_OF_SOURCE = re.compile(
    r"^\s*(?:out\s+of|of|from)\s+(?:the|this|my|our|that)\s+(?:[\w'-]+\s+){0,2}?"
    rf"{FOOTAGE}\b"
)
_LENGTH_WORDS = re.compile(r"^\s*(?:long|in\s+length|of\s+(?:length|runtime)|total)\b")
# Verbs that set the edit's length: "(boil it) down to between 6 and 8 s", "make it 5-7 s".
_LENGTH_PRE = re.compile(
    r"\b(?:down\s+to|(?:trim|cut|shorten|edit|bring)(?:med|ned|ted|ed)?\s+(?:\w+\s+){0,2}?to|"
    r"make\s+it|keep\s+it(?:\s+to)?|to\s+be|should\s+be|lasts?|lasting|run(?:s|ning)?(?:\s+for)?|"
    r"length\s+of|duration\s+of|"
    # the length named: "keep the running time between 6 and 8 s", "a runtime of 5-7 s"
    r"(?:running\s+time|run\s*time|duration|length)(?:\s+(?:is|of|at|to|should\s+be))?)\s*$"
)
_HEAD = re.compile(r"\b(?:the\s+|only\s+)?(first|opening|initial|beginning)\s+$")
_TAIL = re.compile(r"\b(the\s+|only\s+)?(last|final|closing|ending|end)\s+$")
# The footage a head or tail is taken from, named or not: "of the clip", "of the street scene".
_OF_SOURCE = re.compile(
    r"^\s*(?:of|from)\s+(?:the|this|my|our)\s+"
    r"(?!(?:first|second|third|last|final|next|opening|closing|same)\b)(?:[\w'-]+\s+){0,2}?"
    r"(?:clip|video|footage|source|trailer|film|movie|recording|scene)\b"
)


_SOURCE_NOUN = r"(?:clip|video|footage|source|thing|trailer|film|movie|recording)"
_COUNT = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)"
_A_PART = r"(?:[a-z]+\s+){0,3}?"  # "one (snippet)", "another bit", "a clip"
_USE_PHRASES = [
    ("beginning_middle_end", re.compile(
        r"\b(?:the\s+)?(?:begin(?:ning)?|start|opening)\s*,?\s*(?:the\s+)?middle\s*,?\s*"
        r"(?:and\s+)?(?:the\s+)?(?:end(?:ing)?|close|finish)\b|"
        # each part drawn "from" or "of" its place: "one snippet from the start, one from the
        # middle and one from the end", "a little of the begin, a little of the middle and a
        # little of the end" (not "a title at the start, music in the middle")
        rf"\b(?:from|of)\s+the\s+(?:begin(?:ning)?|start|opening)\s*,?\s*{_A_PART}(?:from|of)"
        rf"\s+the\s+middle\s*,?\s*(?:and\s+)?{_A_PART}(?:from|of)\s+the\s+"
        r"(?:end(?:ing)?|close|finish)\b")),
    # "each scene", "all the shots", "each of the four shots", "every one of the scenes"
    ("every_scene", re.compile(
        r"\b(?:(?:every|each)(?:\s+(?:one\s+)?of\s+the)?|all(?:\s+(?:of\s+)?the)?)"
        rf"(?:\s+{_COUNT})?\s+(?:scenes?|shots)\b|\bevery\s+shot\b")),
    # "run" only where the playback rule read a direction after it (see _runs_one_way)
    ("all", re.compile(
        r"\b(?:use|using|take|taking|keep|include|cover(?:s|ing)?|show(?:ing)?|play(?:ing)?|"
        r"run(?:s|ning)?|revers(?:e|es|ing)|rewind(?:s|ing)?)\s+"
        rf"(?:all\s+of\s+)?(?:the\s+)?(?:whole|entire|full|complete)\s+{_SOURCE_NOUN}\b|"
        rf"\ball\s+(?:of\s+)?the\s+(?:footage|{_SOURCE_NOUN}\b(?!\s+(?:is|are|should)\b))|"
        # "the whole clip, played backwards": only where a direction follows (see _runs_one_way)
        rf"\bthe\s+(?:whole|entire|full|complete)\s+{_SOURCE_NOUN}\b")),
]  # fmt: skip


# What follows a use phrase that is said of the edit's length: "the whole video under 10 s",
# "keep the whole thing to 8 seconds", "every scene should last 2 s".
_SAID_OF_LENGTH = re.compile(
    r"\s+(?:for|should|lasts?|is|gets|under|below|within|short(?:er)?|"
    rf"(?:down\s+)?to\s+(?:about\s+|around\s+|roughly\s+)?{NUM}"
    rf"(?:\s*(?:-|to|or|and)\s*{NUM})?\s*-?\s*(?:s|sec|min)\w*)\b"
)
# What follows a use phrase that says the part is in the edit: "every one of the four scenes
# should appear", "all the scenes must be used", "every shot has to show up".
_APPEARS = re.compile(
    r"\s+(?:(?:should|must|will|shall|(?:needs?|has|have)\s+to)\s+)?(?:all\s+)?"
    r"(?:appears?|features?|shows?\s+up|be\s+(?:seen|shown|included|used|featured|visible|in\s+"
    r"(?:it|there|the\s+(?:edit|video|cut)))|(?:is|are)\s+(?:seen|shown|included|used|in\s+it))\b"
)


# What may come between the whole source and its direction: "the whole clip, played backwards".
_PLAYED = re.compile(r"\s*,?\s*(?:(?:played|run|shown|running|playing|going)\s+)?")


def _runs_one_way(scan: Scan, end: int) -> bool:
    """Whether the playback rule read a direction right after ``end``.

    "Run the entire clip backwards" plays all of it; "run the whole thing at 150%" is the
    edit's speed.
    """
    said = _PLAYED.match(scan.text, end)
    at = said.end() if said else end
    return "playback" in scan.read_as(at, at + 1)


_OF_WHAT = (
    r"(?:\s+(?:of|from)\s+(?:the|this|my|our)\s+(?:\w+\s+)?"
    rf"{FOOTAGE})?"
)
_PORTION = re.compile(
    r"\b(?:the\s+|its\s+|only\s+)?(first|second|third|fourth|last|final|closing|opening|"
    # "the back half" (not "bring back half the shots", "play it back half speed")
    r"middle|latter|former|(?<=the\s|its\s)(?:front|back|rear))\s+(half|third|quarter)\b"
    r"(?![- ]?speed)"
    # "the first half-minute" is thirty seconds, not a share
    r"(?![- ](?:an?\s+)?(?:min|sec))" + _OF_WHAT
)
_PERCENT = re.compile(
    rf"\b(?:the\s+)?(first|last|final|opening|closing|middle|central|cent(?:re|er))\s+({NUM})\s*"
    r"(?:%|percent)" + _OF_WHAT
)
# A portion said to stay as it is beside a change to the rest ("keep the first half as it is
# and speed up the rest") is no part the edit draws on: all of the source is.
_AS_IS = re.compile(
    r"\s+(?:as\s+(?:it\s+)?is|as\s+it\s+was|the\s+way\s+it\s+is|unchanged|untouched)\b"
)
_NTH = {"first": 0, "opening": 0, "former": 0, "front": 0, "second": 1, "third": 2, "fourth": 3}


def _portion(m: re.Match[str]) -> tuple[float, float] | None:
    """(start, end) fractions of 'the first half', 'the last third', 'the middle third'."""
    which, part = m.group(1), m.group(2)
    parts = {"half": 2, "third": 3, "quarter": 4}[part]
    if which == "middle":
        return (0.25, 0.75) if parts == 2 else ((1 / 3, 2 / 3) if parts == 3 else None)
    if which in ("last", "final", "closing", "latter", "back", "rear"):
        return ((parts - 1) / parts, 1.0)
    k = _NTH[which]
    return (k / parts, (k + 1) / parts) if k < parts else None


def _scale_bare(token: str, q: Quantity, text: str) -> float:
    minutes = re.search(r"min", text[q.start : q.end]) is not None
    return number(token) * (60.0 if minutes else 1.0)


def _ranges(scan: Scan, qtys: list[Quantity]) -> list[tuple[float, float, int, int, bool]]:
    """Spans "A to B": (a, b, start, end, is_source_range)."""
    out: list[tuple[float, float, int, int, bool, bool]] = []
    used: set[int] = set()
    text = scan.text
    for i, q2 in enumerate(qtys):
        before = text[max(0, q2.start - 40) : q2.start]
        if i > 0 and i - 1 not in used and _RANGE_JOIN.match(text[qtys[i - 1].end : q2.start]):
            q1 = qtys[i - 1]
            a, start = q1.seconds, q1.start
            lead = _FROM.search(text[max(0, start - 20) : start])
            kw = (lead.group(1) or "from") if lead else None  # an in point opens as "from"
            if lead:
                start -= len(text[max(0, start - 20) : start]) - lead.start()
            clock = q1.clock or q2.clock
        else:
            m = _BARE_START.search(before)
            if m is None or (
                m.group(1) is None and "-" not in m.group(0) and " to " not in m.group(0)
            ):
                continue
            if m.group(2) in ("a", "an"):
                continue
            a, start, kw = (
                _scale_bare(m.group(2), q2, text),
                q2.start - len(before) + m.start(),
                m.group(1),
            )
            clock = q2.clock
        b = q2.seconds
        if a == b or (a > b and not backwards_said(text, start)):
            continue
        used.add(i)
        after = text[q2.end : q2.end + 60]
        length = (
            _LENGTH_WORDS.match(after) is not None
            or _LENGTH_PRE.search(text[max(0, start - 30) : start]) is not None
        )
        # "from 6 to 9 seconds long" is a length all the same: "long" says so.
        source = clock or (
            not length
            and (
                kw == "from"
                # in its own clause: "street footage, 12-15 sec" names the footage, then a length
                or _USE_WORDS.search(scan.before(start, 50)) is not None
                or _OUT_OF_SOURCE.match(after) is not None
            )
        )
        # "between 4 and 6 seconds" stays a length even beside a part of the source.
        out.append((a, b, start, q2.end, source, not length and kw != "between"))
    # An edit has one length: two or more spans that are not said to be lengths are parts of
    # the source ("2-4s then 8-9s"), never two competing pairs of bounds; and a span listed
    # right after a part of the source is one too ("from 1 to 3 s and 5 to 7 s").
    loose = [r for r in out if not r[4] and r[5]]
    spans: list[tuple[float, float, int, int, bool]] = []
    for a, b, start, end, source, free in out:
        listed = bool(spans) and spans[-1][4] and _LISTED.match(text[spans[-1][3] : start])
        spans.append((a, b, start, end, source or (free and (len(loose) > 1 or bool(listed)))))
    return spans


def read_use(scan: Scan) -> None:
    """Source ranges, the head or tail, and between-bounds; the strongest use wins."""
    qtys = scan.quantities()
    spans: list[tuple[int, tuple[float, float]]] = []
    for a, b, start, end in nth_seconds(scan):  # "the 2nd through 4th seconds"
        scan.take(start, end)
        spans.append((start, (a, b)))
    for a, b, start, end, source in _ranges(scan, qtys):
        scan.take(start, end)
        if source:
            spans.append((start, forwards(scan, a, b, start, end)))
        else:
            scan.set("duration_min", a, scan.raw[start:end])
            scan.set("duration_max", b, scan.raw[start:end])
    ranges = [span for _, span in sorted(spans)]
    uses: list[tuple[dict[str, object], str]] = []
    if ranges:
        uses.append(({"kind": "ranges", "ranges": ranges}, ""))
    for q in scan.quantities():
        before = scan.text[max(0, q.start - 30) : q.start]
        after = scan.text[q.end : q.end + 40]
        head = _HEAD.search(before)
        tail = _TAIL.search(before)
        if q.seconds <= 0:
            continue  # "the first 0 s" is no part of the source
        if head:
            kind, m = "head", head
        elif tail and (
            tail.group(1)
            or tail.group(2) != "last"
            or _OF_SOURCE.match(after)
            # "last 10 sec, 2x": a clause that opens on "last" names the tail (the verb
            # "last" needs a subject first: "make it last 10 s")
            or (
                not scan.before(q.start - len(before) + tail.start()).strip()
                and not (MAX_POST.match(after) or MIN_POST.match(after))
            )
        ):
            kind, m = "tail", tail
        else:
            continue
        start = q.start - len(before) + m.start()
        of = _OF_SOURCE.match(after)
        end = q.end + (of.end() if of else 0)
        scan.take(start, end)
        uses.append(({"kind": kind, "seconds": q.seconds}, scan.raw[start:end]))
    for m in scan.find(_PORTION):
        portion = _portion(m)
        if (
            portion is not None
            and not scan.negated(m.start())
            and not _AS_IS.match(scan.text, m.end())
        ):
            scan.take(m.start(), m.end())
            uses.append(({"kind": "portion", "portion": portion}, scan.raw[m.start() : m.end()]))
    for m in scan.find(_PERCENT):
        share = number(m.group(2)) / 100.0
        if 0 < share < 1 and not scan.negated(m.start()):
            if m.group(1) in ("first", "opening"):
                portion = (0.0, share)
            elif m.group(1) in ("last", "final", "closing"):
                portion = (1.0 - share, 1.0)
            else:  # the middle N%: centred on the source's midpoint
                portion = ((1.0 - share) / 2, (1.0 + share) / 2)
            scan.take(m.start(), m.end())
            uses.append(({"kind": "portion", "portion": portion}, scan.raw[m.start() : m.end()]))
    for kind, rx in _USE_PHRASES:
        for m in scan.find(rx):
            if (
                scan.negated(m.start())
                or (
                    kind == "all"
                    and m.group(0).startswith(("run", "the"))
                    and not _runs_one_way(scan, m.end())
                )
                # "keep the whole video under 10 s" (or "to 8 s") bounds the edit, it draws
                # on no part; "every scene should appear" does
                or (
                    _SAID_OF_LENGTH.match(scan.text, m.end())
                    and not _APPEARS.match(scan.text, m.end())
                )
                # "a dissolve between every shot" says where transitions go, not what is used
                or re.search(r"\bbetween\s+$", scan.text[: m.start()])
                or re.match(r"\s+(?:in)?to\s+the\s+next\b", scan.text[m.end() :])
            ):
                continue
            appears = _APPEARS.match(scan.text, m.end())
            end = appears.end() if appears else m.end()
            scan.take(m.start(), end)
            uses.append(({"kind": kind}, scan.raw[m.start() : end]))
    if uses and "use" in scan.fields:  # a trim or a stop read first: it stands
        said = scan.fields["use"]
        scan.extra_free.extend(text for use, text in uses if text and use != said)
    elif uses:
        scan.fields["use"] = uses[0][0]
        scan.extra_free.extend(text for _, text in uses[1:] if text)
