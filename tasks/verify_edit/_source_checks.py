"""Checks on which source moments the render shows: speed, coverage, order, direction of play.

They read the fingerprint mapping (``Evidence.segments``); picks such as "the brightest"
resolve through ``tasks.shots.pick_shot``, the same function the planner uses.
"""

from __future__ import annotations

from itertools import pairwise

from tasks.brief import Brief, CheckResult, Criterion
from tasks.brief.criteria import describe_pick, describe_portion
from tasks.shots import Shot, pick_shot

from ._evidence import (
    DASH,
    Evidence,
    no_match,
    pick_durations,
    result,
    same_shot,
    segment_name,
    shot_name,
)
from ._segments import Segment

__all__ = ["check_order", "check_playback", "check_speed", "check_use"]

SPEED_TOLERANCE = 0.15  # relative
# Slower than this a segment's direction is matching noise (a near-still picture).
_STILL_SPEED = 0.1
_EDGE = 0.25  # seconds of slack on source bounds (one sampled frame and then some)


def _key(seg: Segment) -> tuple[int, int]:
    return (seg.source, seg.shot.index if seg.shot else 0)


def check_speed(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    ask = brief.speeds[int(c.id.split("-")[1]) - 1]
    timed = [s for s in ev.segments if s.speed is not None]
    if not timed:
        measured = "no segment moves enough to time (still pictures or unmatched frames)"
        return result(c, None, measured + ev.unmatched_note, c.text)

    def fits(seg: Segment) -> bool:
        assert seg.speed is not None
        return abs(abs(seg.speed) - ask.factor) <= SPEED_TOLERANCE * ask.factor

    def words(seg: Segment) -> str:
        where = f"{seg.out_start:.1f}{DASH}{seg.out_end:.1f} s"
        return f"{abs(seg.speed or 0):.2f}x ({where}, {segment_name(ev, seg)})"

    listed = "; ".join(words(s) for s in timed[:6]) + (" …" if len(timed) > 6 else "")
    if ask.applies_to == "all":
        length = sum(s.out_end - s.out_start for s in timed)
        good = sum(s.out_end - s.out_start for s in timed if fits(s))
        measured = f"segments play at {listed}"
        return result(
            c, good >= 0.8 * length, measured + ev.unmatched_note, f"{ask.factor:g}x throughout"
        )
    target = (
        pick_shot(ev.shots, ask.pick, brief.use, pick_durations(brief, ev)) if ask.pick else None
    )
    if ask.pick and target is None:
        measured = f"no shot qualifies as {describe_pick(ask.pick)} in the source"
        return result(c, None, measured, c.text)
    hits = [s for s in timed if fits(s) and (target is None or same_shot(s.shot, target))]
    if ask.replay:
        # A replay shows again what the edit showed before it: the same moments shown only
        # after the slowed play are that moment first in slow motion, then at speed.
        hits = [
            h
            for h in hits
            if any(_overlaps(h, o) for o in ev.segments if o.out_start < h.out_start)
        ]
    if hits:
        h = hits[0]
        replay = " as a replay" if ask.replay else ""
        return result(c, True, f"{words(h)} plays at the asked speed{replay}", c.text)
    where = f" of {shot_name(target, 0, len(ev.sources) > 1)}" if target else ""
    measured = f"no segment{where} plays at {ask.factor:g}x{' as a replay' if ask.replay else ''}"
    return result(c, False, f"{measured} (measured: {listed})", c.text)


def _replays(brief: Brief, ev: Evidence, seg: Segment) -> bool:
    """Whether ``seg`` is a replay the brief asks: at a replay's speed, of moments shown before."""
    fast = abs(seg.speed) if seg.speed is not None else None
    return (
        fast is not None
        and any(
            ask.replay and abs(fast - ask.factor) <= SPEED_TOLERANCE * ask.factor
            for ask in brief.speeds
        )
        and any(_overlaps(seg, o) for o in ev.segments if o.out_start < seg.out_start)
    )


def _overlaps(a: Segment, b: Segment) -> bool:
    """Whether two segments show some of the same source moments.

    A repeating picture could be any of its equal moments (the segments' ``shifts``): the
    same pictures again are the same moment to the viewer, whichever one matching chose.
    """
    if a.source != b.source:
        return False
    for da in (0.0, *a.shifts):
        lo_a, hi_a = sorted((a.src_start + da, a.src_end + da))
        for db in (0.0, *b.shifts):
            lo_b, hi_b = sorted((b.src_start + db, b.src_end + db))
            if min(hi_a, hi_b) - max(lo_a, lo_b) > 0.1:
                return True
    return False


def _shown(ev: Evidence) -> str:
    parts = []
    for seg in sorted(ev.segments, key=lambda s: (s.source, min(s.src_start, s.src_end))):
        lo, hi = sorted((seg.src_start, seg.src_end))
        clip = f"clip {seg.source + 1} " if len(ev.sources) > 1 else ""
        parts.append(f"{clip}{lo:.1f}{DASH}{hi:.1f} s")
    return "the edit shows source " + ", ".join(parts)


def check_use(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    use = brief.use
    assert use is not None
    segs = ev.segments
    if not segs:
        return no_match(c, ev, c.text.removeprefix("uses "))
    bounds = [(s.source, min(s.src_start, s.src_end), max(s.src_start, s.src_end)) for s in segs]
    measured = _shown(ev)
    if use.kind in ("head", "tail"):
        n = use.seconds or 0.0
        if use.kind == "head":
            ok = all(any(hi <= n + _EDGE for _, hi in _options(s)) for s in segs)
        else:
            ok = all(
                any(lo >= ev.sources[s.source].duration_s - n - _EDGE for lo, _ in _options(s))
                for s in segs
            )
        which = "first" if use.kind == "head" else "last"
        return result(c, ok, measured + ev.unmatched_note, f"only the {which} {n:g} s")
    if use.kind == "ranges":
        # A repeating picture may show any of its identical moments: any of them counts.
        options = [_options(s) for s in segs]
        inside = all(
            any(a - _EDGE <= lo and hi <= b + _EDGE for a, b in use.ranges for lo, hi in spans)
            for spans in options
        )
        missed = [
            (a, b)
            for a, b in use.ranges
            if not any(
                min(hi, b) - max(lo, a) > 0 or a <= lo <= b for spans in options for lo, hi in spans
            )
        ]
        if missed:
            measured += "; nothing of " + ", ".join(f"{a:g}{DASH}{b:g} s" for a, b in missed)
        asks = "only " + ", ".join(f"{a:g}{DASH}{b:g} s" for a, b in use.ranges) + ", each of them"
        return result(c, inside and not missed, measured + ev.unmatched_note, asks)
    if use.kind == "portion" and use.portion is not None:
        a, b = use.portion
        inside = all(
            any(
                a * ev.sources[s.source].duration_s - _EDGE <= lo
                and hi <= b * ev.sources[s.source].duration_s + _EDGE
                for lo, hi in _options(s)
            )
            for s in segs
        )
        return result(
            c, inside, measured + ev.unmatched_note, f"only {describe_portion(use.portion)}"
        )
    if use.kind == "beginning_middle_end":
        return _thirds(c, ev, bounds)
    if use.kind in ("trim", "except"):  # left as said: the footage has nothing of the kind
        what = "the trims leave nothing" if use.kind == "trim" else "no such scene to leave out"
        return CheckResult(criterion=c, passed=None, measured=f"not measurable: {what}")
    return _every_shot(c, ev)


def _options(seg: Segment) -> list[tuple[float, float]]:
    """The source spans a segment may show: its own, and any a repeating picture allows."""
    lo, hi = sorted((seg.src_start, seg.src_end))
    return [(lo + d, hi + d) for d in (0.0, *seg.shifts)]


def _thirds(c: Criterion, ev: Evidence, bounds: list[tuple[int, float, float]]) -> CheckResult:
    offsets = [sum(s.duration_s for s in ev.sources[:k]) for k in range(len(ev.sources))]
    total = sum(s.duration_s for s in ev.sources) or 1.0
    seen = set()
    for k, lo, hi in bounds:
        a, b = (offsets[k] + lo) / total, (offsets[k] + hi) / total
        seen |= {third for third in range(3) if a < (third + 1) / 3 and b >= third / 3}
    names = ["beginning", "middle", "end"]
    missing = [names[t] for t in range(3) if t not in seen]
    measured = _shown(ev) + (f" (nothing from the {', '.join(missing)})" if missing else "")
    return result(c, not missing, measured + ev.unmatched_note, "the beginning, middle and end")


def _every_shot(c: Criterion, ev: Evidence) -> CheckResult:
    many = len(ev.sources) > 1
    if not ev.shots:
        return result(c, None, "no shots were measured in the source", c.text)
    # Scenes as a viewer counts them: the parts of one long take are one scene.
    seen = {s.shot.scene_key for s in ev.segments if s.shot}
    scenes: dict[tuple[int, int], Shot] = {}
    for shot in sorted(ev.shots, key=lambda s: (s.source, s.start_s)):
        scenes.setdefault(shot.scene_key, shot)
    missing = [key for key in scenes if key not in seen]
    count = len(scenes) - len(missing)
    measured = f"the edit shows {count} of {len(scenes)} scenes"
    if missing:
        names = [f"clip {k[0] + 1} scene {k[1]}" if many else f"scene {k[1]}" for k in missing]
        measured += "; missing " + ", ".join(names)
    return result(c, not missing, measured + ev.unmatched_note, "every scene of the source")


def check_order(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    segs = ev.segments
    if not segs:
        return no_match(c, ev, c.text)
    # An asked replay shows again what was shown before it: an extra, in no order of shots.
    replays = [s for s in segs if _replays(brief, ev, s)]
    # Consecutive segments of one shot are one appearance of it.
    appearances: list[Segment] = []
    for seg in (s for s in segs if s not in replays):
        if not appearances or _key(appearances[-1]) != _key(seg) or not seg.shot:
            appearances.append(seg)
    sequence = ", ".join(segment_name(ev, s) for s in appearances)
    positions = [(s.source, min(s.src_start, s.src_end)) for s in appearances]
    forwards = all(a <= b for a, b in pairwise(positions))
    backwards = all(a >= b for a, b in pairwise(positions))
    measured = f"the shots appear as {sequence}"
    if replays:
        measured += " (then " + ", ".join(f"a replay of {segment_name(ev, s)}" for s in replays)
        measured += ", in no order)"
    if brief.order == "source":
        return result(c, forwards, measured + ev.unmatched_note, "source order")
    if len({_key(s) for s in appearances}) == 1:
        # One shot only: reversed means it plays backwards.
        timed = [s.speed for s in segs if s.speed is not None]
        back = bool(timed) and all(v < 0 for v in timed)
        measured += " and plays " + ("backwards" if back else "forwards")
        return result(c, back, measured + ev.unmatched_note, "reverse order")
    return result(c, backwards, measured + ev.unmatched_note, "reverse order")


def check_playback(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """Time runs the asked way in the segments that move enough to time.

    Played backwards with no shot order asked, the whole edit runs backwards: its shots
    appear last to first as well.
    """
    timed = [s for s in ev.segments if s.speed is not None and abs(s.speed) >= _STILL_SPEED]
    if not timed:
        measured = "no segment moves enough to time (still pictures or unmatched frames)"
        return result(c, None, measured + ev.unmatched_note, c.text)
    back = brief.playback == "reverse"
    way, other = ("backwards", "forwards") if back else ("forwards", "backwards")
    wrong = [s for s in timed if ((s.speed or 0.0) < 0) != back]
    length = sum(s.out_end - s.out_start for s in timed)
    right = length - sum(s.out_end - s.out_start for s in wrong)
    measured = f"{right:.1f} of {length:.1f} s of timed play runs {way}"
    if wrong:
        named = ", ".join(f"{segment_name(ev, s)} at {s.out_start:.1f} s" for s in wrong[:4])
        measured += f" ({other}: {named})"
    passed = right >= 0.8 * length
    if back and brief.order is None:
        # Consecutive pieces of one shot are one appearance of it (a looping picture's
        # pieces may map to any of its equal moments); the shots must appear last to first.
        shown = [s for n, s in enumerate(timed) if n == 0 or _key(timed[n - 1]) != _key(s)]
        positions = [(s.source, max(s.src_start, s.src_end)) for s in shown]
        last_first = all(a >= b for a, b in pairwise(positions))
        passed = passed and last_first
        measured += "; the shots appear " + ("last to first" if last_first else "out of order")
    return result(c, passed, measured + ev.unmatched_note, f"time running {way}")
