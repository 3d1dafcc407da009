"""Speeds a brief asks for one shot, and replays: which windows play slowed or again.

Private to ``tasks.plan_edit``, after ``tasks._plan_windows`` has chosen and pinned the
windows; the planner fits their lengths afterwards.
"""

from __future__ import annotations

from tasks._plan_windows import MOST_MOTION, Window, before_end, carve, is_end_pick
from tasks.brief import Brief
from tasks.brief.criteria import describe_pick
from tasks.shots import Shot, pick_shot

__all__ = ["apply_speeds"]


def apply_speeds(
    windows: list[Window], brief: Brief, ordered: list[Shot], durations: list[float]
) -> None:
    """Give the windows the speeds the brief asks for, and add the replays it asks for."""
    # A whole-edit speed first: a part's own speed is more specific and wins, in either order.
    for ask in sorted(brief.speeds, key=lambda a: a.applies_to != "all"):
        factor = min(4.0, max(0.25, ask.factor))
        if ask.applies_to == "all":
            for window in windows:
                window.speed = factor
            continue
        pick = ask.pick or MOST_MOTION
        shot = pick_shot(ordered, pick, brief.use, durations) or ordered[0]
        what = f"{factor:g}x {'replay' if ask.replay else 'speed'} of {describe_pick(pick)}"
        if ask.replay:
            _add_replay(windows, shot, ordered, describe_pick(pick), (what, factor))
            continue
        mine = next((w for w in windows if w.shot == shot), None)
        if mine is None:
            mine = Window(shot, shot.start_s, shot.end_s, what)
            before_end(windows, mine)
        mine.speed, mine.pinned = factor, True
        mine.why = f"{mine.why}; {what}" if mine.why != what else what


def _add_replay(
    windows: list[Window], shot: Shot, ordered: list[Shot], name: str, ask: tuple[str, float]
) -> None:
    """Replay a moment of ``shot`` that the edit shows earlier, last but the end pick.

    A replay is a moment seen again, so its showing is pinned (fitting never drops it) and the
    replay is cut from the same window: both centred on the shot's peak, the shorter plays
    inside the longer (``tasks._plan_fit.place``). The showing is the shot's own window; else
    its part of a stretch that holds it; else, when the end pick is that shot, the end pick,
    and the replay follows it (still ending on that shot); else the shot itself, played just
    before its replay. When the end pick is that shot and shown earlier, the replay takes its
    place: it ends on that shot, and a plain copy after it would end on something else.
    """
    what, factor = ask
    end = windows.pop() if windows and is_end_pick(windows[-1]) else None
    its_end = end if end is not None and end.shot == shot else None  # the end pick is the shot
    shown = next((w for w in windows if w.shot == shot), None)
    if shown is None and its_end is not None:
        what = f"{its_end.why}; {what}"
        its_end.why = f"{name} before its replay"
        shown, end = its_end, None
        windows.append(shown)
    elif shown is None:
        windows[:], shown = carve(windows, shot, ordered)
        if not any(w is shown for w in windows):
            shown.why = f"{name} before its replay"
            windows.append(shown)
    elif its_end is not None:
        what, end = f"{its_end.why}; {what}", None
    shown.pinned = True
    # Slowed, the replay plays as much source as a piece at speed does, so as long on screen
    # as it is slowed: at an equal share, a quarter-speed replay of a 10 s edit in 13 pieces
    # slowed 0.19 s of source, two frames of the street held for 0.8 s (no motion to see).
    weight = max(1.0, 1.0 / factor)
    windows.append(Window(shot, shown.lo, shown.hi, what, factor, weight=weight, pinned=True))
    windows.extend([end] if end is not None else [])
