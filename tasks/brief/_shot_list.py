"""Shot lists and edit decision lists: one row per shot, in the order they play.

"Shot 1: scene 3, 2 s." / "1. Scene 4 -- 1.5 s" / "001  00:00:20-00:00:24  normal speed". A
list's rows are numbered from 1, one a line, each opening on the shot it shows (a scene, a
shot picked by what it shows or by reference, or a span of the source). What a list says:

- the first row's shot opens the edit and the last row's closes it (a span of the source is
  read as a source range by the rules of the footage used, and places no end);
- a speed said in a row is a speed of that row's shot only (see :mod:`tasks.brief._speeds`);
- a row's lengths (the shot's, "1 s of it", "(2 s on screen)") are lengths of that shot,
  never of the edit: the edit's is its stated total. Rows are not summed into one: joins
  that overlap (crossfades) make the total shorter than the rows' sum.
"""

from __future__ import annotations

import re

from ._refs import find_reference
from ._scan import Scan
from ._shot_picks import find_pick
from .model import ShotPick

__all__ = ["read_shot_list"]

# A row's label, at the start of a line: "Shot 1:", "shot #2 -", "1.", "2)", "001" (an EDL's
# event number, before its source timecode).
_ROW = re.compile(
    r"^[ \t*-]*(?:(?:shot|cut)\s*#?\s*(?P<shot>\d{1,2})\s*[:.)-]|(?P<item>\d{1,2})[.)](?=\s)|"
    r"(?P<event>\d{3})(?=\s+\d{1,2}:\d\d))",
    re.MULTILINE,
)
_SPAN = re.compile(r"\s*(\d{1,2}(?::\d\d){1,2}(?:\.\d+)?)\s*(?:-|to)\s*\d{1,2}(?::\d\d){1,2}")
_OPENING = 24  # chars of a row in which its shot must be named ("the scene before the ...")


def _seconds(clock: str) -> float:
    total = 0.0
    for part in clock.split(":"):
        total = total * 60 + float(part)
    return total


# (row start, row end, the shot it shows, that shot is a source span, where its naming ends)
_Row = tuple[int, int, ShotPick | None, bool, int]


def _row_shot(scan: Scan, a: int, b: int) -> tuple[ShotPick | None, bool, int] | None:
    """The shot a row opens on, whether it is a source span, its words' end; None if none."""
    lead = re.match(r"\s*(?:the\s+)?", scan.text[a:b])
    at = a + (lead.end() if lead else 0)
    span = _SPAN.match(scan.text, a, b)
    if span is not None:
        return ShotPick(kind="time", time_s=_seconds(span.group(1))), True, a
    ref = find_reference(scan, a, b)
    if ref is not None and ref[1] <= at:
        return ref[0], False, ref[2] if ref[0] is not None else a
    found = find_pick(scan.text, a, b, scan.quantities())
    if found is not None and found[1] - at <= _OPENING and found[0].kind != "time":
        return found[0], False, found[2]
    return None


def _rows(scan: Scan) -> list[_Row]:
    """The rows of the request's shot list, in order; none unless two or more."""
    rows: list[_Row] = []
    labels = list(_ROW.finditer(scan.text))
    for i, m in enumerate(labels):
        number = int(m.group("shot") or m.group("item") or m.group("event"))
        end = scan.text.find("\n", m.end())
        end = len(scan.text) if end < 0 else end
        if i + 1 < len(labels):
            end = min(end, labels[i + 1].start())
        shot = _row_shot(scan, m.end(), end)
        if shot is None or number != len(rows) + 1:
            if len(rows) >= 2:
                break  # the list ended
            rows = []  # a numbered list of other things, or one not from 1
            if shot is None or number != 1:
                continue
        rows.append((m.start(), end, *shot))
    return rows if len(rows) >= 2 else []


def read_shot_list(scan: Scan) -> None:
    """The ends a shot list places, its rows kept for speeds; each row's lengths taken."""
    rows = _rows(scan)
    scan.shot_rows = [(a, b, pick) for a, b, pick, _, _ in rows]
    for a, b, _, _, named in rows:
        scan.take(a, named)  # the label and the shot's name: no free text of their own
        for q in scan.quantities():
            if a <= q.start < b and not q.clock:
                scan.take(q.start, q.end)
    if not rows:
        return
    for key, (_, _, pick, is_span, _) in (("start_on", rows[0]), ("end_on", rows[-1])):
        if pick is not None and not is_span:
            scan.set(key, pick.model_dump(exclude_none=True), "shot list")
