"""Shots named by another shot of the request: "the scene right after it", "that closing scene".

The shot meant is the one referred to, moved as said: "close on the scene right after it"
after "start on scene 2" is scene 3; "the same scene it opens on" is the opening pick. A shot
said to sit next to an end is counted from it: "the scene after the first one" is scene 2,
"the scene before the last one" (or "the one just before the final scene") the second scene
from the end, never the end it is next to. A shot beyond an end ("the scene before the first
one") is recognised and names no shot.
"""

from __future__ import annotations

import re

from ._from_end import from_end
from ._scan import Scan
from .model import ShotPick

__all__ = ["find_reference"]

_NEXT = r"(?:(?:right|just|immediately|directly)\s+)?"
_SHOT = r"(?:scene|shot|one)"
# "the scene right after it", "the shot just before that one"
_BESIDE_IT = re.compile(
    rf"\b(?:the\s+)?{_SHOT}\s+{_NEXT}(?P<way>after|before)\s+(?:it|that|this)(?:\s+one)?\b"
)
# "the scene after the first one", "the shot just before the final scene"
_BESIDE_END = re.compile(
    rf"\b(?:the\s+)?{_SHOT}\s+{_NEXT}(?P<way>after|before)\s+the\s+(?:very\s+)?"
    r"(?P<end>first|opening|last|final|closing)\s+(?:scene|shot|one)\b"
)
# "the shot before the last scene fades": a moment, said by what the end does, not a scene
_END_DOES = re.compile(
    r"\s+(?:(?:has|have|is)\s+)?(?:fade|end|finish|start|begin|play|cut|come|go|roll|run)"
    r"(?:s|es|ed|d|ing|ning|ting)?\b"
)
# "the same scene it opens on", "the same shot the edit ends with"
_SAME_AS_END = re.compile(
    r"\b(?:the\s+)?same\s+(?:scene|shot)\s+(?:(?:it|we|the\s+\w+)\s+)?"
    r"(?P<verb>open|start|begin|end|close|finish)(?:s|ed)?\s+(?:on|with)\b"
)
# "that closing scene", "that same opening shot": the end already picked
_THAT_END = re.compile(
    r"\b(?:that|this|the\s+same)\s+(?:same\s+)?(?P<end>opening|first|closing|final|last)\s+"
    r"(?:scene|shot)\b"
)
_SCENE_NO = re.compile(r"\b(?:scene|shot)\s+(\d{1,2})\b")


def _end_key(word: str) -> str:
    return "start_on" if word in ("open", "start", "begin", "opening", "first") else "end_on"


def find_reference(scan: Scan, start: int, end: int) -> tuple[ShotPick | None, int, int] | None:
    """The first shot named by reference in ``scan.text[start:end]``, with its span.

    The pick is None when the reference is understood but names no shot the brief can hold.
    """
    found: list[tuple[ShotPick | None, int, int]] = []
    for m in _BESIDE_IT.finditer(scan.text, start, end):
        said = list(_SCENE_NO.finditer(scan.text, 0, m.start()))
        scene = int(said[-1].group(1)) + (1 if m.group("way") == "after" else -1) if said else 0
        found.append((ShotPick(kind="scene", scene=scene) if scene >= 1 else None, *m.span()))
    for m in _BESIDE_END.finditer(scan.text, start, end):
        first, after = m.group("end") in ("first", "opening"), m.group("way") == "after"
        pick = None  # beyond an end ("the scene before the first one"), or a moment
        if first == after and not _END_DOES.match(scan.text, m.end()):
            pick = ShotPick(kind="scene", scene=2) if first else from_end(2)
        found.append((pick, *m.span()))
    for rx, group in ((_SAME_AS_END, "verb"), (_THAT_END, "end")):
        for m in rx.finditer(scan.text, start, end):
            said_end = scan.fields.get(_end_key(m.group(group)))
            if said_end is not None:
                found.append((ShotPick(**said_end), *m.span()))
    return min(found, key=lambda f: f[1]) if found else None
