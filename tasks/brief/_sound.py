"""Sound asks of a request: cut on the beat, never mid-word, a loudness target.

"cut to the beat", "the cuts must follow the beats of the music", "on the music",
"rhythmic" ask for beat cuts; "normalise the loudness" asks for ``DEFAULT_LUFS`` and "-16
LUFS" for that level; "don't cut mid-word", "none of the cuts land in the middle of someone
speaking", "don't let a cut land mid-word", "no cut should split a word", "cut between lines
of dialogue" ask that no cut falls inside a spoken word (the flow also asks it whenever the
footage has speech).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .model import Criterion, SoundAsk

if TYPE_CHECKING:
    from ._scan import Scan

__all__ = ["DEFAULT_LUFS", "as_sound", "read_sound", "sound_criteria"]

DEFAULT_LUFS = -14.0

# What cuts keep time with: "the beat", "the music's rhythm", "the beats of the song", "a
# beat of the track" (one beat for each cut).
_BEAT = (
    r"(?:the\s+|its\s+|their\s+|an?\s+|each\s+|every\s+)?"
    r"(?:(?:music|song|track|soundtrack|audio)'?s\s+)?"
    r"(?:beats?|rhythm|tempo|drums?|bpm|pulse)"
    r"(?:\s+of\s+(?:the\s+)?(?:music|song|track|soundtrack))?"
)
_MUSIC = r"(?:the\s+)?(?:music|song|track|soundtrack)"
_IN_TIME = r"(?:on|to|with|in\s+(?:time|sync|step)\s+(?:with|to)|along\s+(?:with|to))"
_BEATS = re.compile(
    # the act: "cut to the beat", "edit it in time with the music", "time the cuts to the beat"
    r"\b(?:(?:cut|cuts|cutting|edit|edited|editing|timed?|synced|sync|synchroni[sz]ed?|paced?)\s+"
    r"(?:(?:it|them|everything|the\s+(?:cuts|edits|shots|edit))\s+)?"
    rf"{_IN_TIME}\s+(?:{_BEAT}|{_MUSIC})|"
    # the cuts as the subject: "cuts landing on the beat", "the cuts must follow the beats of
    # the music", "edits that hit the beat", "cuts lined up with the rhythm"
    r"(?:cuts?|edits?)\s+(?:that\s+|which\s+)?"
    r"(?:(?:should|must|will|to|(?:need|have|has)s?\s+to)\s+)?"
    r"(?:be\s+)?(?:land|fall|hit|match|sync|lock|snap|follow|track|line|align)\w*\s+(?:up\s+)?"
    rf"(?:{_IN_TIME}\s+)?(?:{_BEAT}|{_MUSIC})|"
    # keeping time with the beat itself: "follow the music's beat", "hit the beats"
    r"(?:follow|match|hit)\w*\s+(?:the\s+|its\s+)?(?:(?:music|song|track|soundtrack)'?s\s+)?"
    r"(?:beats?|rhythm|pulse)|"
    r"on\s+(?:the\s+)?beats?|to\s+the\s+beats?|on\s+the\s+music|"
    r"in\s+(?:time|sync)\s+(?:with|to)\s+(?:the\s+)?(?:beats?|music|rhythm)|"
    r"beat[- ]?(?:cut|synced|matched)|rhythm(?:ic|ically)?)\b"
)
# "Don't cut mid-word" is said with many verbs of cutting, with or without who is cut off,
# and with many ways of naming the middle of speech; the ask is the negated verb with a
# middle of speech (or someone cut off), never a verb of cutting alone ("chop it down").
_NO = r"(?:never|don'?t|do\s+not|no|without|avoid(?:ing)?)\s+(?:ever\s+)?"
_CUTTING = r"(?:cut|chop|clip|slic|split|break|interrupt)\w*"
# The cuts as the subject, refused: "none of the cuts land", "no cut should fall", "cuts
# must never come".
# "Don't let a cut land", "never let any of the cuts fall" refuse the cut as "no cut" does.
_NO_CUT = (
    r"(?:(?:no|none\s+of\s+the|not\s+(?:a|one))\s+(?:cuts?|edits?)|"
    r"(?:(?:don'?t|do\s+not|never)\s+let\s+(?:(?:a|any|one)\s+(?:of\s+the\s+)?|the\s+)?"
    r"(?:cuts?|edits?))|"
    r"(?:the\s+|any\s+)?(?:cuts?|edits?)\s+(?:(?:should|must|may|can|will|do|does|are|is)"
    r"(?:n'?t|\s+not|\s+never)|can'?t|cannot|won'?t|never))"
    r"(?:\s+(?:ever\s+)?(?:(?:should|must|may|can|will)\s+(?:ever\s+)?)?"
    r"(?:land|fall|happen|come|occur|be|go|sit|hit)\w*)?"
)
# A refused cut with speech as its object: "no cut should split a word", "cuts shouldn't
# break up a sentence", "don't let the cuts chop words in half".
_SPLITS = r"(?:cut|chop|clip|slic|split|break|interrupt)\w*\s+(?:up\s+|into\s+|through\s+)?"
_WHO = (
    r"(?:anyone|anybody|people|someone|somebody|them|him|her|speakers?|characters?|"
    r"(?:the\s+)?(?:dialogue|speech|lines?|voices?))"
)
_SPEAKER = (
    r"(?:someone|somebody|anyone|anybody|people|a\s+person|they|he|she|"
    r"(?:a|the|any)\s+(?:speaker|character|narrator|presenter|person)|speakers|characters)"
)
_SPEAKING = r"(?:speak|talk|say|chatt?|narrat)(?:s|es|ed|ing)?"
_OF_WHOM = (
    r"(?:(?:a|the|any|their|his|her|(?:someone|somebody|anyone|anybody|a\s+person|the\s+speaker)"
    r"'?s)\s+)"
)
_UNIT = (
    r"(?:spoken\s+)?(?:words?|sentences?|lines?|speech|dialogue|phrases?|conversations?)"
    r"(?:\s+of\s+(?:the\s+)?(?:dialogue|speech))?"
)
# The middle of speech: "mid-sentence", "in the middle of someone speaking", "while someone
# is talking", "during a line of dialogue".
_MID = (
    rf"(?:mid[- ]?{_UNIT}|(?:in(?:to)?\s+)?(?:the\s+)?middle\s+of\s+(?:{_OF_WHOM}?{_UNIT}|"
    rf"(?:{_SPEAKER}\s+)?{_SPEAKING})|inside\s+(?:a\s+)?{_UNIT}|"
    # "partway through a word", "through the middle of a line", "into a sentence"
    rf"(?:(?:part|half)[- ]?way\s+)?(?:through|into|within)\s+{_OF_WHOM}?{_UNIT}|"
    rf"(?:while|whilst|when|whenever|as)\s+{_SPEAKER}(?:\s+is|\s+are|'s|'re|\s+was|\s+were)?"
    rf"\s+(?:still\s+)?{_SPEAKING}|during\s+{_OF_WHOM}?(?:{_UNIT}|{_SPEAKING}))"
)
# No one as the subject cut off, passive: "no one could be cut off partway through a word",
# "nobody gets cut mid-sentence". Only with a middle of speech: "make sure no one is cut off"
# alone may be about the frame's edges.
_NOBODY = (
    r"(?:no[- ]?one|nobody|none\s+of\s+(?:the\s+)?(?:speakers|characters|them))\s+"
    r"(?:(?:should|must|could|would|can|will|may)\s+)?(?:ever\s+)?(?:be|gets?|is|are)\s+"
    rf"{_CUTTING}(?:\s+off)?"
)
_WORDS = re.compile(
    rf"\b(?:{_NO}{_CUTTING}(?:\s+{_WHO})?(?:\s+off)?\s+{_MID}|{_NO_CUT}\s+{_MID}|{_NOBODY}\s+{_MID}|"
    rf"{_NO_CUT}\s+(?:(?:should|must|may|can|will)\s+(?:ever\s+)?)?{_SPLITS}{_OF_WHOM}?{_UNIT}"
    r"(?:\s+in\s+(?:half|two))?|"
    rf"{_NO}{_CUTTING}\s+{_WHO}\s+off|{_NO}{_CUTTING}\s+off\s+(?:{_WHO}|{_OF_WHOM}{_UNIT})|"
    rf"{_NO}interrupt\w*\s+(?:{_WHO}|{_OF_WHOM}{_UNIT})|"
    rf"{_NO}{_CUTTING}\s+(?:(?:up|through|into)\s+)?(?:any\s+|the\s+)?(?:words|sentences)|"
    r"whole\s+words|mid[- ]?(?:word|sentence)\s+cuts?|"
    # the cut said before, left out after "never": "cut on the beat but never mid-word"
    r"(?:never|not|no)\s+mid[- ]?(?:word|sentence)|"
    r"(?:keep|leave)\s+(?:the\s+|all\s+(?:the\s+)?|every\s+|each\s+)?"
    r"(?:words?|sentences?|dialogue|lines?)\s+"
    r"(?:whole|intact|complete|uncut))\b"
)
# Cuts placed in the gaps of speech ask the same: "cut between lines of dialogue", "cuts only
# in the pauses between sentences".
_BETWEEN_WORDS = re.compile(
    r"\b(?:cuts?|cutting|edits?)\s+(?:(?:should|must|can|(?:need|have|has)s?\s+to)\s+)?"
    r"(?:only\s+)?"
    r"(?:(?:be|come|fall|land|go|happen)\w*\s+)?(?:only\s+)?"
    r"(?:between|in\s+the\s+(?:gaps|pauses|breaks|silences?)\s+(?:between|of|in))\s+"
    rf"(?:the\s+)?(?:{_UNIT}|speakers|{_SPEAKING})\b"
)
# A level in LUFS: "-14 LUFS", "minus 16 LUFS".
_LEVEL_RX = r"(?:minus\s+|negative\s+)?(?<![\w.])([-\u2212]?\d{1,2}(?:\.\d+)?)\s*lufs\b"
# A level with the words that ask for it: "master it to -14 LUFS", "loudness at -16 LUFS",
# "normalised to -20 LUFS", "target -23 LUFS".
_LUFS = re.compile(
    r"(?:\b(?:(?:master|normali[sz]|level|mix|target|set|bring)\w*\s+(?:it\s+|everything\s+|"
    r"the\s+(?:audio|sound|loudness|mix|levels?|volume)\s+)?|"
    r"(?:loudness|volume|levels?|audio|sound|mix)\s+)(?:at|to|of|around|=|:)?\s*|"
    r"(?:at|to)\s+)?" + _LEVEL_RX
)
# The level alone, when the words before it were read as another ask: "keep the audio at -14
# LUFS" (its "keep the audio" keeps the sound; a level in LUFS asks nothing else).
_LEVEL = re.compile(r"(?:\b(?:at|to)\s+)?" + _LEVEL_RX)
_NORMALISE = re.compile(
    r"\b(?:normali[sz]e|normali[sz]ed|level|even\s+out)\s+(?:the\s+)?(?:loudness|audio|sound|"
    r"volume|levels?)\b|\bloudness\s+normali[sz]ation\b|"
    r"\bnormali[sz]e[sd]?\s+it\b(?=\s+to\s+[-\u2212]?\d)|"  # "normalise it to -16 LUFS"
    # "the audio normalised", "sound levelled out"
    r"\b(?:loudness|audio|sound|volume|levels?)\s+(?:normali[sz]ed|levell?ed(?:\s+out)?|"
    r"evened\s+out)\b"
)


def as_sound(value: object) -> SoundAsk | None:
    """A model's ``sound`` object as a ``SoundAsk``; None when absent, empty or invalid."""
    if not isinstance(value, dict) or not value:
        return None
    try:
        ask = SoundAsk.model_validate(value)
    except ValidationError:
        return None
    return ask if ask != SoundAsk() else None


