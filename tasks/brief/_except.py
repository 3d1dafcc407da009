"""Scenes left out, kept as said: "everything except scene 2", "skip the third scene".

"Leave out the last scene", "all but the first scene", "without the dark scene at the end":
the edit draws on every scene but those named. Which stretches that leaves needs the
footage's scenes, so the brief keeps the scenes as picks (``SourceUse(kind="except")``) and
:mod:`tasks.on_footage` resolves them. Only a scene can be left out this way: "without the
music" or "drop the fades" name no shot, and "lose the first 2 seconds" is a trim
(:mod:`tasks.brief._trims`, read first).
"""

from __future__ import annotations

import re

from ._patterns import NUM, number
from ._scan import Scan
from ._shot_picks import SHOT, find_pick
from .model import ShotPick

__all__ = ["read_except"]

_LEAVE_OUT = re.compile(
    r"\b(?:(?:everything|all|the\s+whole\s+(?:thing|clip|video|footage|trailer))\s+"
    r"(?:except(?:\s+for)?|but|apart\s+from|other\s+than|save(?:\s+for)?|minus|bar)|"
    r"skip(?:s|ped|ping)?|drop(?:s|ped|ping)?|leav(?:e|es|ing)\s+out|left\s+out|"
    r"los(?:e|es|ing)|cut(?:s|ting)?\s+out|omit(?:s|ted|ting)?|remov(?:e|es|ed|ing)|"
    r"exclud(?:e|es|ed|ing)|without|minus|get\s+rid\s+of|ditch(?:es|ed|ing)?)\s+"
)
_ARTICLE = re.compile(r"(?:(?:the|a|an)\s+)?")
# A scene named by how it looks, not at its extreme: "the dark scene", "the bright shot".
_LOOKS = {
    "dark": "darkest", "darker": "darkest", "dim": "darkest", "gloomy": "darkest",
    "bright": "brightest", "brighter": "brightest", "sunny": "brightest",
    "busy": "most_motion", "busier": "most_motion", "hectic": "most_motion",
    "still": "least_motion", "static": "least_motion", "calm": "least_motion",
    "colourful": "most_colourful", "colorful": "most_colourful",
}  # fmt: skip
_LOOK = re.compile(rf"(?:the\s+)?({'|'.join(_LOOKS)})\s+{SHOT}")
# Where the scene by its look sits, said as a reminder: "the dark scene at the end".
_WHERE = re.compile(r"\s+(?:at|from|in)\s+the\s+(?:very\s+)?(?:end|start|beginning|middle)\b")
_SCENES = re.compile(rf"scenes\s+(?:#\s*)?({NUM}(?:\s*(?:,|and|&)\s*(?:#\s*)?{NUM})+)\b")
_MORE = re.compile(r"\s*(?:,|and|&|or)\s*(?:also\s+)?")
# Picks that name a scene: by place, or by a measure said of a shot ("the darkest scene").
_PLACES = frozenset({"scene", "first", "last", "scene_from_end"})


def _scene_at(scan: Scan, at: int, end: int) -> tuple[list[ShotPick], int] | None:
    """The scenes named right at ``at`` (after an article), and where they end."""
    listed = _SCENES.match(scan.text, at, end)
    if listed is not None:
        nums = re.split(r"\s*(?:,|and|&)\s*(?:#\s*)?", listed.group(1))
        return [ShotPick(kind="scene", scene=int(number(n))) for n in nums], listed.end()
    look = _LOOK.match(scan.text, at, end)
    if look is not None:
        where = _WHERE.match(scan.text, look.end(), end)
        pick = ShotPick(kind=_LOOKS[look.group(1)])  # type: ignore[arg-type]
        return [pick], where.end() if where else look.end()
    found = find_pick(scan.text, at, end, [])
    if found is None or not _ARTICLE.fullmatch(scan.text, at, found[1]):
        return None
    pick, _, b = found
    if pick.kind not in _PLACES and not re.search(SHOT, scan.text[found[1] : b]):
        return None  # "without the faces", "lose the brightest bits" name no scene
    where = _WHERE.match(scan.text, b, end) if pick.kind not in _PLACES else None
    return [pick], where.end() if where else b


def read_except(scan: Scan) -> None:
    """``use``: every scene but those said to be left out."""
    skip: list[ShotPick] = []
    said: list[str] = []
    for m in scan.find(_LEAVE_OUT):
        if scan.negated(m.start()):
            continue
        found = _scene_at(scan, m.end(), len(scan.text))
        b = m.end()
        while found is not None and scan.is_free(b, found[1]):
            skip.extend(p for p in found[0] if p not in skip)
            b = found[1]
            more = _MORE.match(scan.text, b)
            found = None if more is None else _scene_at(scan, more.end(), len(scan.text))
        if b == m.end():
            continue
        scan.take(m.start(), b)
        said.append(scan.raw[m.start() : b])
    if skip:
        picks = [p.model_dump(exclude_none=True) for p in skip]
        scan.set("use", {"kind": "except", "skip": picks}, "; ".join(said))
