"""Which source moment each output frame shows, found by frame fingerprints.

A fingerprint is a 16x16 grey thumbnail with its mean removed and its contrast normalised,
so a frame still matches its source when it was dimmed by a fade, turned grey, tinted or
re-encoded. Correlation with every decoded source frame picks the nearest; a frame too
flat to fingerprint (black) or too far from every source frame stays unmatched and is
reported as such, never guessed. Consecutive matches that play on continuously form
segments, whose slope (source seconds per output second) is the playback speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

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
    owner = np.concatenate([np.full(len(b[0]), k) for k, b in enumerate(banks)])
    when = np.concatenate([src.times for src in sources])
    local = np.concatenate([np.arange(len(src.times)) for src in sources])
    step = np.concatenate([np.full(len(src.times), 1.0 / src.fps) for src in sources])
    corr = out @ bank.T
    corr[:, ~bank_ok] = -1.0
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
        if ambiguous and previous is not None and previous.source is not None:
            # A still picture: play on from the previous frame rather than jump about (its
            # timing is flagged ambiguous, so this guess never measures a speed).
            own = ties[owner[ties] == previous.source]
            expected = previous.source_t + float(t) - previous.output_t
            if len(own):
                best = int(own[np.argmin(np.abs(when[own] - expected))])
        previous = Match(
            index=i,
            output_t=float(t),
            source=int(owner[best]),
            source_t=float(when[best]),
            source_frame=int(local[best]),
            distance=float(1.0 - row[best]),
            ambiguous=ambiguous,
        )
        matches.append(previous)
    return matches


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
    out = []
    for run in runs:
        if len(run) < 2:
            continue  # one stray frame (often a blend) is noise, not a shot
        first, last = run[0], run[-1]
        assert first.source is not None
        times = [m.source_t for m in run]
        out.append(
            Segment(
                source=first.source,
                shot=shot_at(shots, first.source, float(np.median(times))),
                first=first.index,
                last=last.index,
                out_start=first.output_t,
                out_end=last.output_t,
                src_start=first.source_t,
                src_end=last.source_t,
                frames=len(run),
                speed=_speed(run),
            )
        )
    return out


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


def classify_joins(render: Footage, segs: list[Segment], matches: list[Match]) -> list[Join]:
    """Each change of segment, classified from the output frames around it.

    A dip of the luma to near black is a fade; one frame-to-frame step carrying most of the
    change is a cut; a change spread over several frames is a crossfade.
    """
    joins: list[Join] = []
    distances = np.array([1.0 if m.source is None else m.distance for m in matches])
    rate = (
        1.0 / max(1e-3, float(np.median(np.diff(render.times)))) if len(render.times) > 1 else 25.0
    )
    reach = max(2, round(0.75 * rate))
    for a, b in pairwise(segs):
        i, j = a.last, b.first
        lo, hi = max(a.first, i - reach), min(b.last, j + reach)
        luma = render.luma
        edge = min(float(luma[lo : i + 1].max()), float(luma[j : hi + 1].max()))
        dip = float(luma[lo : hi + 1].min())
        time = float((render.times[i] + render.times[j]) / 2)
        if dip < 40.0 and dip < 0.4 * edge:
            kind = "fade"
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
