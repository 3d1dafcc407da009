"""Sound asks of a request: cut on the beat, never mid-word, a loudness target.

"cut to the beat", "on the music", "rhythmic" ask for beat cuts; "normalise the loudness"
asks for ``DEFAULT_LUFS`` and "-16 LUFS" for that level; "don't cut mid-word" asks that no
cut falls inside a spoken word (the flow also asks it whenever the footage has speech).
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

_BEATS = re.compile(
    r"\b(?:(?:cut|cuts|cutting|edit|edited|timed|synced|sync)\s+(?:it\s+)?(?:to|on|with)\s+the\s+"
    r"(?:beats?|music|rhythm|drums?|tempo)|on\s+the\s+beats?|to\s+the\s+beats?|"
    r"on\s+the\s+music|beat[- ]?(?:cut|synced|matched)|rhythm(?:ic|ically)?|"
    # the cuts as the subject: "cuts landing on the beat", "edits that hit the beat"
    r"(?:cuts?|edits?)\s+(?:that\s+|which\s+)?(?:land|fall|hit|match|sync|lock|snap)\w*\s+"
    r"(?:(?:on|to|with)\s+)?the\s+(?:beats?|music|rhythm|drums?|tempo))\b"
)
# "Don't cut mid-word" is said with many verbs of cutting, with or without who is cut off,
# and with many ways of naming the middle of speech; the ask is the negated verb with a
# middle of speech (or someone cut off), never a verb of cutting alone ("chop it down").
_NO = r"(?:never|don'?t|do\s+not|no|without|avoid(?:ing)?)\s+(?:ever\s+)?"
_CUTTING = r"(?:cut|chop|clip|slic|split|break|interrupt)\w*"
_WHO = (
    r"(?:anyone|anybody|people|someone|somebody|them|him|her|speakers?|characters?|"
    r"(?:the\s+)?(?:dialogue|speech|lines?|voices?))"
)
_MID = (
    r"(?:mid[- ]?(?:words?|sentences?|speech|lines?|dialogue)|"
    r"(?:in(?:to)?\s+)?(?:the\s+)?middle\s+of\s+(?:a\s+|the\s+|any\s+)?"
    r"(?:words?|sentences?|lines?|speech|dialogue)|inside\s+(?:a\s+)?words?)"
)
_WORDS = re.compile(
    rf"\b(?:{_NO}{_CUTTING}(?:\s+{_WHO})?(?:\s+off)?\s+{_MID}|{_NO}{_CUTTING}\s+{_WHO}\s+off|"
    rf"{_NO}(?:cut|chop|split|break)\w*\s+(?:up\s+)?(?:any\s+|the\s+)?(?:words|sentences)|"
    r"whole\s+words|mid[- ]?(?:word|sentence)\s+cuts?|"
    r"(?:keep|leave)\s+(?:the\s+|all\s+)?(?:words|sentences|dialogue|lines)\s+"
    r"(?:whole|intact|complete|uncut))\b"
)
# A level with the words that ask for it: "master it to -14 LUFS", "loudness at -16 LUFS",
# "normalised to -20 LUFS", "target -23 LUFS".
_LUFS = re.compile(
    r"(?:\b(?:(?:master|normali[sz]|level|mix|target|set|bring)\w*\s+(?:it\s+|everything\s+|"
    r"the\s+(?:audio|sound|loudness|mix|levels?|volume)\s+)?|"
    r"(?:loudness|volume|levels?|audio|sound|mix)\s+)(?:at|to|of|around|=|:)?\s*|"
    r"(?:at|to)\s+)?"
    r"(?<![\w.])([-\u2212]?\d{1,2}(?:\.\d+)?)\s*lufs\b"
)
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
    # A level first: its phrase may hold the words of a plain "normalise the audio".
    for m in scan.find(_LUFS):
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
