"""Shot picks placed at an end of the edit: ``start_on`` and ``end_on``.

A pick is placed by a verb before it ("end on the brightest shot", "open with a face"), by
the end named as a thing seen ("the last thing on screen should be someone's face", "the
first image we see is the darkest"; its verb may be left out of the second half of a parallel
phrase: "..., the last thing on screen the brightest shot"), or by where it goes, said after
it ("the most colourful shot at the end", "the second scene opening it"). What an end verb
places is its object: "finish with a replay of the busiest moment" places the replay (a speed
ask, planned last), not a shot of its own.
"""

from __future__ import annotations

import re

from ._bookends import read_bookends
from ._onwards import read_onwards
from ._refs import find_reference
from ._rules import PHRASE_END
from ._scan import Scan
from ._shot_picks import find_pick
from .model import ShotPick

__all__ = ["read_picks"]

_VIDEO = r"(?:it|the\s+(?:video|edit|teaser|clip|cut|reel|trailer|film|montage|sequence)|things)"
_PREP = r"(?:on|with|at|in|from|by\s+showing|showing|using)"
# An end named as what is on screen then: "the final shot", "the last thing on screen", "the
# very first image we see". A shot's name may stand alone before its pick ("the final scene
# the brightest"); a thing or moment must be said to be one ("should be", "is", "=").
_SEEN = (
    r"(?:\s+(?:(?:on|in)\s+(?:the\s+)?screen|on[- ]screen|"
    r"(?:that\s+)?(?:we|you|people|viewers|the\s+(?:audience|viewers?))\s+"
    r"(?:should\s+|will\s+|get\s+to\s+|are\s+going\s+to\s+)?(?:see|sees|get|gets)))?"
)
_IS = (
    r"(?:(?:should|must|has\s+to|needs\s+to|ought\s+to|will|shall)\s+be|is|being|=|:)"
    r"(?:\s+(?:of|showing))?"
)


def _end_named(which: str) -> str:
    return (
        rf"(?:the\s+)?(?:very\s+)?(?:{which})\s+(?:(?:shot|frame|image|scene){_SEEN}\s*{_IS}?|"
        rf"(?:picture|thing|sight|moment|clip){_SEEN}\s*{_IS})"
    )


