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
_KEPT = rf"(?:the\s+|its\s+)?{OWNER}(?:{AS_SHOT}\s+|source\s+)?(?:colou?rs?|{AUDIO})\b"
# One keep over a list: "keep the original colour and audio", "leave the sound and colour alone".
_KEPT_LIST = re.compile(rf"\b{_KEEP_VERB}\s+{_KEPT}(?:\s*(?:,|and|&)\s*{_KEPT})+{AS_IS}")
# The thing named first, then kept as "it" or "them". The keep ends its phrase or says the
# thing stays as shot: "sound: keep it low" asks a level, "leave it out" drops it, "keep them
# black and white" is no natural colour.
_NAMED_FIRST = re.compile(
    rf"\b{_KEPT}\s*[:,-]?\s*(?:please\s+)?{_KEEP_VERB}\s+(?:it|them)(?:\s+{AS_SHOT})?{AS_IS}"
    rf"{PHRASE_END}"
)


def _value(noun: str) -> tuple[str, str]:
    return ("colour", "natural") if noun.startswith("colo") else ("audio", "keep")


def read_kept(scan: Scan) -> None:
    """Each thing kept is an ask of its own: the colour natural, the audio kept."""
    for rx in (_KEPT_LIST, _NAMED_FIRST):
        for m in scan.find(rx):
            if scan.negated(m.start()):
                continue  # "don't keep the colour and sound": left to the rules of each
            keys = set()
            for noun in re.findall(rf"colou?rs?|{AUDIO}", m.group(0)):
                key, value = _value(noun)
                scan.set(key, value, m.group(0))
                keys.add(key)
            scan.take(m.start(), m.end(), *sorted(keys))
