"""Checks read off the render's own pictures and streams: length, fades, colour, joins, format.

Each check takes one criterion, the brief and the evidence, and returns its ``CheckResult``.
"""

from __future__ import annotations

from math import gcd

import numpy as np

from tasks.brief import Brief, CheckResult, Criterion

from ._evidence import BLACK, Evidence, result
from ._join_lengths import join_length, through_slivers
from ._joins import Join

__all__ = [
    "check_aspect",
    "check_audio",
    "check_colour",
    "check_duration",
    "check_fade",
    "check_size",
    "check_transition_length",
    "check_transitions",
]

# Mean HSV saturation (0-255) under which a picture is grey.
GREY_SATURATION = 12.0
# dBFS under which an audio track is silent.
SILENT_DBFS = -60.0
# A fade's length: read within this many seconds of its edge, from source frames at least this
# bright (a dark frame's gain is noise), and right within the larger of these.
_FADE_WINDOW_S = 6.0
_LIT = 16.0
# A piece's gains this close together (a share of their level) hold one level: no ramp.
_HELD = 0.05
_FADE_SLACK_S, _FADE_SLACK = 0.25, 0.2
_WARM_HUES = (4, 32)  # OpenCV hue (0-180) band of browns and oranges: sepia


def check_duration(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    ask = brief.duration
    assert ask is not None
    d = ev.render.duration_s
    slack = 0.5 / ev.render.fps  # a frame's rounding is no miss
    ok = True
    if ask.target_s is not None:
        ok &= abs(d - ask.target_s) <= ask.tolerance_s + slack
    if ask.min_s is not None:
        ok &= d >= ask.min_s - slack
    if ask.max_s is not None:
        ok &= d <= ask.max_s + slack
    return result(c, ok, f"the edit is {d:.2f} s", c.text.removeprefix("duration "))


def _fade_from_black(luma: np.ndarray, times: np.ndarray) -> tuple[bool, float, float, float]:
    """Whether ``luma`` (in playing order away from the edge) rises gradually from black.

    Returns:
        (fades, the edge frame's luma, the luma it rises to, seconds the rise takes).
    """
    window = luma[np.abs(times - times[0]) <= 2.5]
    top = float(window.max())
    first = float(luma[0])
    if first >= BLACK or first > 0.4 * top:
        return False, first, top, 0.0
    reach = int(np.argmax(window >= 0.8 * top))
    rising = window[:reach]
    between = int(((rising > first + 0.2 * (top - first)) & (rising < 0.8 * top)).sum())
    return between >= 2, first, top, abs(float(times[reach] - times[0]))


def _fade_length(ev: Evidence, opening: bool) -> float | None:
    """Seconds the fade at one end of the render lasts; None when too little of it matched.

    Matching holds through a fade, so each matched frame's luma over its source frame's is
    the fade's gain at that moment: it climbs in a straight line from 0 at the black edge
    to the picture's own level. The line's fit says when it gets there.
    """
    last = float(ev.render.times[-1])
    window = min(_FADE_WINDOW_S, last / 2)  # never into the other end's fade
    edge = ev.segments[0 if opening else -1] if ev.segments else None
    points, piece = [], []
    for m in ev.matches:
        if m.source is None:  # a tie (a still picture) is no use for timing, but its gain is
            continue
        own = float(ev.sources[m.source].luma[m.source_frame])
        t = m.output_t if opening else last - m.output_t
        if own >= _LIT and t <= window:
            points.append((t, float(ev.render.luma[m.index]) / own))
            if edge is not None and edge.first <= m.index <= edge.last:
                piece.append(points[-1])
    # A grading (black and white) changes each colour's luma by its own factor: every shot
    # has its own level. The piece the fade is on sets it, where that piece outlasts the fade.
    if len(piece) >= 4 and _settles(np.array(piece).T[1]):
        points = piece
    if len(points) < 4:
        return None
    times, gains = np.array(points).T
    level = float(np.percentile(gains, 90))  # the picture's own level, after the fade
    reached = times[gains >= 0.85 * level]
    if not reached.size:
        return None
    ramp = (gains > 0.15 * level) & (times < reached.min())
    if ramp.sum() < 3:  # shorter than a few frames: where the gain first reaches the level,
        # unless dark frames hide where that is (the first usable frame is already at it)
        hidden = not ramp.any() and float(times.min()) > 2.0 / ev.render.fps
        return None if hidden else float(reached.min())
    slope, offset = np.polyfit(times[ramp], gains[ramp], 1)
    return float((level - offset) / slope) if slope > 0 else None


def _settles(gains: np.ndarray) -> bool:
    """Whether a piece's gains reach a level and hold it (a ramp alone climbs through it)."""
    level = float(np.percentile(gains, 90))
    held = gains[gains >= 0.95 * level]
    return level > 0 and held.size >= 3 and float(held.max() - held.min()) <= _HELD * level


def check_fade(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """fade_in / fade_out: first/last frames near black, a gradual rise/fall, as long as asked."""
    opening = c.kind == "fade_in"
    asked = brief.fade_in if opening else brief.fade_out
    seconds = brief.fade_in_s if opening else brief.fade_out_s
    luma, times = ev.render.luma, ev.render.times
    if len(luma) == 0:
        return result(c, False, "no frame decoded", c.text)
    if not opening:
        luma, times = luma[::-1], times[::-1]
    fades, edge, top, took = _fade_from_black(luma, times)
    which = "first" if opening else "last"
    ok = fades == asked
    if fades:
        levels = f"{edge:.0f} \u2192 {top:.0f}" if opening else f"{top:.0f} \u2192 {edge:.0f}"
        what = "opens with a fade from black" if opening else "ends with a fade to black"
        measured = f"the edit {what} (luma {levels} over {took:.1f} s)"
        if asked and seconds is not None:
            length = _fade_length(ev, opening)
            if length is None:
                return result(c, None, measured + "; its length could not be read", c.text)
            ok = _within(length, seconds)
            measured += f", {length:.2f} s long"
    elif edge < BLACK and edge <= 0.4 * top:
        way = "in" if opening else "out"
        measured = f"the {which} frame is black (luma {edge:.0f}) but the picture cuts {way}"
    else:
        measured = f"the {which} frame is not black (luma {edge:.0f}/255)"
    return result(c, ok, measured, c.text)


def check_colour(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    lit = ev.render.luma >= BLACK
    sat = float(ev.render.saturation[lit].mean()) if lit.any() else 0.0
    looks = "grey" if sat < GREY_SATURATION else "colour"
    measured = f"mean saturation {sat:.0f}/255 ({looks})"
    if brief.colour == "monochrome":
        return result(c, sat < GREY_SATURATION, measured, "monochrome (saturation near 0)")
    if brief.colour == "sepia":
        warm = _warm_fraction(ev)
        measured += f", {warm:.0%} of tinted pixels brown-orange"
        ok = GREY_SATURATION / 2 <= sat <= 150 and warm >= 0.8
        return result(c, ok, measured, "sepia (a faint, uniformly warm brown tint)")
    # natural: colour kept, i.e. not much greyer than the source frames shown.
    shown = [
        float(ev.sources[m.source].saturation[m.source_frame])
        for m in ev.matches
        if m.source is not None and lit[m.index]
    ]
    source_sat = float(np.mean(shown)) if shown else sat
    measured += f"; the source frames shown have {source_sat:.0f}/255"
    ok = source_sat < GREY_SATURATION or sat >= 0.5 * source_sat
    return result(c, ok, measured, "natural colour, as in the source")


def _warm_fraction(ev: Evidence) -> float:
    hues = []
    for hsv in ev.render.colour_frames:
        if float(hsv[:, :, 2].mean()) < BLACK:
            continue
        tinted = hsv[:, :, 1] > 15
        hues.append(hsv[:, :, 0][tinted])
    if not hues:
        return 0.0
    all_hues = np.concatenate(hues)
    if len(all_hues) == 0:
        return 0.0
    lo, hi = _WARM_HUES
    return float(((all_hues >= lo) & (all_hues <= hi)).mean())


def check_transitions(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """The joins the edit made, each of the kind asked.

    The source's own shot changes that the render plays on through are measured and named
    too (the viewer sees them), but judged neither way: no join of the edit made them.
    """
    joins = ev.joins
    asked = brief.transitions
    own = _listed(ev.played_through)
    if not joins:
        if own:
            measured = f"no join made by the edit; it plays on through the source's own {own}"
        else:
            measured = "no shot changes (one continuous shot)"
        return result(c, asked == "cut", measured, c.text)
    measured = f"{len(joins)} shot change{'s' * (len(joins) > 1)}: {_listed(joins)}"
    if own:
        measured += f"; plus the source's own {own}, played through"
    return result(c, all(j.kind == asked for j in joins), measured, c.text)


def _within(length: float, seconds: float) -> bool:
    """A fade's or a join's length is right within the larger of a quarter second and 20%."""
    return abs(length - seconds) <= max(_FADE_SLACK_S, _FADE_SLACK * seconds)


def check_transition_length(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """transition_s: every join of the kind asked lasts as long as asked (see ``_join_lengths``).

    Every join, not their median: each one is a transition the viewer sees. A join that
    cannot be read (too dark, too short, two pictures alike) leaves the verdict open unless
    another one is already wrong; the joins of another kind are the transitions check's.
    """
    seconds = brief.transition_s
    assert seconds is not None
    joins = through_slivers([j for j in ev.joins if j.kind == brief.transitions])
    if not joins:
        return result(c, None, f"no {brief.transitions} join to measure", c.text)
    lengths = [join_length(ev.render, ev.sources, j, ev.segments) for j in joins]
    read = [n for n in lengths if n is not None]
    pairs = list(zip(joins, lengths, strict=True))
    # The wrong ones first: past the eighth a wrong join would otherwise go unnamed.
    pairs.sort(key=lambda p: p[1] is None or _within(p[1], seconds))
    listed = ", ".join(
        f"at {j.output_t:.1f} s: " + ("unreadable" if n is None else f"{n:.2f} s")
        for j, n in pairs[:8]
    )
    measured = f"{brief.transitions} lengths {listed}" + (
        f" and {len(joins) - 8} more" if len(joins) > 8 else ""
    )
    if any(not _within(n, seconds) for n in read):
        return result(c, False, measured, c.text)
    if len(read) < len(joins):
        return result(c, None, measured + "; not every join could be read", c.text)
    return result(c, True, measured, c.text)


def _listed(joins: list[Join]) -> str:
    """'cut at 2.6 s, crossfade at 4.0 s' (the first eight, then how many more)."""
    listed = ", ".join(f"{j.kind} at {j.output_t:.1f} s" for j in joins[:8])
    return listed + (f" and {len(joins) - 8} more" if len(joins) > 8 else "")


def _ratio(width: float, height: float) -> str:
    w, h = round(width), round(height)
    g = gcd(w, h) or 1
    if w // g <= 32 and h // g <= 32:
        return f"{w // g}:{h // g}"
    return f"{width / height:.2f}:1"


def check_aspect(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    assert brief.aspect is not None
    width = ev.render.width * ev.render.sample_aspect
    height = float(ev.render.height)
    a, b = (int(x) for x in brief.aspect.split(":"))
    ok = abs(width / height - a / b) <= 0.01 * (a / b)
    measured = f"the edit is {ev.render.width}x{ev.render.height} ({_ratio(width, height)})"
    return result(c, ok, measured, f"aspect {brief.aspect}")


def check_size(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    assert brief.size is not None
    size = (ev.render.width, ev.render.height)
    measured = f"the edit is {size[0]}x{size[1]}"
    return result(c, size == tuple(brief.size), measured, f"{brief.size[0]}x{brief.size[1]}")


def check_audio(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    audio = ev.render.audio
    silent = audio.codec is None or audio.rms_dbfs is None or audio.rms_dbfs <= SILENT_DBFS
    if audio.codec is None:
        measured = "the edit has no audio stream"
    elif audio.rms_dbfs is None:
        measured = f"the edit has an audio stream ({audio.codec}) with no decodable sound"
    else:
        quiet = " (silent)" if silent else ""
        measured = f"the edit has sound ({audio.codec}, {audio.rms_dbfs:.0f} dBFS){quiet}"
    if brief.audio == "mute":
        return result(c, silent, measured, "no sound (audio muted)")
    if not any(s.audio.codec for s in ev.sources):
        return result(c, None, measured + "; the sources have no audio to keep", c.text)
    return result(c, not silent, measured, "the source audio kept")
