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
    r"on\s+the\s+music|beat[- ]?(?:cut|synced|matched)|rhythm(?:ic|ically)?)\b"
)
_WORDS = re.compile(
    r"\b(?:(?:never|don'?t|do\s+not|no|without)\s+(?:cut(?:ting)?\s+)?(?:mid|in\s+the\s+middle\s+of"
    r"\s+a)[- ]?(?:words?|sentences?)|whole\s+words|mid[- ]word\s+cuts?|"
    # "don't cut anyone off mid-word", "never cut the dialogue off"
    r"(?:never|don'?t|do\s+not|no|without)\s+cut(?:ting)?\s+(?:anyone|anybody|people|someone|"
    r"them|speakers?|(?:the\s+)?(?:dialogue|speech|lines?))\s+off"
    r"(?:\s+mid[- ]?(?:words?|sentences?))?)\b"
)
_LUFS = re.compile(r"(?<![\w.])([-\u2212]?\d{1,2}(?:\.\d+)?)\s*lufs\b")
_NORMALISE = re.compile(
    r"\b(?:normali[sz]e|normali[sz]ed|level|even\s+out)\s+(?:the\s+)?(?:loudness|audio|sound|"
    r"volume|levels?)\b|\bloudness\s+normali[sz]ation\b|"
    r"\bnormali[sz]e[sd]?\s+it\b(?=\s+to\s+[-\u2212]?\d)"  # "normalise it to -16 LUFS"
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
    for m in scan.find(_NORMALISE):
        ask.setdefault("loudness_lufs", DEFAULT_LUFS)
        scan.take(m.start(), m.end())
    for m in scan.find(_LUFS):
        value = -abs(float(m.group(1).replace("\u2212", "-")))
        if -40 <= value <= -5:
            ask["loudness_lufs"] = value
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
