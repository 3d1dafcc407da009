"""Sound and colour said to stay as they are, in the shapes the single-noun rules miss.

One keep over a list ("keep the original colour and audio") asks each thing kept. The thing
kept may also be named first, as a topic or a label, and taken back by a pronoun after its
verb: "Sound: keep it", "the colours, keep them normal", "audio - leave it as it is". The
single-noun rules (:mod:`tasks.brief._rules`) read the rest: "keep the sound", "sound kept".
"""

from __future__ import annotations

import re

from ._colour import AS_IS, AS_SHOT
from ._rules import AUDIO, OWNER, PHRASE_END
from ._scan import Scan

__all__ = ["read_kept"]

_KEEP_VERB = r"(?:keep(?:s|ing)?|kept|retain(?:s|ed|ing)?|preserv(?:e|es|ed|ing)|leav(?:e|es|ing))"
# Speech named as what is heard, kept only: "keep the talking", "leave the narration in".
# Not in ``AUDIO``: "don't cut the speech mid-word" asks whole words, no sound at all.
_SPEECH = r"(?:talking|speech|narration|voice[- ]?overs?|conversations?|people\s+talking)"
_KEPT = rf"(?:the\s+|its\s+)?{OWNER}(?:{AS_SHOT}\s+|source\s+)?(?:colou?rs?|{AUDIO}|{_SPEECH})\b"
# One keep over a list: "keep the original colour and audio", "leave the sound and colour alone".
_KEPT_LIST = re.compile(rf"\b{_KEEP_VERB}\s+{_KEPT}(?:\s*(?:,|and|&)\s*{_KEPT})+{AS_IS}")
# The thing named first, then kept as "it" or "them". The keep ends its phrase or says the
# thing stays as shot: "sound: keep it low" asks a level, "leave it out" drops it, "keep them
# black and white" is no natural colour.
_NAMED_FIRST = re.compile(
    rf"\b{_KEPT}\s*[:,-]?\s*(?:please\s+)?{_KEEP_VERB}\s+(?:it|them)(?:\s+{AS_SHOT})?{AS_IS}"
    rf"{PHRASE_END}"
)
# The thing said to stay, its pronoun repeating it as learners of English often do: "the
# sound it stays", "the colours must remain natural", "the audio they stay the same". Not a
# level or a change: "the sound stays low", "the colours stay warm".
_STAYS = re.compile(
    rf"\b{_KEPT}\s*,?\s*(?:(?:it|they)\s+)?"
    r"(?:(?:must|should|can|will|has\s+to|have\s+to|needs?\s+to)\s+)?"
    rf"(?:stays?|remains?|be(?=\s+(?:{AS_SHOT}|the\s+same)\b))"
    rf"(?:\s+(?:{AS_SHOT}|in|on)\b)?{AS_IS}{PHRASE_END}"
)
# Speech kept alone, named as a thing: "keep the talking" (not "they kept talking": went on).
_SPEECH_KEPT = re.compile(
    rf"\b{_KEEP_VERB}\s+(?:in\s+)?(?:the|its|their|all(?:\s+the)?)\s+{_SPEECH}\b(?:\s+in\b)?"
    r"(?!\s+(?:whole|intact|complete|uncut)\b)"
)


def _value(noun: str) -> tuple[str, str]:
    return ("colour", "natural") if noun.startswith("colo") else ("audio", "keep")


def read_kept(scan: Scan) -> None:
    """Each thing kept is an ask of its own: the colour natural, the audio kept."""
    for rx in (_KEPT_LIST, _NAMED_FIRST, _STAYS, _SPEECH_KEPT):
        for m in scan.find(rx):
            if scan.negated(m.start()):
                continue  # "don't keep the colour and sound": left to the rules of each
            keys = set()
            for noun in re.findall(rf"colou?rs?|{AUDIO}|{_SPEECH}", m.group(0)):
                key, value = _value(noun)
                scan.set(key, value, m.group(0))
                keys.add(key)
            scan.take(m.start(), m.end(), *sorted(keys))
