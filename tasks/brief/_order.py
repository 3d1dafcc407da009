"""Order rules of the request parser: shots in source or reverse order, played backwards.

Two asks share the words "backwards" and "in reverse". Said of the shots ("the scenes
backwards", "in reverse order") they put the shots last to first; said of the footage ("play
it backwards", "reverse the clip", "rewind effect") the edit plays time backwards, which
shows the last shot first too, each one running backwards (``Brief.playback``).
"""

from __future__ import annotations

import re

from ._scan import Scan
from ._worked_back import read_worked_back

__all__ = ["read_order"]

_REVERSE = (
    r"reverse[d]?\s+(?:chronological\s+)?order|in\s+reverse|reversed|backwards?|"
    r"back[- ]to[- ]front|reverse\s+chronological(?:ly)?|"
    # "last-to-first", "from the end to the start", "(last one first)"
    r"(?:from\s+)?(?:the\s+)?(?:last|end)[- ]to[- ](?:the\s+)?(?:first|start|beginning)\b|"
    r"last\s+one\s+first|"
    # the order as the object of a verb: "reverse the order", "flip the running order"
    r"(?:revers|flip|invert)(?:e|es|ed|ing|s|ped|ping)?\s+(?:the\s+|their\s+|its\s+)?"
    r"(?:(?:shot|scene|clip|running|playing|play|story|edit)\s+)?(?:order|sequence)"
    r"(?:\s+of\s+(?:the\s+)?(?:shots|scenes|clips))?|"
    r"(?:opposite|inverse|inverted|flipped)\s+order|"
    r"reverse\s+(?:the\s+)?(?:order\s+of\s+(?:the\s+)?)?(?:shots|scenes|clips)"
)
_SOURCE = (
    r"chronological(?:ly)?(?:\s+order)?|in\s+(?:the\s+)?(?:original|source|same)\s+order|"
    r"in\s+order(?!\s+to)|in\s+sequence|as\s+they\s+(?:happen|appear|occur)|"
    r"(?:from\s+)?first\s+to\s+last|(?:source|original|story|narrative)\s+order|"
    # the order the story is told in: "in the order of the story", "as the story goes"
    r"in\s+(?:the\s+)?order\s+of\s+(?:the\s+)?(?:story|narrative|events)|"
    r"as\s+the\s+story\s+(?:goes|unfolds|runs)|"
    r"keep(?:s|ing)?\s+(?:the\s+|their\s+)?(?:(?:scene|shot|clip|running|same)\s+)?order|"
    r"in\s+the\s+order\s+(?:they|it)\s+(?:happen|appear|occur|come|play)s?|"
    r"in\s+the\s+order\s+(?:they|it)\s+(?:were|was)\s+(?:shot|filmed|recorded|taken)"
)

