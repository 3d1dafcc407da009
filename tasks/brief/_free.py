"""What the parser could not measure: the request's remaining asks, kept as free text."""

from __future__ import annotations

import re

from ._scan import Scan
from ._words import FOOTAGE

__all__ = ["read_free_text"]

# Words that carry no ask of their own: grammar, politeness and the nouns of any edit.
_FILLER_WORDS = """
a an the this that these those it its it's i me my we our us you your yours please pls kindly
thanks thank hi hello hey and or but so then also just only really very too some any all
of to in on at by for from with into onto out up down over about as than be is are was
were been being am do does did make makes making made create creating give get put cut cuts
edit edits editing want wanted need needs would like could can should must will shall let
lets let's have has had there here what which who how when where while keep keeping use
using clip clips video videos footage teaser teasers trailer trailer reel reels montage film
movie sequence piece version output render rendering short quick little brief shot shots
scene scenes one most more much bit something thing things whole entire new nice good great
feel feels feeling look looks looking sure way kind sort
no not nothing without don't dont never avoid any between speed order audio sound colour color
transitions transition fades captions caption text title titles motion mode format aspect
ratio size resolution long length duration seconds please add show play trim everything
highlight highlights promo loop bumper spot sting intro recap once around approximately
roughly exactly total overall end ends ending start starts starting open opens opening finish
begin begins beginning close uses used wants turn turns run runs running go goes going
pull grab take taking them their through throughout shown showing summary
plays played playing neither nor either after else otherwise rest remaining vid vids tho
i'm im i'd id i'll i've that's thats it'll we're we'd we'll you're there's what's let's
somewhere anywhere ish maybe ideally preferably overall every each
"""
_FILLER = set(_FILLER_WORDS.split())
# Style asks that cannot be measured; alone they make a short, readable free-text entry.
_MOOD_WORDS = """
punchy energetic energy moody cinematic dramatic upbeat fun playful dreamy epic emotional
nostalgic tense tension suspense suspenseful exciting exciting calm calming relaxing relaxed
uplifting gritty stylish elegant snappy fast-paced paced pace pacing fast slow atmospheric
mysterious romantic intense lively vibrant catchy bold sleek polished professional minimal
minimalist quirky funny sad happy joyful hype hyped chill powerful slick smooth tight engaging
compelling dynamic exciting fresh modern retro vintage warm cool dark light hypnotic
"""
_MOOD = set(_MOOD_WORDS.split())
# The footage named by what it shows ("of the street footage", "my holiday clip"): which
# source it is, not an ask of the edit.
_SOURCE_NAME = re.compile(
    r"\b(?:of|from|in|on|out\s+of)\s+(?:the|this|my|our|that)\s+(?:[a-z'-]+\s+){1,2}?"
    rf"{FOOTAGE}\b"
)
# A label naming the footage before the asks: "street clip: ...", "The beach video - 5 s".
_SOURCE_LABEL = re.compile(
    r"(?:^|(?<=[.!?;]))\s*(?:the\s+|my\s+|this\s+|our\s+)?((?:[a-z'-]+\s+){0,2}?)"
    rf"{FOOTAGE}\s*(?=:|-\s)"
)
# Marks between digits end no clause: "00:00:12:05" and "1.5" stay whole.
_SEPARATORS = re.compile(r"(?!(?<=\d)[.;:]\d)[.;:!?\n]+|,|\b(?:and|but|then|also|plus)\b")
_TRIM = re.compile(r"^[\s,;:.!?\-]*(?:(?:and|but|then|also|plus|please)\b)?[\s,;:]*|[\s,;:.!?\-]+$")


def read_free_text(scan: Scan) -> list[str]:
    """The request's clauses that still ask something, after the rules took their spans.

    A clause no rule understood is kept whole. A clause a rule understood in part keeps only
    its mood words ("punchy"), or whole when more than mood words remain, so nothing the
    request asks is dropped without a word.
    """
    text = scan.text
    cuts = [0]
    for m in _SEPARATORS.finditer(text):
        if scan.is_free(m.start(), m.end()):
            cuts.extend((m.start(), m.end()))
    cuts.append(len(text))
    # Labels are found in the whole text: the ":" that makes one ends its clause.
    labels = [
        (m.start(), m.end())
        for m in _SOURCE_LABEL.finditer(text)
        if not set(m.group(1).split()) & _MOOD  # "Punchy trailer: 6 s" asks a style
    ]
    out: list[str] = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        blanked = list(text[a:b])
        touched = False
        for x, y in scan.taken:
            for i in range(max(a, x), min(b, y)):
                blanked[i - a] = " "
                touched = True
        for x, y in (*((m.start(), m.end()) for m in _SOURCE_NAME.finditer(text, a, b)), *labels):
            for i in range(max(a, x), min(b, y)):
                blanked[i - a] = " "
        words = re.findall(r"[a-z0-9][a-z0-9'&/-]*", "".join(blanked))
        # "the trailer's opening": the possessive's owner is the word that counts
        words = [re.sub(r"'s$", "", w) for w in words]
        content = [w for w in words if w not in _FILLER and not _quote_only(w)]
        if not content:
            continue
        if touched and all(w in _MOOD for w in content):
            entry = " ".join(dict.fromkeys(content))
        else:
            entry = _TRIM.sub("", scan.raw[a:b])
        if entry and entry not in out:
            out.append(entry)
    for extra in scan.extra_free:
        if extra and extra not in out:
            out.append(extra)
    return out


def _quote_only(word: str) -> bool:
    return not re.search(r"[a-z0-9]", word)