# An end as the label of a spec's field: "Start: scene 2", "**End:** the darkest scene".
_LABEL = r"\**\s*:\s*\**"
# Editors' idioms for the last shot, each with its preposition ("go out on the brightest
# shot", "landing on the stillest moment", "button it on a face"): without it "go out" and
# "land" say nothing of an end. Cuts that land are on a beat or a word (see ``_sound``), and
# :func:`read_picks` leaves them be.
_END_IDIOM = (
    rf"(?:go(?:es)?|going|gone|went|bow(?:s|ing)?)\s+out\s+(?:{_VIDEO}\s+)?(?:on|with)\b|"
    rf"sign(?:s|ing)?\s+off\s+(?:on|with)\b|land(?:s|ing)?\s+(?:{_VIDEO}\s+)?on\b|"
    rf"button(?:s|ing)?\s+(?:{_VIDEO}\s+)?(?:up\s+)?(?:on|with)\b"
)
_END_VERB = re.compile(
    rf"\b(?:end(?:s|ing)?|finish(?:es|ing)?|close(?:s)?(?![- ]?ups?)|closing|conclude(?:s)?|"
    rf"wrap(?:s)?\s+(?:{_VIDEO}\s+)?up|{_END_IDIOM}|{_end_named('final|last|closing')})"
    rf"(?:{_LABEL}|\s*(?:{_VIDEO}\s+)?{_PREP}?)"
)
_CUTS_LAND = re.compile(
    r"\bcuts?\s+(?:(?:should|must|will|all|always|each|ever|never|can|could|would|to|"
    r"(?:need|have|has)\s+to)\s+)*$"
)
_START_VERB = re.compile(
    rf"\b(?:start(?:s|ing)?|open(?:s|ing)?|begin(?:s|ning)?|kick(?:s)?\s+(?:{_VIDEO}\s+)?off|"
    rf"lead(?:s)?(?:\s+off|\s+in)?|{_end_named('first|opening')})"
    rf"(?:{_LABEL}|\s*(?:{_VIDEO}\s+)?{_PREP}?)"
)
# The verb left out of the second half of a parallel phrase: "the first thing on screen should
# be the busiest shot, the last thing on screen the brightest". Only after its first half,
# in the same sentence, said with the verb.
_GAPPED = [
    (
        key,
        re.compile(
            rf"\b(?:the\s+)?(?:very\s+)?(?:{which})\s+(?:picture|thing|sight|moment){_SEEN}"
        ),
    )
    for key, which in (("end_on", "final|last|closing"), ("start_on", "first|opening"))
]
_SAID_WITH_VERB = re.compile(
    rf"\b(?:picture|thing|sight|moment|shot|frame|image|scene){_SEEN}\s*{_IS}"
)
_PICK_REACH = 30  # chars between the verb and its pick ("end on a shot of the brightest")
# A shot named in words the parser has no pick for, then glossed in brackets: "open on the
# establishing shot (i.e. the first shot)", "end on the reveal (that is, the darkest scene)".
# The gloss says which shot is meant.
_GLOSS = re.compile(
    r"\(\s*(?:i\.?\s*e\.?|that\s+is|that's|meaning|namely|aka|a\.k\.a\.|"
    r"in\s+other\s+words|=)\s*,?\s*([^()]*)\)"
)
# A person seen at an end is a face seen there: "the last thing we see is a person", "finish on
# someone". Only as the object of an end, where what is meant is a shot of them.
_PERSON = re.compile(
    r"\s*((?:a\s+|one\s+|some\s+)?(?:person|human(?:\s+being)?|someone|somebody|people))\b(?!')"
)
# The end verb's object is a replay ("finish with an instant replay of the busiest moment",
# "end on the busiest moment replayed at half speed"): the replay is what goes last, so the
# speed ask holds the pick and places it; an end pick besides would only repeat it.
_REPLAY_BEFORE = re.compile(r"\b(?:replay|repeat|rerun|re-run)\w*\b")
_REPLAY_AFTER = re.compile(
    r"\s*,?\s*(?:(?:replay|repeat)(?:ed|s)?\b|again\b|once\s+more\b|(?:in|as)\s+(?:an?\s+)?"
    r"(?:(?:instant|action|slow[- ]?mo(?:tion)?)\s+)?replay\b)"
)
# A pick placed by where it goes, after it: "the most colourful shot at the end", "the
# darkest scene to open", "with a face at the very start".
_PLACED = re.compile(
    r"\s*,?\s*(?:(?:at|for|as)\s+the\s+(?:very\s+)?(?:end|ending|close|finish|start|beginning|"
    r"opening|top)|to\s+(?:end|close|finish|open|start|begin)\b(?:\s+with)?|"
    # "the last scene first", "the brightest shot last, please"
    rf"last|first)\b{PHRASE_END}|"
    # the pick as the subject of an end verb: "the second scene opening it", "the brightest
    # shot should close the video", "scene 3 ends things"
    r"\s+(?:(?:should|must|will|shall|(?:needs?|has|have)\s+to)\s+)?"
    r"(?:open(?:s|ing)?|start(?:s|ing)?|begin(?:s|ning)?|clos(?:e|es|ing)|end(?:s|ing)?|"
    rf"finish(?:es|ing)?)\s+{_VIDEO}\b"
)
_PLACED_AT_END = re.compile(r"\b(?:end(?:s|ing)?|clos(?:e|es|ing)|finish(?:es|ing)?|last)\b")


