"""Which stretches of source a plan may use, in what order: the brief's ``use``, picks, speeds.

Private to ``tasks.plan_edit``: a ``Window`` is a stretch of one shot a segment may be cut
from, with why it is there; the planner fits their lengths afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tasks.brief import Brief, ShotPick
from tasks.brief.criteria import describe_portion
from tasks.shots import MIN_PIECE_S, MIN_WINDOW_S, Shot, use_spans

__all__ = [
    "MAX_SEGMENTS",
    "MOST_MOTION",
    "Window",
    "before_end",
    "carve",
    "is_end_pick",
    "top_up",
    "windows_for",
]

MAX_SEGMENTS = 24
MOST_MOTION = ShotPick(kind="most_motion")


@dataclass
class Window:
    """A stretch ``[lo, hi]`` of one shot that one segment is cut from, and why."""

    shot: Shot
    lo: float
    hi: float
    why: str
    speed: float = 1.0
    weight: float = 1.0
    pinned: bool = False
    # A segment cut from the window starts at ``lo`` / ends at ``hi`` (a time the user named),
    # rather than being centred on the shot's peak.
    anchor: Literal["lo", "hi"] | None = None
    # Neighbours played as one piece: the source's cut between them, which the segment is
    # centred on, so the cut plays between its joins rather than inside one of them.
    seam: float | None = None


def windows_for(
    brief: Brief,
    ordered: list[Shot],
    durations: list[float],
    preferred: list[int],
    join_s: float = 0.0,
) -> list[Window]:
    """The stretches of source the brief allows, one per (range, shot) overlap, in source order.

    ``join_s`` is what each join between segments costs of the output (a crossfade's overlap).
    """
    use = brief.use
    first = [s for s in ordered if s.source == 0] or ordered
    length = durations[first[0].source]
    if use is None or use.kind in ("all", "every_scene"):
        picked = ordered
        if use is None and preferred:
            by_index = {s.index: s for s in first}
            picked = [by_index[i] for i in preferred if i in by_index] or ordered
        why = "every scene" if use is not None else "representative shot"
        return [Window(s, s.start_s, s.end_s, why) for s in picked]
    stretches = use_spans(use, length)  # the stretches picks are read within, too
    if stretches is None:  # beginning, middle and end
        return _thirds(brief, first, length, join_s)
    if use.kind == "ranges":
        named = [f"range {a:g}-{b:g} s" for a, b in use.ranges]
        spans = [(lo, hi, why) for (lo, hi), why in zip(stretches, named, strict=True)]
    else:  # head, tail or portion: one stretch
        portion = use.portion if use.kind == "portion" else None
        why = describe_portion(portion) if portion else f"{use.kind} {use.seconds:g} s"
        spans = [(*stretches[0], why)]
    out = []
    for lo, hi, why in spans:
        pieces = _pieces(first, lo, hi, why)
        if use.kind in ("head", "tail", "ranges") and pieces and not _as_pieces(brief, hi - lo):
            # A stretch the user named plays as one piece: the source's own cuts inside it
            # stay cuts, and no transition or sliver of a shot is made up at them. Not when
            # its shots are asked for in reverse, or joined by crossfades or fades while the
            # edit keeps only part of it: then they are pieces, to be put in order or chosen
            # and joined as asked (one piece cut short would show no transition at all).
            main = max(pieces, key=lambda w: w.hi - w.lo)
            out.append(Window(main.shot, pieces[0].lo, pieces[-1].hi, why))
            continue
        if use.kind in ("head", "tail", "ranges") and _crossfaded_whole(brief):
            pieces = _by_scene(pieces)  # all of it plays: joined only where the shot changes
        # A sliver of a shot at a span's edge would flash by: not while longer pieces remain,
        # unless the asked length needs every second of the span.
        long = [w for w in pieces if w.hi - w.lo >= MIN_PIECE_S]
        out.extend(pieces if _short_of_target(brief, long) else long or pieces)
    return out


def _pieces(shots: list[Shot], lo: float, hi: float, why: str) -> list[Window]:
    """Each shot's part of ``[lo, hi]`` (none for a shot barely inside it), in source order."""
    return [
        Window(shot, max(lo, shot.start_s), min(hi, shot.end_s), why)
        for shot in shots
        if min(hi, shot.end_s) - max(lo, shot.start_s) >= MIN_WINDOW_S
    ]


def _by_scene(pieces: list[Window]) -> list[Window]:
    """Neighbouring parts of one scene as one window.

    A long take measured in parts is one picture: a crossfade inside it would blend the
    picture with itself a moment later.
    """
    out: list[Window] = []
    for w in pieces:
        last = out[-1] if out else None
        if last is not None and last.shot.scene_key == w.shot.scene_key and last.hi >= w.lo:
            main = last.shot if last.hi - last.lo >= w.hi - w.lo else w.shot
            out[-1] = Window(main, last.lo, w.hi, last.why)
        else:
            out.append(w)
    return out


def _thirds(brief: Brief, first: list[Shot], length: float, join_s: float) -> list[Window]:
    """One window per third of a clip ``length`` s long: its beginning, middle and end.

    A third plays from the shot holding most of it, grown over the parts of the same scene
    beside it: a long take measured in parts is one picture, with no cut between them. When
    those windows cannot play the asked length (and pay ``join_s`` per join), each grows over
    all of its third, and the source's own cuts inside it play through: still one piece per
    third, never a third's shot cut short while the rest of the footage lies unused.
    """
    grown: list[Window] = []
    whole: list[Window] = []
    for k, name in enumerate(("beginning", "middle", "end")):
        lo, hi = length * k / 3, length * (k + 1) / 3
        pieces = _pieces(first, lo, hi, name)
        if not pieces:
            continue
        main = max(pieces, key=lambda w: w.hi - w.lo)
        # Parts of one scene are neighbours (a scene is a stretch between cuts).
        run = [w for w in pieces if w.shot.scene_key == main.shot.scene_key]
        grown.append(Window(main.shot, run[0].lo, run[-1].hi, name))
        # Slivers of other scenes at the third's edges would flash by: not spanned.
        kept = [w for w in pieces if w.hi - w.lo >= MIN_PIECE_S or w in run]
        whole.append(Window(main.shot, kept[0].lo, kept[-1].hi, name))
    return whole if _short_of_target(brief, grown, join_s) else grown


def _as_pieces(brief: Brief, span: float) -> bool:
    """Whether a named stretch ``span`` s long plays as separate pieces of its shots.

    Reversed, its shots are put in order; joined by crossfades or fades while the asked length
    keeps only part of it, pieces are chosen from across it and joined as asked. Dips to black
    join the shots of the only stretch named, whatever the length: a dip overlaps nothing, so
    the pieces still play all of it, and one piece would have no join for the dips asked
    between its shots (between several named stretches, the dips join those). Crossfades join
    them too when no length is asked ("the first 6 s, crossfading between the shots"): each
    overlap shortens the edit, which only a length asked of all of it forbids.
    """
    use = brief.use
    only = use is not None and (use.kind != "ranges" or len(use.ranges) == 1)
    if brief.order == "reverse" or (brief.transitions == "fade" and only):
        return True
    if _crossfaded_whole(brief):
        return True
    target = brief.duration.target_s if brief.duration is not None else None
    joined = brief.transitions == "crossfade"
    return joined and target is not None and target < span


def _crossfaded_whole(brief: Brief) -> bool:
    """Crossfades asked in the only stretch named, with no length asked: all of it plays."""
    use = brief.use
    only = use is not None and (use.kind != "ranges" or len(use.ranges) == 1)
    no_length = brief.duration is None or brief.duration.target_s is None
    return brief.transitions == "crossfade" and only and no_length


def _short_of_target(brief: Brief, windows: list[Window], join_s: float = 0.0) -> bool:
    """Whether these windows, at the speed of the whole edit, play shorter than asked.

    Each join between them costs ``join_s`` of the output (a crossfade's overlap).
    """
    target = brief.duration.target_s if brief.duration is not None else None
    if target is None:
        return False
    speed = next((s.factor for s in brief.speeds if s.applies_to == "all"), 1.0)
    joins = join_s * max(0, len(windows) - 1)
    return sum(w.hi - w.lo for w in windows) / speed - joins < target


def carve(windows: list[Window], shot: Shot, ordered: list[Shot]) -> tuple[list[Window], Window]:
    """The windows with ``shot``'s own, and that window (the whole shot when none shows it).

    A named stretch plays as one window across the source's cuts ("the first 5 s"): the
    picked shot's part is cut out of it, and the rest of it stays where it was, so an edit
    that ends on "the last shot" of that stretch ends on that shot, inside the stretch.
    """

    def shown(w: Window) -> float:
        return (
            min(w.hi, shot.end_s) - max(w.lo, shot.start_s) if w.shot.source == shot.source else 0
        )

    holder = next((w for w in windows if w.shot == shot), None)
    holder = holder or next((w for w in windows if shown(w) >= MIN_WINDOW_S), None)
    if holder is None:
        return windows, Window(shot, shot.start_s, shot.end_s, "")
    lo, hi = max(holder.lo, shot.start_s), min(holder.hi, shot.end_s)
    mine = Window(shot, lo, hi, holder.why, holder.speed, holder.weight, holder.pinned)
    before = _part(holder, holder.lo, lo, ordered)
    after = _part(holder, hi, holder.hi, ordered)
    at = next(i for i, w in enumerate(windows) if w is holder)
    return [*windows[:at], *before, mine, *after, *windows[at + 1 :]], mine


def _part(whole: Window, lo: float, hi: float, ordered: list[Shot]) -> list[Window]:
    """``[lo, hi]`` of ``whole`` as a window of the shot holding most of it.

    None when that is a sliver: cut off from the rest, it would flash by on its own.
    """
    if hi - lo < MIN_PIECE_S:
        return []
    mine = [s for s in ordered if s.source == whole.shot.source]
    shot = max(mine, key=lambda s: min(hi, s.end_s) - max(lo, s.start_s))
    return [Window(shot, lo, hi, whole.why, whole.speed, whole.weight, whole.pinned)]


def is_end_pick(window: Window) -> bool:
    """Whether ``window`` is the end_on pick (``pin`` names it "end on ...")."""
    return window.why.startswith("end on")


def before_end(windows: list[Window], window: Window) -> None:
    """Add a window last, but before the end_on pick (which must stay last)."""
    ends = bool(windows) and is_end_pick(windows[-1])
    windows.insert(len(windows) - 1 if ends else len(windows), window)


def top_up(windows: list[Window], ordered: list[Shot], need: float, speed: float) -> list[Window]:
    """Add unused shots (source order, before the end pick) while the windows fall short."""
    used = {(w.shot.source, w.shot.index) for w in windows}
    for shot in ordered:
        if sum(w.hi - w.lo for w in windows) / speed >= need or len(windows) >= MAX_SEGMENTS:
            break
        if (shot.source, shot.index) not in used:
            before_end(windows, Window(shot, shot.start_s, shot.end_s, "added for length", speed))
    return windows
