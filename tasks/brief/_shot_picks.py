"""Shot picks written in a request: what a shot is chosen by (:func:`find_pick`).

Superlatives of the measured shots (``_pick_words``), positions by number, ordinal or counted
from the end (``_from_end``), and source times, each found with its span in the normalised
request, so that the rules in :mod:`tasks.brief.parse` can scope and remove them.
"""

from __future__ import annotations

import re

from ._from_end import find_from_end
from ._patterns import NUM, ORDINALS, Quantity, number
from ._pick_words import PICK_WORDS
from .model import ShotPick

__all__ = ["SHOT", "find_pick"]

# Nouns that name a shot ("the first scene", "the brightest one").
SHOT = r"(?:shots?|scenes?|moments?|frames?|images?|parts?|bits?|sections?|clips?|ones?)"
_PICK_RX = [(kind, re.compile(r"\b(?:" + rx + r")")) for kind, rx in PICK_WORDS]
_SCENE_NO = re.compile(rf"\b(?:scene|shot|clip)\s*(?:#\s*|no\s*|number\s+)?({NUM})\b")
_ORDINAL_SCENE = re.compile(
    r"\b(?:the\s+)?(" + "|".join(ORDINALS) + r"|\d+(?:st|nd|rd|th)|last|final|closing|"
    r"opening)\s+(?:scene|shot|clip|"
    # "close on the last one" (not "the last one second")
    r"one\b(?!\s*-?\s*(?:minutes?|mins?|seconds?|secs?|s|%)\b))\b"
)
# A measure ranked below the top ("the second-brightest", "the 3rd most dynamic"): no pick
# holds it, so it stays free text rather than being read as the top one.
_RANKED = re.compile(r"\b(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)|next)[- ]+$")
_AT_TIME = re.compile(r"\b(?:at|from|the|around)\s+(?:the\s+)?$")
# A point counted from the source's start: "forty seconds in", "12 s into the clip".
_INTO = re.compile(r"\s*(?:in(?=\s*(?:[,.;:!?)]|and\b|then\b|$))|into\b(?:\s+(?:the|it)\b)?)")


def find_pick(
    text: str, start: int, end: int, qtys: list[Quantity]
) -> tuple[ShotPick, int, int] | None:
    """The first shot pick written in ``text[start:end]``, with its span.

    Recognised: superlatives of the measured shots ("the brightest", "the most dynamic
    moment", "a face"), positions ("the first shot", "scene 3", "the third scene", "the
    penultimate scene") and source times ("at 12 s", "the 0:07 mark").
    """
    best: tuple[ShotPick, int, int] | None = None

    def offer(pick: ShotPick, a: int, b: int) -> None:
        nonlocal best
        if best is None or a < best[1]:
            best = (pick, a, b)

    counted = find_from_end(text, start, end)  # "the second-to-last scene", before "last scene"
    if counted is not None:
        offer(*counted)
    window = text[start:end]
    for kind, rx in _PICK_RX:
        m = rx.search(window)
        if m and not _RANKED.search(text, max(0, start + m.start() - 12), start + m.start()):
            # Words of one pick said together are one pick, even across the clause break
            # they hold: "the calmest, stillest bit", "the quietest and most peaceful".
            words = dict(PICK_WORDS)[kind]
            a, b = start + m.start(), start + m.end()
            while more := re.compile(rf"\s*(?:,|and|or|/)\s*(?:{words})").match(text, b, end):
                b = more.end()
            while back := re.search(rf"\b(?:{words})\s*(?:,|and|or|/)\s*$", text[:a]):
                a = back.start()
            tail = re.match(rf"\s*(?:of\s+(?:the\s+)?\w+\s+)?{SHOT}\b", text[b:end])
            b += tail.end() if tail else 0
            offer(ShotPick(kind=kind), a, b)  # type: ignore[arg-type]
    m = _SCENE_NO.search(window)
    if m and number(m.group(1)) >= 1 and m.group(1) not in ("a", "an"):
        offer(
            ShotPick(kind="scene", scene=int(number(m.group(1)))),
            start + m.start(),
            start + m.end(),
        )
    m = _ORDINAL_SCENE.search(window)
    if m:
        word = m.group(1)
        if word in ("last", "final", "closing"):
            pick = ShotPick(kind="last")
        elif word in ("first", "opening"):
            pick = ShotPick(kind="first")
        else:
            pick = ShotPick(kind="scene", scene=int(number(word)))
        offer(pick, start + m.start(), start + m.end())
    for q in qtys:
        into = _INTO.match(text, q.end)
        if start <= q.start < end and (
            q.clock or into or _AT_TIME.search(text[max(0, q.start - 16) : q.start])
        ):
            # The pick runs on over "in"/"into the" or "mark" when they follow.
            mark = into or re.compile(r"\s*mark\b").match(text, q.end)
            offer(ShotPick(kind="time", time_s=q.seconds), q.start, mark.end() if mark else q.end)
    return best