def read_sound(scan: Scan) -> None:
    """Record ``sound`` (a ``SoundAsk``) when the request asks anything of the sound."""
    ask: dict[str, object] = {}
    for m in scan.find(_BEATS):
        if not scan.negated(m.start()):
            ask["beats"] = True
            scan.take(m.start(), m.end())
    for m in scan.find(_WORDS):
        ask["whole_words"] = True
        scan.take(m.start(), m.end())
    for m in scan.find(_BETWEEN_WORDS):
        if not scan.negated(m.start()):
            ask["whole_words"] = True
        scan.take(m.start(), m.end())
    # A level first: its phrase may hold the words of a plain "normalise the audio".
    for m in (*scan.find(_LUFS), *scan.find(_LEVEL)):
        value = -abs(float(m.group(1).replace("\u2212", "-")))
        if -40 <= value <= -5:
            ask["loudness_lufs"] = value
            scan.take(m.start(), m.end())
    for m in scan.find(_NORMALISE):
        ask.setdefault("loudness_lufs", DEFAULT_LUFS)
        scan.take(m.start(), m.end())
    if ask:
        scan.set("sound", SoundAsk.model_validate(ask), "")


def sound_criteria(sound: SoundAsk) -> list[Criterion]:
    """One criterion per sound ask, ids ``beats``, ``words``, ``loudness``."""
    out = []
    if sound.beats:
        out.append(Criterion(id="beats", kind="beats", text="every cut on a beat (within a frame)"))
    if sound.whole_words:
        out.append(Criterion(id="words", kind="words", text="no cut inside a spoken word"))
    if sound.loudness_lufs is not None:
        text = f"loudness {sound.loudness_lufs:g} ± 1 LUFS"
        out.append(Criterion(id="loudness", kind="loudness", text=text))
    return out