def read_picks(scan: Scan) -> None:
    """``start_on`` and ``end_on``: placed by a verb or a named end, else by where they go."""
    read_bookends(scan)  # before the end verbs: both ends in one ask
    for key, verb in (("end_on", _END_VERB), ("start_on", _START_VERB)):
        for m in scan.find(verb):
            if scan.negated(m.start()) or (
                m.group(0).startswith("land") and _CUTS_LAND.search(scan.before(m.start(), 40))
            ):
                continue
            found = _object_pick(scan, m.end())
            if found is None or not scan.is_free(found[1], found[2]):
                continue
            scan.set(key, found[0].model_dump(exclude_none=True), scan.raw[m.start() : found[2]])
            scan.take(m.start(), found[2], key)
    _read_gapped_picks(scan)
    _read_placed_picks(scan)
    read_onwards(scan)


def _read_gapped_picks(scan: Scan) -> None:
    """Ends named without their verb, after a parallel end named with it."""
    for key, named in _GAPPED:
        for m in scan.find(named):
            sentence = max(scan.text.rfind(stop, 0, m.start()) for stop in ".!?")
            if scan.negated(m.start()) or not _SAID_WITH_VERB.search(
                scan.text, sentence + 1, m.start()
            ):
                continue
            found = _object_pick(scan, m.end())
            # the pick follows at once: "the last thing on screen the brightest shot"
            if found is None or not re.fullmatch(
                r"\s*(?:(?:the|a|an)\s+)?(?:very\s+)?", scan.text[m.end() : found[1]]
            ):
                continue
            if scan.is_free(found[1], found[2]):
                scan.set(
                    key, found[0].model_dump(exclude_none=True), scan.raw[m.start() : found[2]]
                )
                scan.take(m.start(), found[2], key)


def _object_pick(scan: Scan, at: int) -> tuple[ShotPick, int, int] | None:
    """The pick an end verb ending at ``at`` places, with its span; None when it places none."""
    _, clause_end = scan.clause(at, at)
    found = find_pick(scan.text, at, clause_end, scan.quantities())
    ref = find_reference(scan, at, clause_end)
    if ref is not None and (found is None or ref[1] <= found[1]):
        if ref[0] is not None:
            found = (ref[0], ref[1], ref[2])
        elif ref[1] - at <= _PICK_REACH:
            return None  # "the scene before the last one" is not the last one
    if found is not None and found[1] - at <= _PICK_REACH:
        if _REPLAY_BEFORE.search(scan.text, at, found[1]) or _REPLAY_AFTER.match(
            scan.text, found[2]
        ):
            return None
        return found
    person = _PERSON.match(scan.text, at, clause_end)
    if person is not None:
        return ShotPick(kind="faces"), person.start(1), person.end()
    return _glossed_pick(scan, at, clause_end)


def _glossed_pick(scan: Scan, at: int, clause_end: int) -> tuple[ShotPick, int, int] | None:
    """The pick said in a bracketed gloss of the verb's object, spanning to its bracket."""
    gloss = _GLOSS.match(scan.text, clause_end)
    if gloss is None or clause_end - at > _PICK_REACH:
        return None
    found = find_pick(scan.text, gloss.start(1), gloss.end(1), scan.quantities())
    return None if found is None else (found[0], at, gloss.end())


def _read_placed_picks(scan: Scan) -> None:
    """Picks followed by where they go: "with the most colourful shot at the end"."""
    start = 0
    while (found := find_pick(scan.text, start, len(scan.text), scan.quantities())) is not None:
        pick, a, b = found
        start = b
        place = _PLACED.match(scan.text, b)
        if place is None or pick.kind == "time" or not scan.is_free(a, place.end()):
            continue
        key = "end_on" if _PLACED_AT_END.search(place.group(0)) else "start_on"
        if scan.negated(a) or key in scan.fields:
            continue
        scan.set(key, pick.model_dump(exclude_none=True), scan.raw[a : place.end()])
        scan.take(a, place.end(), key)
