"""Matched frames grouped into segments: runs of output frames playing one shot on.

Consecutive matches that play on continuously form a segment, whose slope (source seconds
per output second) is the playback speed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tasks.shots import Shot

from ._matching import Match

__all__ = ["Segment", "in_shot", "played_on", "segments", "shot_at"]

# Source seconds per output second beyond which consecutive frames are a jump, not play.
_MAX_SPEED = 8.5
# A run of mostly tied frames is timed by each frame's own best moment when it has this many
# frames, and those moments lie this close (source s, RMS) to one line.
_NEAREST_LEAST = 10
_NEAREST_SCATTER_S = 0.15


@dataclass(frozen=True)
class Segment:
    """A run of output frames playing one shot continuously."""

    source: int
    shot: Shot | None
    first: int  # output frame indices, inclusive
    last: int
    out_start: float
    out_end: float
    src_start: float
    src_end: float
    frames: int
    speed: float | None  # source s per output s; negative when played backwards
    # Offsets by which the whole run could show other moments of its shot equally well
    # (a repeating picture); ``src_start``/``src_end`` are the moments continuity chose.
    shifts: tuple[float, ...] = ()


def in_shot(shot: Shot | None, t: float) -> bool:
    """Whether source moment ``t`` lies in ``shot`` (within a frame or so; any, if unknown)."""
    return shot is None or shot.start_s - 0.05 <= t <= shot.end_s + 0.05


def played_on(seg: Segment, t: float, *, from_first: bool = False) -> float:
    """The source moment ``seg`` would show at output time ``t``, played on at its speed.

    Carried on from its last matched frame, or (``from_first``) from its first: where the
    segment would have been before it was first matched (frames too dark to match).
    """
    speed = seg.speed if seg.speed is not None else 1.0
    if from_first:
        return seg.src_start + (t - seg.out_start) * speed
    return seg.src_end + (t - seg.out_end) * speed


def shot_at(shots: list[Shot], source: int, t: float) -> Shot | None:
    """The shot of clip ``source`` that contains ``t`` (the last one past its end)."""
    own = sorted((s for s in shots if s.source == source), key=lambda s: s.start_s)
    for shot in own:
        if shot.start_s - 1e-3 <= t < shot.end_s:
            return shot
    return own[-1] if own and t >= own[-1].end_s else (own[0] if own else None)


def _speed(run: list[Match]) -> float | None:
    timed = [m for m in run if not m.ambiguous]
    span = run[-1].output_t - run[0].output_t
    if len(run) >= _NEAREST_LEAST and (
        len(timed) < 3 or timed[-1].output_t - timed[0].output_t < 0.5 * span
    ):
        # Mostly tied frames (a near-still picture) follow the pace of the few timed ones,
        # blends of a crossfade among them: a street slowed to 0.5x read 0.70x off its first
        # 0.4 s. Each frame's own best moment, over the whole run, times it when it lies on
        # a line (a still picture's scatter does not).
        nearest = _nearest_speed(run)
        if nearest is not None:
            return nearest
    if len(timed) < 3 or timed[-1].output_t - timed[0].output_t < 0.25:
        return None
    x = np.array([m.output_t for m in timed])
    y = np.array([m.source_t for m in timed])
    return float(np.polyfit(x, y, 1)[0])


def _nearest_speed(run: list[Match]) -> float | None:
    """The slope of each frame's own best moment against time; None off a line."""
    points = [(m.output_t, m.nearest_t) for m in run if m.nearest_t is not None]
    if len(points) < _NEAREST_LEAST:
        return None
    x, y = np.array(points).T
    slope, offset = np.polyfit(x, y, 1)
    scatter = float(np.sqrt(np.mean((y - (slope * x + offset)) ** 2)))
    ok = scatter <= _NEAREST_SCATTER_S and 0.1 <= abs(float(slope)) <= _MAX_SPEED
    return float(slope) if ok else None


def segments(matches: list[Match], shots: list[Shot], fps: list[float]) -> list[Segment]:
    """Group matched frames into continuous runs of one shot (runs of one frame dropped)."""
    runs: list[list[Match]] = []
    for m in matches:
        if m.source is None:
            continue
        run = runs[-1] if runs else None
        if run is not None and _continues(run, m, shots, fps[m.source]):
            run.append(m)
        else:
            runs.append([m])
    out: list[Segment] = []
    for run in runs:
        if len(run) < 2:
            continue  # one stray frame (often a blend) is noise, not a shot
        first, last = run[0], run[-1]
        assert first.source is not None
        times = [m.source_t for m in run]
        shot = shot_at(shots, first.source, float(np.median(times)))
        # The frame nearest the middle that ties with other moments tells the run's shifts.
        shifted = [m for m in run if m.shifts]
        middle = (
            min(shifted, key=lambda m: abs(m.index - run[len(run) // 2].index)).shifts
            if shifted
            else ()
        )
        seg = Segment(
            source=first.source,
            shot=shot,
            first=first.index,
            last=last.index,
            out_start=first.output_t,
            out_end=last.output_t,
            src_start=first.source_t,
            src_end=last.source_t,
            frames=len(run),
            speed=_speed(run),
            shifts=tuple(
                d
                for d in middle
                if shot is None
                or (
                    shot.start_s - 0.1 <= min(first.source_t, last.source_t) + d
                    and max(first.source_t, last.source_t) + d <= shot.end_s + 0.1
                )
            ),
        )
        if out and seg.shifts:
            seg = _follow_on(out[-1], seg, fps[seg.source])
        out.append(seg)
    return out


def _follow_on(prev: Segment, seg: Segment, fps: float) -> Segment:
    """A repeating picture shows the moment that plays on from the previous segment, if any.

    Which of a loop's identical moments a run shows is unknowable from its frames; when one
    of them continues the previous segment's play (a stretch played across its source's own
    cut), that one is the simplest account of the edit.
    """
    if prev.source != seg.source:
        return seg
    speed = prev.speed if prev.speed is not None else 1.0
    expected = prev.src_end + (seg.out_start - prev.out_end) * speed
    if abs(seg.src_start - expected) <= 2.5 / fps:
        return seg
    for d in seg.shifts:
        if abs(seg.src_start + d - expected) <= 2.5 / fps:
            others = tuple(sorted({round(x - d, 4) for x in (0.0, *seg.shifts) if x != d}))
            return replace(seg, src_start=seg.src_start + d, src_end=seg.src_end + d, shifts=others)
    return seg


def _continues(run: list[Match], m: Match, shots: list[Shot], fps: float) -> bool:
    prev = run[-1]
    if prev.source != m.source:
        return False
    gap = m.output_t - prev.output_t
    if gap > 0.3:
        return False
    assert m.source is not None
    if shot_at(shots, m.source, prev.source_t) != shot_at(shots, m.source, m.source_t):
        return False
    delta = m.source_t - prev.source_t
    if abs(delta) > _MAX_SPEED * gap + 2.0 / fps:
        return False
    direction = run[-1].source_t - run[0].source_t
    # Play that turns round (forwards then backwards) is two segments.
    return not (direction * delta < 0 and abs(delta) > 1.5 / fps)
