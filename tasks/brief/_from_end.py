"""Scenes counted from the end: "the penultimate shot", "the second-to-last scene".

"The last but one", "the next-to-last clip", "the third from the end": a scene named by its
place before the end is a ``scene_from_end`` pick (2: the one before the last). The brief
keeps the count as said; the planner and the verifier turn it into a scene number once the
footage's scenes are measured. A shot said to sit just before the end ("the scene before the
last one") is a reference to that end, read in :mod:`tasks.brief._refs` to the same pick.
:func:`tasks.brief._shot_picks.find_pick` offers what is found here beside its other picks.
"""

from __future__ import annotations

import re

from .model import ShotPick

__all__ = ["find_from_end", "from_end"]

_ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_ORD = "|".join(_ORDINALS)
_NOUN = r"(?:scenes?|shots?|clips?|ones?|moments?|images?|frames?)"
_LEAD = r"(?:the\s+)?(?:very\s+)?"
# A count said without a shot after it ends its phrase: "end on the penultimate." (not "the
# penultimate beat", "the penultimate word").
_ALONE = r"(?=\s*(?:[,.;:!?)]|-\s|$|\s+(?:and|then|at|with|in|to|for|please|as|but)\b))"
_FROM_END = [
    # "the penultimate scene", "the antepenultimate shot"
    re.compile(rf"\b{_LEAD}(?P<word>(?:ante)?penultimate)(?:\s+{_NOUN}\b|{_ALONE})"),
    # "the second-to-last scene", "third from the end", "the 2nd to the last one"
    re.compile(
        rf"\b{_LEAD}(?P<ord>{_ORD})[\s-]+(?:to|from)[\s-]+(?:the[\s-]+)?(?:very[\s-]+)?"
        rf"(?:last|final|end)(?:\s+{_NOUN}\b|{_ALONE})"
    ),
    # "the next-to-last shot" (not "next to the last scene": beside it)
    re.compile(
        rf"\b{_LEAD}(?P<next>next)[\s-]+to[\s-]+(?:very[\s-]+)?last(?:\s+{_NOUN}\b|{_ALONE})"
    ),
    # "the second last scene" (said so in British English): only with the shot named
    re.compile(rf"\b{_LEAD}(?P<ord>second|2nd|third|3rd)[\s-]+(?:last|final)\s+{_NOUN}\b"),
    # "the last but one", "the last scene but two" (not "last but not least")
    re.compile(
        rf"\b{_LEAD}(?:last|final)\s+(?:{_NOUN}\s+)?but\s+(?P<but>one|two)\b"
        r"(?!\s+(?:thing|more|note|point|request)\b)"
    ),
    # "the shot third from the end", "the scene second from last"
    re.compile(
        rf"\b{_LEAD}{_NOUN}\s+(?P<ord>second|2nd|third|3rd|fourth|4th)\s+from\s+(?:the\s+)?"
        r"(?:last|end)\b"
    ),
]
# "from the second to the last scene" is a stretch from scene 2 to the end; "a second to
# last" is a length.
_NOT_AFTER = re.compile(r"\b(?:from|a|one|every|per|each)\s+(?:the\s+)?(?:very\s+)?$")


def from_end(count: int) -> ShotPick:
    """The pick of the ``count``-th scene from the end (1: the last scene)."""
    return ShotPick(kind="scene_from_end", scene=count)


def _count(m: re.Match[str]) -> int:
    said = m.groupdict()
    if said.get("word"):
        return 3 if said["word"].startswith("ante") else 2
    if said.get("next"):
        return 2
    if said.get("but"):
        return 2 if said["but"] == "one" else 3
    return _ORDINALS[said["ord"]]


def find_from_end(text: str, start: int, end: int) -> tuple[ShotPick, int, int] | None:
    """The first scene counted from the end in ``text[start:end]``, with its span."""
    best: tuple[ShotPick, int, int] | None = None
    for rx in _FROM_END:
        for m in rx.finditer(text, start, end):
            if _NOT_AFTER.search(text, max(0, m.start() - 16), m.start()):
                continue
            if best is None or m.start() < best[1]:
                best = (from_end(_count(m)), m.start(), m.end())
            break
    return best
