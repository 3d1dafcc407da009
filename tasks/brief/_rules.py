"""Phrase rules of the request parser: captions, format, colour, audio, cuts, fades.

Each rule reads a ``Scan``: it takes the spans it understood and records a field. A rule's
phrase preceded by a negation ("no sepia", "don't mute") records the opposite where one
exists, or is taken and recorded as nothing (the ``no_text`` criterion covers "no captions").
"""

from __future__ import annotations

import re

from ._colour import BW_IDIOM, MONO, NATURAL, SEPIA
from ._scan import Scan
from ._words import FOOTAGE

__all__ = [
    "AUDIO",
    "OWNER",
    "PHRASE_END",
    "read_audio",
    "read_captions",
    "read_format",
    "read_looks",
]

_CAPTION_WORD = (
    r"captions?|captioned|title(?:d|s)?|text|subtitles?|headline|label(?:led)?|words?|overlay|"
    r"lower[- ]third|card|tagline|slogan|says?|saying|reads?|reading|write|writing|display"
)
_QUOTED = re.compile(r"(?<![\w])\"([^\"]+)\"|(?<![\w'])'([^']+?)'(?![\w])")
_CAPTION_BEFORE = re.compile(rf"\b(?:{_CAPTION_WORD})\b[^\"']{{0,40}}$")
# Quoted words put somewhere in the picture are a caption too: "put 'Sale' on it", "slap
# "Day 1" over the video", "add 'The End' at the end".
_PLACE_BEFORE = re.compile(
    r"\b(?:put|puts|putting|add|adds|adding|slap|stick|place|pop|throw|plaster|burn|stamp|"
    r"superimpose|show|flash|type|print)\s+(?:up\s+|in\s+)?"
    # the words named by what they are to the one who wrote them: "burn in the copy 'X'"
    r"(?:(?:the|this|our|some|a|an)\s+(?:copy|line|message|phrase|wording)\s*:?\s*)?$"
)
_PLACE = (
    r"(?:it|top|there|screen|the\s+(?:\w+\s+)?(?:screen|video|clip|edit|footage|frame|picture|"
    r"image|shots?|start|end|beginning|bottom|top))"
)
_CAPTION_AFTER = re.compile(
    r"^\s*(?:on\s+screen|as\s+(?:a|the)\s+(?:caption|title|text|overlay|subtitle)|"
    rf"(?:caption|title|text|overlay)|(?:on|over|across|onto|at|in)\s+{_PLACE})\b"
)
_UNQUOTED = re.compile(
    r"\b(?:caption|title|text|subtitle|headline|words?)(?:\s+(?:card|screen|slide|overlay|bar))?"
    r"\s*(?:saying|that\s+says|which\s+says|reading|that\s+reads|:)\s*([^.,;!?\"]+)"
)
# Words that place a caption in the list's order, said after it: '"One" first', '"Two" next'.
_IN_ORDER = (
    r"(?:first(?:ly)?|second(?:ly)?|next|later(?:\s+on)?|after(?:wards|\s+(?:that|it|this))?|"
    r"finally|last(?:ly)?|before|to\s+(?:begin|start|end|finish)(?:\s+with)?)"
)
# Not a place in the source: '"Hi" first 3 seconds', '"End" last shot'.
_ORDER_AFTER = re.compile(
    rf"\s*\b{_IN_ORDER}\b(?!\s+(?:[\w.-]+\s+)?(?:shots?|scenes?|clips?|frames?|moments?|parts?|"
    r"bits?|half|third|quarter|seconds?|secs?|s|minutes?|mins?)\b)"
)
# Between two captions of one list: '"One", then "Two"', '"One" and later "Two"', '"One"
# first, then "Two"', '"One" followed by "Two"', '"One" should appear first and "Two"'.
_SHOWN = (
    r"(?:(?:should|must|will|can|to|shall)\s+)?(?:appears?|show(?:s|n)?(?:\s+up)?|comes?(?:\s+up)?|"
    r"pops?\s+up|be\s+(?:shown|displayed))"
)
_LISTED = re.compile(rf"^\s*(?:,|;|-|and|then|or|followed\s+by|{_SHOWN}|{_IN_ORDER}|\s)*$")
# How many captions a list has, said before it: "add two captions", "a couple of titles".
_COUNT_BEFORE = re.compile(
    r"\b(?:two|three|four|five|six|\d|(?:a\s+)?couple\s+of|a\s+few|some)\s+$"
)
_NO_CAPTION = re.compile(
    r"\b(?:captions?|titles?|text(?:\s+overlays?)?|subtitles?|words|writing|lettering|"
    r"on[- ]screen\s+text|overlays?)\b"
)