# The footage as one thing: what plays backwards when the edit does.
_FOOTAGE = (
    r"(?:it|this|that|everything|anything|(?:the\s+|this\s+|that\s+|my\s+|our\s+)?(?:whole\s+|entire\s+)?"
    r"(?:thing|clip|video|footage|film|trailer|edit|movie|recording|result))"
)
_PLAY = r"(?:play(?:s|ed|ing)?|run(?:s|ning)?|ran|go(?:es|ing)?|roll(?:s|ed|ing)?)"
_BACKWARDS = r"backwards?|in\s+reverse|reversed|in\s+rewind|(?:on|in)\s+reverse\s+playback"
_PLAYBACK = re.compile(
    # "play it backwards", "run the whole clip in reverse", "make the video run backwards"
    rf"\b(?:{_PLAY}\s+)?(?:{_FOOTAGE}\s+)(?:{_PLAY}\s+)?(?:{_BACKWARDS})\b|"
    # "played backwards", "playing in reverse", "runs in rewind"
    rf"\b{_PLAY}\s+(?:{_BACKWARDS})\b|"
    # "reverse the clip", "rewind the footage"
    rf"\b(?:reverse|rewind)\s+{_FOOTAGE}\b|"
    # "reverse playback", "reversed motion", "rewind effect", "backwards playback"
    r"\b(?:reverse[d]?|backwards?|rewind)\s+(?:playback|motion|effect|play|version)\b|"
    r"\bplayback\s+(?:reversed|in\s+reverse|backwards)\b|\brewind(?:s|ing)?\b|"
    # frames themselves last to first: time runs backwards, not only the order of shots
    r"\b(?:from\s+)?(?:the\s+)?last\s+frame\s+(?:to|through\s+to)\s+(?:the\s+)?first(?:\s+frame)?\b"
)
_WHOLE = re.compile(r"(?:the\s+)?(?:whole|entire)\s+\w+")
# A "backwards" said of the shots or the order belongs to the order rule.
_OF_SHOTS = re.compile(r"\b(?:scenes|shots|clips|cuts|takes|order|sequence)\b(?:\s+\w+){0,2}\s*$")
_ORDER_AFTER = re.compile(r"^\s*(?:(?:chronological\s+)?(?:order|sequence)|from\s+there)\b")
# "backwards" or "reversed" on its own, said of nothing in particular: the footage plays so.
_ALONE = re.compile(r"\b(?:backwards?|reversed)\b")


# "each shot should still play forwards", "run forwards as normal": time runs forwards.
_FORWARDS = re.compile(rf"\b{_PLAY}\s+(?:\w+\s+)?forwards?\b(?!\s+(?:to|through|in\s+time)\b)")


def _read_playback(scan: Scan) -> None:
    for m in scan.find(_FORWARDS):
        scan.set("playback", "reverse" if scan.negated(m.start()) else "forward", m.group(0))
        scan.take(m.start(), m.end(), "playback")
    for rx in (_PLAYBACK, _ALONE):
        for m in scan.find(rx):
            if rx is _ALONE:
                before = scan.text[scan.clause(m.start(), m.end())[0] : m.start()]
                after = scan.text[m.end() :]
                if _OF_SHOTS.search(before) or _ORDER_AFTER.match(after):
                    continue
            elif _ORDER_AFTER.match(scan.text[m.end() :]):
                continue  # "play it in reverse order": the order
            forward = scan.negated(m.start())  # "don't play it backwards"
            scan.set("playback", "forward" if forward else "reverse", m.group(0))
            # "Play the whole clip" in reverse also says which footage is used: the words up
            # to it are left to that rule.
            whole = _WHOLE.search(m.group(0))
            scan.take(m.start() + (whole.end() if whole else 0), m.end(), "playback")


# Reverse order glossed by its first shot: "in the opposite order (last scene first)", "reverse
# the order, so the last shot comes first", "flip the order so it's last shot first". Said of
# the order, it places no shot of its own.
_GLOSS = re.compile(
    r"(?:\s+(?:order|sequence))?\s*(?:[(,:;-]\s*)?(?:(?:i\.?e\.?|that\s+is|so|meaning)\s*,?\s*)?"
    r"(?:(?:it's|it\s+(?:is|goes|runs|plays))\s+)?(?:with\s+)?(?:the\s+)?"
    r"last\s+(?:one|scene|shot|clip)\s+(?:(?:comes?|goes?|is|plays?|shown|being)\s+)?"
    r"first\b\s*\)?"
)


def read_order(scan: Scan) -> None:
    """The edit played backwards; shots in source or reverse order."""
    read_worked_back(scan)  # first: "work backwards to scene 1" runs no time backwards
    _read_playback(scan)
    for m in scan.find(re.compile(rf"\b(?:{_REVERSE})")):
        gloss = _GLOSS.match(scan.text, m.end())
        if gloss and not scan.negated(m.start()) and scan.is_free(gloss.start(), gloss.end()):
            scan.set("order", "reverse", m.group(0))
            scan.take(m.start(), gloss.end(), "order")
    scan.rule("order", "reverse", None, _REVERSE)
    scan.rule("order", "source", None, _SOURCE)
