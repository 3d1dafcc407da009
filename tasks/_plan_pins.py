"""Where the asked start and end shots go: first and last, at a named time or on a face.

``pin`` moves (or adds) the start_on shot's window first and the end_on shot's last, keeps
only the windows an asked order leaves between them, and places a named time or a seen face
at the window's outer edge, where the viewer is promised it.
"""

from __future__ import annotations

from typing import Literal

from tasks._plan_windows import Window, carve
from tasks.brief import Brief, ShotPick
from tasks.brief.criteria import describe_pick
from tasks.shots import MIN_PIECE_S, Shot, pick_shot, scene_count

__all__ = ["missing_scene_notes", "pin"]


def pin(
    windows: list[Window], brief: Brief, ordered: list[Shot], durations: list[float]
) -> list[Window]:
    """Move (or add) the start_on shot first and the end_on shot last.

    Picks are read within the stretch the brief asks for, as the verifier reads them. Of
    the shots a pick accepts alike (any shot with a face), an edit in an asked order opens
    on the one that comes first in it and closes on the one that comes last: only shots
    between the two can play, and picking the first face to end on leaves nothing before it.
    """
    picks = {"start": brief.start_on, "end": brief.end_on}
    chosen = {
        k: None if p is None else pick_shot(ordered, p, brief.use, durations, _prefer(brief, k))
        for k, p in picks.items()
    }
    if chosen["start"] is not None and chosen["start"] == chosen["end"]:
        windows, mine = carve(windows, chosen["start"], ordered)
        rest = [w for w in windows if w is not mine]
        assert brief.start_on is not None and brief.end_on is not None
        starts, ends = _at_time(mine, brief.start_on, "start"), _at_time(mine, brief.end_on, "end")
        mid = (mine.lo + mine.hi) / 2
        head = Window(mine.shot, mine.lo, mid, f"start on {describe_pick(brief.start_on)}")
        tail = Window(mine.shot, mid, mine.hi, f"end on {describe_pick(brief.end_on)}")
        head.pinned = tail.pinned = True
        # Each half keeps its own named time at its outer edge.
        head.anchor, tail.anchor = ("lo" if starts else None), ("hi" if ends else None)
        return [head, *rest, tail]
    windows = _keep_order(windows, brief, chosen["start"], chosen["end"])
    for key, picked in chosen.items():
        pick = picks[key]
        if picked is None or pick is None:
            continue
        windows, mine = carve(windows, picked, ordered)
        windows = [w for w in windows if w is not mine]
        mine.why = f"{key} on {describe_pick(pick)}"
        mine.pinned = True
        _at_time(mine, pick, key) or _on_face(mine, pick, key)
        windows = [mine, *windows] if key == "start" else [*windows, mine]
    return windows


def missing_scene_notes(brief: Brief, ordered: list[Shot]) -> list[str]:
    """A scene asked by its place that the footage does not have, said rather than dropped.

    "End on the third-to-last scene" of two scenes, "scene 5" of four: the pick names no
    shot, so the end stays the planner's own choice (a speed, its first shot's) and the
    verifier reports the ask unmeasured; the note tells the user why.
    """
    asks = [("start on", brief.start_on), ("end on", brief.end_on)]
    asks += [(f"{ask.factor:g}x speed of", ask.pick) for ask in brief.speeds]
    count = scene_count(ordered)
    return [
        f"{what} {describe_pick(pick)} asked, but the footage has only {count} "
        f"scene{'' if count == 1 else 's'}"
        for what, pick in asks
        if pick is not None
        and pick.kind in ("scene", "scene_from_end")
        and pick_shot(ordered, pick) is None
    ]


def _prefer(brief: Brief, key: str) -> Literal["earliest", "latest"] | None:
    """Which of the shots a start (end) pick accepts alike leaves the asked order most room."""
    order = brief.shot_order()
    if order is None:
        return None
    first = (order == "source") == (key == "start")
    return "earliest" if first else "latest"


def _at_time(window: Window, pick: ShotPick, key: str) -> bool:
    """A start (end) at a time the user names: the window begins (ends) at that time.

    The pick names the shot holding that time; the edit then starts (ends) on that very
    moment, not wherever the shot's peak would centre the segment. False when the pick names
    no time inside the window.
    """
    t = pick.time_s
    if pick.kind != "time" or t is None or not window.lo < t < window.hi:
        return False
    if key == "start":
        window.lo, window.anchor = t, "lo"
    else:
        window.hi, window.anchor = t, "hi"
    return True


def _on_face(window: Window, pick: ShotPick, key: str) -> bool:
    """A start (end) on a face: the window begins (ends) on a sampled frame showing one.

    A shot "with a face" may show it only for part of its length (a turn, a cut-away within
    the take), and the first and last frames are what the viewer is promised. The earliest
    (latest) face the shot was measured with that still leaves a piece long enough to play
    is used; the verifier reads the render's opening (closing) frames for the face. False
    when the shot has no such sampled face (shots measured before faces were timed).
    """
    if pick.kind != "faces":
        return False
    lo, hi = window.lo, window.hi
    times = [t for t in window.shot.face_s if lo <= t <= hi]
    if key == "start":
        fits = [t for t in times if hi - t >= MIN_PIECE_S]
        if not fits:
            return False
        window.lo, window.anchor = fits[0], "lo"
    else:
        # The out point is exclusive: ending at ``t`` shows the frame just before the one
        # the face was seen in, one frame period away.
        fits = [t for t in times if t - lo >= MIN_PIECE_S]
        if not fits:
            return False
        window.hi, window.anchor = fits[-1], "hi"
    return True


def _keep_order(
    windows: list[Window], brief: Brief, start: Shot | None, end: Shot | None
) -> list[Window]:
    """With an order asked for, keep only windows the start/end picks leave in that order.

    "Chronological, ending on the brightest shot" cannot show a shot from after the
    brightest one: moving the pick to the end would break the order, so those shots go.
    """
    order = brief.shot_order()
    if order is None:
        return windows
    sign = 1.0 if order == "source" else -1.0

    def at(source: int, t: float) -> tuple[float, float]:
        return (sign * source, sign * t)

    kept = windows
    if start is not None:
        first = at(start.source, start.start_s)
        kept = [w for w in kept if w.shot == start or at(w.shot.source, w.lo) >= first]
    if end is not None:
        last = at(end.source, end.start_s)
        kept = [w for w in kept if w.shot == end or at(w.shot.source, w.lo) <= last]
    return kept