_CUT_WORDS = re.compile(
    r"\b(?:cut|chop|split|break|slic|clip)\w*\s+(?:(?:up|through|into)\s+)?(?:\w+\s+)?$"
)


def read_captions(scan: Scan) -> None:
    """Captions with their exact text, in the order written; "no captions" is taken."""
    captions: list[tuple[int, str]] = []
    last_end = -1
    for m in scan.find(_QUOTED):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        before = scan.text[max(0, m.start() - 50) : m.start()]
        hit = _CAPTION_BEFORE.search(before) or _PLACE_BEFORE.search(before)
        after = _CAPTION_AFTER.match(scan.text[m.end() : m.end() + 30])
        listed = last_end >= 0 and _LISTED.match(scan.text[last_end : m.start()]) is not None
        if (hit or after or listed) and inner.strip():
            a = m.start() - (len(before) - hit.start()) if hit else m.start()
            count = _COUNT_BEFORE.search(scan.text, max(0, a - 20), a)
            a = count.start() if count and scan.is_free(count.start(), a) else a
            b = m.end() + (after.end() if after else 0)
            placed = _ORDER_AFTER.match(scan.text, b)
            b = placed.end() if placed else b
            start = m.start(1) if m.group(1) is not None else m.start(2)
            captions.append((m.start(), scan.raw[start : start + len(inner)].strip()))
            # The words listing it after the one before are the list's too.
            scan.take(last_end if listed and not hit else a, b)
            last_end = b
    for m in scan.find(_UNQUOTED):
        text = scan.raw[m.start(1) : m.end(1)].strip()
        if text and not scan.negated(m.start()):
            captions.append((m.start(), text))
            scan.take(m.start(), m.end())
    for m in scan.find(_NO_CAPTION):
        # "don't split any words" asks about cuts in speech, not about text on screen
        if scan.negated(m.start()) and not _CUT_WORDS.search(scan.before(m.start(), 30)):
            scan.take(m.start(), m.end())  # "no captions": the no_text criterion covers it
    if captions:
        scan.fields["captions"] = [text for _, text in sorted(captions)]


_KNOWN_ASPECTS = {
    "16:9", "9:16", "1:1", "4:3", "3:4", "4:5", "5:4", "21:9", "9:21", "3:2", "2:3",
    "16:10", "10:16",
}  # fmt: skip
# A ratio followed by an aspect word is an aspect whatever its numbers ("16:10 widescreen",
# "2:1 landscape"): the word then names that ratio, not the 16:9 or 9:16 it means alone.
# Clock times are no ratios: a zero-padded second ("1:01", "4:03") or a part of a longer
# timecode ("01:01:05") is a time of the source.
_ASPECT_NUM = re.compile(
    r"(?<![\d:.])(\d{1,2})\s*(?::(?!\s*0\d)|\bby\b|/)\s*(\d{1,2})\b(?!\s*[:;.]\d)"
    # a fraction of a unit is a length: "3/4 of a second", "1/2 minute"
    r"(?!\s*-?\s*(?:of\s+)?(?:an?\s+)?(?:minutes?|mins?|seconds?|secs?)\b)"
    r"(\s*(?:aspect|ratio|format|wide[- ]?screen|landscape|portrait|vertical|horizontal))?"
)
_ASPECT_WORDS = [
    ("9:16", r"vertical|portrait|upright|tik\s?tok|(?:instagram|insta|ig)\s+reels?|reels|"
     r"reels?\s+(?:for|on)\s+(?:instagram|insta|ig|tik\s?tok)|"
     r"(?:youtube\s+)?shorts|"
     # stories as the platform, never the story told ("story order", "the story beat")
     r"(?:instagram|insta|ig|facebook|fb|snapchat|snap|whatsapp)\s+stor(?:y|ies)|"
     r"stor(?:y|ies)[- ](?:format|size[ds]?|sized|posts?|ratio|dimensions|frames?|mode)|"
     r"(?:for|on|to|in)\s+(?:(?:the|my|our|your)\s+)?stories|"
     r"(?:on|to|onto)\s+(?:my|our|your)\s+story"),
    ("1:1", r"square"),
    ("16:9", r"widescreen|wide[- ]screen|landscape|horizontal"),
]  # fmt: skip
# The verb that asks for a frame is part of the ask: "crop to 4:5", "reframe it to 9:16".
_FORMAT_LEAD = re.compile(
    r"\b(?:crop(?:s|ped|ping)?|re-?fram(?:e|es|ed|ing)|resiz(?:e|es|ed|ing)|"
    r"format(?:s|ted|ting)?|convert(?:s|ed|ing)?)\s+(?:it\s+|this\s+|that\s+|everything\s+)?"
    r"(?:(?:down\s+)?(?:to|into|as|for|at)\s+)?$"
)
_SIZE = re.compile(r"\b(\d{3,4})\s*(?:[x*]|by)\s*(\d{3,4})\b(?:\s*(?:pixels|px))?")
_LINES = re.compile(r"\b(2160|1440|1080|720|540|480|360|240)p\b|\b(4k|uhd|full\s+hd)\b")


