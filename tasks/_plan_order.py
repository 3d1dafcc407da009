"""The asked shot order over every window a plan ends up with, whoever added it.

Private to ``tasks.plan_edit``. ``windows_for`` gives the brief's windows in the asked order,
but later steps add more: a model's preferred shots (in the model's order), shots topped up
for length (in source order, before the end pick), the shot of a speed ask that no window
showed. With an order asked, each of them must take its place in that order, or the edit
shows the scenes out of the order the request named.
"""

from __future__ import annotations

from tasks._plan_windows import Window
from tasks.brief import Brief

__all__ = ["put_in_order"]


def put_in_order(windows: list[Window], brief: Brief) -> list[Window]:
    """``windows`` sorted into the brief's shot order, where it asks for one.

    Stay where they are: the start pick first and the end pick last (``pin`` put them
    there, and kept only windows that agree with them), and a window showing again moments an
    earlier window shows (a replay is a repeat by nature: no order can place it).
    """
    order = brief.shot_order()
    if order is None or len(windows) < 2:
        return windows
    fixed = {i for i, w in enumerate(windows) if _repeats(w, windows[:i])}
    if windows[0].why.startswith("start on"):
        fixed.add(0)
    if windows[-1].why.startswith("end on"):
        fixed.add(len(windows) - 1)
    free = [i for i in range(len(windows)) if i not in fixed]
    moved = sorted(
        (windows[i] for i in free),
        key=lambda w: (w.shot.source, w.lo),
        reverse=order == "reverse",
    )
    out = list(windows)
    for i, window in zip(free, moved, strict=True):
        out[i] = window
    return out


def _repeats(window: Window, before: list[Window]) -> bool:
    """Whether ``window`` shows moments one of ``before`` shows too."""
    return any(
        w.shot.source == window.shot.source and min(w.hi, window.hi) - max(w.lo, window.lo) > 0
        for w in before
    )
