"""Which source moment each output frame shows, found by frame fingerprints.

A fingerprint is a 16x16 grey thumbnail with its mean removed and its contrast normalised,
so a frame still matches its source when it was dimmed by a fade, turned grey, tinted or
re-encoded. Correlation with every decoded source frame picks the nearest; a frame too
flat to fingerprint (black) or too far from every source frame stays unmatched and is
reported as such, never guessed. Consecutive matches that play on continuously form
segments, whose slope (source seconds per output second) is the playback speed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tasks.shots import Shot

from ._footage import Footage

__all__ = ["Join", "Match", "Segment", "classify_joins", "match_frames", "segments", "shot_at"]

# 1 - correlation above which a frame matches nothing (re-encodes stay well under 0.05).
MATCH_DISTANCE = 0.2
# Thumbnails with less contrast than this (0-255 grey) are black/flat: no fingerprint.
FLAT_STD = 3.0
# Candidates this close to the best correlation are ties: a still picture plays for them.
_TIE = 0.003
# Source seconds per output second beyond which consecutive frames are a jump, not play.
_MAX_SPEED = 8.5
# The least time after which a repeating picture's moment may come round again.
_MIN_PERIOD_S = 0.3
# How far a repeating picture's chosen moment may stray from plain play on (source s).
_FOLLOW_S = 0.15


@dataclass(frozen=True)
class Match:
    """One output frame and the source frame it shows (``source`` None when unmatched)."""

    index: int
    output_t: float
    source: int | None
    source_t: float
    source_frame: int  # index into that source's decoded frames (-1 when unmatched)
    distance: float
    ambiguous: bool  # ties span several source frames: no use for timing
    # A repeating picture (a loop, bars sweeping) ties at other moments too: the offsets
    # (source s) to them. The frame may show any of those moments as well.
    shifts: tuple[float, ...] = ()


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


@dataclass(frozen=True)
class Join:
    """Where one segment gives way to the next, and how: 'cut', 'fade' or 'crossfade'."""

    output_t: float
    kind: str
    before: Segment
    after: Segment


def _normalise(thumbs: NDArray[np.float32]) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    centred = thumbs - thumbs.mean(axis=1, keepdims=True)
    std = centred.std(axis=1)
    usable = std >= FLAT_STD
    scaled = centred / np.maximum(std, 1e-6)[:, None] / np.sqrt(thumbs.shape[1])
    return scaled.astype(np.float32), usable


def shot_at(shots: list[Shot], source: int, t: float) -> Shot | None:
    """The shot of clip ``source`` that contains ``t`` (the last one past its end)."""
    own = sorted((s for s in shots if s.source == source), key=lambda s: s.start_s)
    for shot in own:
        if shot.start_s - 1e-3 <= t < shot.end_s:
            return shot
    return own[-1] if own and t >= own[-1].end_s else (own[0] if own else None)


def match_frames(render: Footage, sources: list[Footage]) -> list[Match]:
    """Nearest source frame for every decoded output frame (ties resolved by continuity)."""
    out, out_ok = _normalise(render.thumbs)
    banks = [_normalise(src.thumbs) for src in sources]
    if not banks or sum(len(b[0]) for b in banks) == 0:
        return [Match(i, float(t), None, 0.0, -1, 1.0, False) for i, t in enumerate(render.times)]
    bank = np.concatenate([b[0] for b in banks])
    bank_ok = np.concatenate([b[1] for b in banks])
    corr = out @ bank.T
    if all(len(src.thumbs_mean) == len(src.thumbs) for src in sources):
        # A graded render (grey, sepia) may weigh colours as their plain mean: its frames
        # then correlate best with the sources' plain-mean greys.
        plain = [_normalise(src.thumbs_mean) for src in sources]
        corr = np.maximum(corr, out @ np.concatenate([p[0] for p in plain]).T)
        bank_ok &= np.concatenate([p[1] for p in plain])
    owner = np.concatenate([np.full(len(b[0]), k) for k, b in enumerate(banks)])
    when = np.concatenate([src.times for src in sources])
    local = np.concatenate([np.arange(len(src.times)) for src in sources])
    step = np.concatenate([np.full(len(src.times), 1.0 / src.fps) for src in sources])
    corr[:, ~bank_ok] = -1.0
    sharper = _Outlines(render, sources, owner, local, when, step)
    matches: list[Match] = []
    previous: Match | None = None
    for i, t in enumerate(render.times):
        row = corr[i]
        best = int(np.argmax(row))
        distance = float(1.0 - row[best])
        if not out_ok[i] or distance > MATCH_DISTANCE:
            matches.append(Match(i, float(t), None, 0.0, -1, distance, False))
            continue
        ties = np.flatnonzero(row >= row[best] - _TIE)
        ambiguous = bool(
            len(set(owner[ties].tolist())) > 1
            or when[ties].max() - when[ties].min() > 2.5 * float(step[best])
        )
        if ambiguous and len(render.smalls) == len(render.times):
            # The thumbnails tie; the outlines in the larger pictures may not (a weak shape
            # on a strong shared gradient).
            sharp = sharper.ties(i, ties[np.argsort(-row[ties])][:_SHARP_CANDIDATES])
            if sharp is not None:
                best, ties = int(sharp[0]), sharp
                ambiguous = bool(
                    len(set(owner[ties].tolist())) > 1
                    or when[ties].max() - when[ties].min() > 2.5 * float(step[best])
                )
        if ambiguous and previous is not None and previous.source is not None:
            # A still picture or a repeating one: play on from the previous frame rather than
            # jump about.
            own = ties[owner[ties] == previous.source]
            expected = previous.source_t + float(t) - previous.output_t
            if len(own):
                best = int(own[np.argmin(np.abs(when[own] - expected))])
                # A picture that repeats (bars sweeping, a loop) ties at moments far apart;
                # when the tie around the chosen moment is one moment and play went on from
                # the previous frame, the time is known after all and may measure a speed.
                # A still picture ties over a whole stretch: its timing stays ambiguous.
                ambiguous = not (
                    _narrow(when[own], float(when[best]), float(step[best]))
                    and abs(float(when[best]) - expected) <= _FOLLOW_S
                )
        previous = Match(
            index=i,
            output_t=float(t),
            source=int(owner[best]),
            source_t=float(when[best]),
            source_frame=int(local[best]),
            distance=float(1.0 - row[best]),
            ambiguous=ambiguous,
            shifts=_shifts(when[ties[owner[ties] == owner[best]]], float(when[best]),
                           float(step[best])),
        )  # fmt: skip
        matches.append(previous)
    return matches


# Outline re-ranking of tied candidates: how many, and by how much the best must win.
_SHARP_CANDIDATES = 48
_SHARP_TIE = 0.03
_SHARP_LEAST = 0.5


class _Outlines:
    """Outline (edge) correlation of a render frame with tied source frames, cached."""

    def __init__(
        self,
        render: Footage,
        sources: list[Footage],
        owner: NDArray[Any],
        local: NDArray[Any],
        when: NDArray[Any],
        step: NDArray[Any],
    ) -> None:
        self.render, self.sources = render, sources
        self.owner, self.local, self.when, self.step = owner, local, when, step
        self.cache: dict[tuple[int, int, bool], NDArray[np.float32]] = {}

    def _edges(self, picture: NDArray[Any], shape: tuple[int, ...]) -> NDArray[np.float32]:
        import cv2

        grey = picture.astype(np.float32)
        if grey.shape != shape:
            grey = np.asarray(
                cv2.resize(grey, (shape[1], shape[0]), interpolation=cv2.INTER_AREA), np.float32
            )
        gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)
        edges = np.sqrt(gx * gx + gy * gy).ravel()
        edges -= edges.mean()
        norm = float(np.linalg.norm(edges))
        return np.asarray(edges / norm if norm > 1e-6 else edges, np.float32)

    def _source(self, k: int, shape: tuple[int, ...], plain: bool) -> NDArray[np.float32]:
        key = (int(self.owner[k]), int(self.local[k]), plain)
        if key not in self.cache:
            src = self.sources[key[0]]
            smalls = src.smalls_mean if plain and len(src.smalls_mean) else src.smalls
            self.cache[key] = self._edges(smalls[key[1]], shape)
        return self.cache[key]

    def ties(self, i: int, candidates: NDArray[Any]) -> NDArray[Any] | None:
        """The candidates whose outlines match frame ``i`` as well as the best (best first).

        None when outlines tell nothing apart (too few candidates, no outline, a poor fit).
        """
        if len(candidates) < 2:
            return None
        shown = self.render.smalls[i]
        mine = self._edges(shown, shown.shape)
        if not mine.any():
            return None
        scores = np.array(
            [
                max(float(mine @ self._source(int(k), shown.shape, p)) for p in (False, True))
                for k in candidates
            ]
        )
        order = np.argsort(-scores)
        if scores[order[0]] < _SHARP_LEAST:
            return None
        kept = order[scores[order] >= scores[order[0]] - _SHARP_TIE]
        if len(kept) == len(candidates):
            return None
        return np.asarray(candidates[kept])


def _shifts(times: NDArray[Any], chosen: float, step: float) -> tuple[float, ...]:
    """Offsets from ``chosen`` to the other single moments among tied ``times``.

    None for a still picture, whose ties run together.
    """
    if len(times) < 2 or not _narrow(times, chosen, step):
        return ()
    ordered = np.sort(times)
    groups: list[list[float]] = [[float(ordered[0])]]
    for value in ordered[1:]:
        if value - groups[-1][-1] <= 1.5 * step:
            groups[-1].append(float(value))
        else:
            groups.append([float(value)])
    out = []
    for group in groups:
        if group[-1] - group[0] > 2.5 * step:
            return ()  # a stretch of still picture among the ties: no single moments
        centre = group[min(range(len(group)), key=lambda k: abs(group[k] - chosen))]
        if abs(centre - chosen) > 2.5 * step:
            out.append(round(centre - chosen, 4))
    return tuple(out)


def _narrow(times: NDArray[Any], chosen: float, step: float) -> bool:
    """Whether the tied source times around ``chosen`` span at most ~2 frames (one moment)."""
    ordered = np.sort(times)
    k = int(np.searchsorted(ordered, chosen))
    lo = hi = min(k, len(ordered) - 1)
    while lo > 0 and ordered[lo] - ordered[lo - 1] <= 1.5 * step:
        lo -= 1
    while hi < len(ordered) - 1 and ordered[hi + 1] - ordered[hi] <= 1.5 * step:
        hi += 1
    # The same picture again a few frames on is a slow or held picture (animation drawn "on
    # twos"), not a repeat: a repeat comes round after a clearly different stretch.
    apart = (lo == 0 or ordered[lo] - ordered[lo - 1] >= _MIN_PERIOD_S) and (
        hi == len(ordered) - 1 or ordered[hi + 1] - ordered[hi] >= _MIN_PERIOD_S
    )
    return bool(ordered[hi] - ordered[lo] <= 2.5 * step and apart)


def _speed(run: list[Match]) -> float | None:
    timed = [m for m in run if not m.ambiguous]
    if len(timed) < 3 or timed[-1].output_t - timed[0].output_t < 0.25:
        return None
    x = np.array([m.output_t for m in timed])
    y = np.array([m.source_t for m in timed])
    return float(np.polyfit(x, y, 1)[0])


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


def _mean_step(thumbs: NDArray[np.float32], a: int, b: int) -> float:
    return float(np.abs(thumbs[b] - thumbs[a]).mean())


def _continuous(a: Segment, b: Segment, fps: float) -> bool:
    """Whether ``b`` plays on from where ``a`` stopped (a shot boundary, not an edit)."""
    if a.source != b.source:
        return False
    speed = a.speed if a.speed is not None else 1.0
    expected = a.src_end + (b.out_start - a.out_end) * speed
    return abs(b.src_start - expected) <= 2.5 / fps


def _source_small(
    src: Footage, t: float, shape: tuple[int, ...], plain: bool = False
) -> NDArray[np.float32]:
    k = int(np.clip(np.searchsorted(src.times, t), 0, len(src.times) - 1))
    if k > 0 and abs(src.times[k - 1] - t) < abs(src.times[k] - t):
        k -= 1
    smalls = src.smalls_mean if plain and len(src.smalls_mean) == len(src.smalls) else src.smalls
    picture: NDArray[np.float32] = smalls[k].astype(np.float32)
    if picture.shape != shape:
        import cv2

        picture = np.asarray(
            cv2.resize(picture, (shape[1], shape[0]), interpolation=cv2.INTER_AREA), np.float32
        )
    return picture


def _inside(shot: Shot | None, t: float) -> bool:
    return shot is None or shot.start_s - 0.05 <= t <= shot.end_s + 0.05


def _mix(
    shown: NDArray[np.float32], pa: NDArray[np.float32], pb: NDArray[np.float32]
) -> tuple[float, float, float] | None:
    """Least squares ``shown ~ x * pa + y * pb + c``: (x, y, residual RMS), None if alike."""
    # A and B must differ in structure, not only in level (one flat colour for another).
    design = np.stack([pa.ravel(), np.ones(pa.size, np.float32)], axis=1)
    fit, *_ = np.linalg.lstsq(design, pb.ravel(), rcond=None)
    if float(np.sqrt(np.mean((design @ fit - pb.ravel()) ** 2))) < _DISTINCT:
        return None
    design = np.stack([pa.ravel(), pb.ravel(), np.ones(pa.size, np.float32)], axis=1)
    (x, y, c), *_ = np.linalg.lstsq(design, shown.ravel(), rcond=None)
    residual = float(np.sqrt(np.mean((design @ np.array([x, y, c]) - shown.ravel()) ** 2)))
    return float(x), float(y), residual


# How far from the join a dip to black is looked for (a fade transition is ~0.5 s).
_DIP_REACH_S = 0.3
# A blend weight of the outgoing shot strictly between these is a mixed frame.
_MIXED = (0.15, 0.85)
# How much the mixed frames' weights must move across a join to be a crossfade.
_MIX_SPREAD = 0.2
# The two shots' pictures must differ by this much (0-255 RMS) for a weight to mean anything.
_DISTINCT = 4.0


def _blend_weights(
    render: Footage, sources: list[Footage], a: Segment, b: Segment, lo: int, hi: int
) -> list[float] | None:
    """Per output frame ``lo..hi``: how much of ``a``'s picture (1) versus ``b``'s (0) it shows.

    Each frame is fitted as ``x * A + y * B + c``, where A and B are what ``a`` and ``b`` would
    show at that moment had they played on (their source times carried on at their speeds):
    a crossfade mixes them over several frames, a cut switches in one. None when A and B look
    too alike to tell apart (a static camera between two close moments).
    """
    weights: list[float] = []
    usable = 0
    for k in range(lo, hi + 1):
        t = float(render.times[k])
        shown = render.smalls[k].astype(np.float32)
        ta = a.src_end + (t - a.out_end) * (a.speed if a.speed is not None else 1.0)
        tb = b.src_start + (t - b.out_start) * (b.speed if b.speed is not None else 1.0)
        if not (_inside(a.shot, ta) and _inside(b.shot, tb)):
            # Played on past its own shot, a segment would show another one: no prediction.
            weights.append(float("nan"))
            continue
        fits = [
            _mix(
                shown,
                _source_small(sources[a.source], ta, shown.shape, plain),
                _source_small(sources[b.source], tb, shown.shape, plain),
            )
            for plain in (False, True)
        ]
        found = [f for f in fits if f is not None]
        if not found:
            weights.append(float("nan"))
            continue
        x, y, _ = min(found, key=lambda f: f[2])  # the grey the render was made with fits best
        if x + y < 0.3:  # mostly black or unrelated: no weight
            weights.append(float("nan"))
            continue
        usable += 1
        weights.append(float(np.clip(x / (x + y), 0.0, 1.0)))
    return weights if usable >= 3 else None


def classify_joins(
    render: Footage, segs: list[Segment], matches: list[Match], sources: list[Footage]
) -> list[Join]:
    """Each change of segment, classified from the output frames around it.

    A dip of the luma to near black is a fade. Otherwise each frame around the join is
    fitted as a mix of the two shots: mixed frames (a weight between them on several frames)
    make a crossfade, a switch in one frame a cut. Where the two shots look too alike to fit,
    the old test decides: one frame-to-frame step carrying most of the change is a cut, a
    change spread over several frames a crossfade. A segment that plays on from where the
    previous one stopped (a measured shot boundary inside continuous play) is no join.
    """
    joins: list[Join] = []
    distances = np.array([1.0 if m.source is None else m.distance for m in matches])
    rate = (
        1.0 / max(1e-3, float(np.median(np.diff(render.times)))) if len(render.times) > 1 else 25.0
    )
    reach = max(2, round(0.75 * rate))
    for a, b in pairwise(segs):
        if _continuous(a, b, sources[a.source].fps if sources else rate):
            continue
        i, j = a.last, b.first
        lo, hi = max(a.first, i - reach), min(b.last, j + reach)
        luma = render.luma
        edge = min(float(luma[lo : i + 1].max()), float(luma[j : hi + 1].max()))
        # A dip through black sits at the join itself, not at the edit's opening fade-in or
        # closing fade-out a short segment away.
        near = max(1, round(_DIP_REACH_S * rate))
        dip = float(luma[max(lo, i - near) : min(hi, j + near) + 1].min())
        time = float((render.times[i] + render.times[j]) / 2)
        weights = (
            _blend_weights(render, sources, a, b, lo, hi)
            if sources and len(render.smalls)
            else None
        )
        if dip < 40.0 and dip < 0.4 * edge:
            kind = "fade"
        elif weights is not None:
            # A crossfade moves from one picture to the other: its mixed frames change weight
            # (a fit stuck at one mix is a picture neither shot explains, not a blend).
            mixed = [w for w in weights if _MIXED[0] < w < _MIXED[1]]
            gradual = len(mixed) >= 2 and max(mixed) - min(mixed) >= _MIX_SPREAD
            kind = "crossfade" if gradual else "cut"
        else:
            # A crossfade spreads the change over several frames, each a blend that matches
            # its source worse than the frames around it do.
            total = _mean_step(render.thumbs, lo, hi)
            steps = [_mean_step(render.thumbs, k, k + 1) for k in range(lo, hi)]
            spread = (max(steps) if steps else 0.0) < 0.5 * total
            distance = distances[lo : hi + 1]
            blended = int((distance > 3.0 * float(np.median(distance)) + 0.01).sum())
            kind = "crossfade" if spread and blended >= 2 else "cut"
        joins.append(Join(time, kind, a, b))
    return joins