def _take_format(scan: Scan, a: int, b: int) -> None:
    lead = _FORMAT_LEAD.search(scan.text, max(0, a - 30), a)
    start = lead.start() if lead and scan.is_free(lead.start(), a) else a
    scan.take(start, b)


def read_format(scan: Scan) -> None:
    """Output aspect ("9:16", "vertical", "square") and size ("1280x720", "720p")."""
    for m in scan.find(_ASPECT_NUM):
        ratio = f"{int(m.group(1))}:{int(m.group(2))}"
        near = scan.text[max(0, m.start() - 25) : m.start()]
        if ratio in _KNOWN_ASPECTS or m.group(3) or re.search(r"aspect|ratio|format", near):
            if not scan.negated(m.start()):
                scan.set("aspect", ratio, m.group(0))
            _take_format(scan, m.start(), m.end())
    for ratio, words in _ASPECT_WORDS:
        for m in scan.find(re.compile(rf"\b(?:{words})\b(?:\s+(?:format|video|aspect|crop))?")):
            if not scan.negated(m.start()):
                scan.set("aspect", ratio, m.group(0))
            _take_format(scan, m.start(), m.end())
    for m in scan.find(_SIZE):
        scan.set("size", (int(m.group(1)), int(m.group(2))), m.group(0))
        scan.take(m.start(), m.end())
    for m in scan.find(_LINES):
        word = m.group(1) or {"4k": "2160", "uhd": "2160"}.get(m.group(2), "1080")
        lines = int(word)
        aspect = scan.fields.get("aspect", "16:9")
        w, h = (int(x) for x in aspect.split(":"))
        long_side = round(lines * max(w, h) / min(w, h) / 2) * 2
        size = (long_side, lines) if w >= h else (lines, long_side)
        scan.set("size", size, m.group(0))
        scan.take(m.start(), m.end())


# What a transition goes between: "each one", "every shot", "all the scenes", "the clips".
_JOINS = (
    r"(?:(?:each|every|all)(?:\s+(?:of\s+)?the)?(?:\s+(?:one|shot|scene|clip|cut)s?)?|"
    r"(?:the\s+)?(?:shots|scenes|clips|cuts)|them|the\s+(?:two|three|four|five)\b)"
)
_WHERE = rf"(?:\s+between\s+{_JOINS})?"
_CUT_MANNER = r"(?:hard|straight|clean|jump|simple|plain|direct|sharp|quick)"
_LOOKS: list[tuple[str, object, object, str]] = [
    # (field, value, value when negated, phrase)
    ("colour", "monochrome", "natural", MONO),
    ("colour", "sepia", "natural", SEPIA),
    ("colour", "natural", None, NATURAL),
    ("transitions", "crossfade", "cut",
     rf"(?:cross[- ]?fad(?:e[sd]?|ing)|(?:(?:cross|lap)[- ]?)?dissolv(?:e[sd]?|ing)){_WHERE}|"
     r"blend(?:s|ing)?\s+between|mix(?:es)?\s+between"),
    ("transitions", "fade", "cut",
     r"fad(?:e[sd]?|ing)\s+(?:to\s+black\s+|through\s+black\s+|out\s+and\s+in\s+)?between"
     rf"(?:\s+{_JOINS})?|fade\s+transitions?|fad(?:e[sd]?|ing)\s+through\s+black|"
     # "dip to black between each one", "dip-to-black transitions", "dipping to black"
     rf"dip(?:s|ped|ping)?[- ]to[- ]black(?:\s+transitions?|{_WHERE})|"
     # "go to black between shots": a dip (at one end, "go to black" is a fade; see _fades);
     # going through black can only be a dip: "go through black for half a second"
     rf"(?:go|goes|going|went)\s+(?:in)?to\s+black\s+between(?:\s+{_JOINS})?|"
     r"(?:go|goes|going|went|pass|passes|passing|passed)\s+through\s+black"),
    ("transitions", "cut", None,
     rf"{_CUT_MANNER}\s+cuts?|(?:just|only)\s+cuts|"
     r"cuts\s+only|cut\s+(?:straight|directly)|no\s+transitions?|without\s+(?:any\s+)?transitions?"),
    # the cuts read as the sound's first: "hard cuts on the beat" (see _sound.py)
    ("transitions", "cut", None, rf"{_CUT_MANNER}(?=\s+cuts?\b)"),
]  # fmt: skip
# Where a phrase of place ends: "fade in at the start", "fade out to black to finish" (not
# "fade out to end on the face": that "end" places a shot); "but" and "yet" begin another ask
# ("no fade at the start but fade out at the end").
PHRASE_END = r"(?=\s*(?:[,.;:!?)]|and\b|then\b|please\b|but\b|yet\b|$))"


def read_looks(scan: Scan) -> None:
    """Colour treatment and transitions between shots (fades at the ends: see ``_fades``)."""
    for m in scan.find(re.compile(rf"\b(?:{BW_IDIOM})")):
        scan.take(m.start(), m.end())  # plain speaking, no look: read, for no ask
    for field, value, negative, rx in _LOOKS:
        scan.rule(field, value, negative, rx)


AUDIO = r"(?:soundtrack|sound|audio(?:\s+track)?|music|dialogue|dialog|voices?)"
_MUTE = (
    rf"mute[ds]?|muting|silent(?:ly)?|silence|no\s+{AUDIO}|"
    rf"without\s+(?:any\s+)?(?:the\s+)?{AUDIO}|"
    r"(?:remov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|strip(?:s|ped|ping)?|kill(?:s|ed|ing)?|"
    r"cut(?:s|ting)?|los(?:e|es|ing)|turn(?:s|ed|ing)?\s+off|get(?:s|ting)?\s+rid\s+of|"
    r"ditch(?:es|ed|ing)?|scrap(?:s|ped|ping)?|tak(?:e|es|ing)\s+out|nix)\s+(?:out\s+)?"
    rf"(?:the\s+|all\s+|any\s+|its\s+)?{AUDIO}|"
    rf"{AUDIO}\s+(?:off|removed|stripped|muted|(?:turned|switched)\s+off)|"
    # "pull the audio" drops it; not "pull the audio down" (a level) or "pull the audio from
    # the trailer" (take it from there)
    rf"pull(?:s|ed|ing)?\s+(?:out\s+)?(?:the\s+|all\s+|its\s+)?{AUDIO}(?:\s+out)?\b"
    r"(?!\s+(?:up|down|back|level|levels|volume|from|off\s+of|in|into|for)\b)"
)
# Sound recorded as it happened: "nat sound", "natural sound", "natsound" (kept when named).
_NAT_SOUND = rf"nat(?:ural)?[- ]?{AUDIO}"
# "MOS": a picture with no sound, said by its capitals (or "m.o.s."), never "mos" inside a
# word or in lower case ("3 mos", months).
_MOS = re.compile(r"\bM\.?O\.?S\b\.?|\bm\.o\.s\.")
# Whose sound it is, said before it: "the trailer's sound", "the street footage's audio".
OWNER = rf"(?:(?:[\w-]+\s+)?{FOOTAGE}(?:'s|s')?\s+)?"
_KEEP_AUDIO = (
    r"(?:keep(?:s|ing)?|kept|retain(?:s|ed|ing)?|preserv(?:e|es|ed|ing)|leav(?:e|es|ing)|"
    rf"includ(?:e|es|ed|ing))\s+(?:in\s+)?(?:the\s+|its\s+)?{OWNER}"
    rf"(?:original\s+|source\s+)?(?:{_NAT_SOUND}|{AUDIO})(?:\s+in)?|"
    # "with the audio" keeps it, unless what follows says what is done to it ("with the
    # audio normalised to -20 LUFS" asks a loudness) or it is music that cuts are timed to
    # ("in time with the music", "synced with the music" ask for beat cuts; "in sync with the
    # audio" still keeps it)
    r"(?:(?<!(?:time|sync|step)\s)(?<!(?:along|timed|paced)\s)(?<!synced\s)|"
    r"(?!with\s+(?:the\s+|its\s+)?(?:music|soundtrack)\b))"
    rf"with\s+(?:the\s+|its\s+)?(?:original\s+|source\s+)?{AUDIO}(?!\s+\w+ed\b)|"
    rf"(?:original|source)\s+{AUDIO}|{_NAT_SOUND}|"
    # the sound, then that it stays: "sound kept", "audio left in", "sound on" (not "the
    # voices kept talking")
    rf"{AUDIO}\s+(?:on|kept|left\s+(?:in|on)|retained|preserved)\b(?!\s+\w+ing\b)"
)


def read_audio(scan: Scan) -> None:
    """Keep or mute the audio (after :func:`tasks.brief._kept.read_kept`)."""
    scan.rule("audio", "mute", "keep", _MUTE)
    scan.rule("audio", "keep", "mute", _KEEP_AUDIO)
    for m in _MOS.finditer(scan.raw):
        if scan.is_free(m.start(), m.end()):
            scan.set("audio", "keep" if scan.negated(m.start()) else "mute", m.group(0))
            scan.take(m.start(), m.end(), "audio")
