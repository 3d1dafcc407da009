"""Which source moment each output frame shows, found by frame fingerprints.

A fingerprint is a 16x16 grey thumbnail with its mean removed and its contrast normalised,
so a frame still matches its source when it was dimmed by a fade, turned grey, tinted or
re-encoded. Correlation with every decoded source frame picks the nearest; a frame too
flat to fingerprint (black) or too far from every source frame stays unmatched and is
reported as such, never guessed. The matches are grouped into segments by
``_segments`` and the changes between segments classified by ``_joins``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._footage import Footage

__all__ = ["Match", "match_frames", "shows_as_well"]

# 1 - correlation above which a frame matches nothing (re-encodes stay well under 0.05).
MATCH_DISTANCE = 0.2
# Thumbnails with less contrast than this (0-255 grey) are black/flat: no fingerprint.
FLAT_STD = 3.0
# Candidates this close to the best correlation are ties: a still picture plays for them.
_TIE = 0.003
# The least time after which a repeating picture's moment may come round again.
_MIN_PERIOD_S = 0.3
# How far a repeating picture's chosen moment may stray from plain play on (source s).
_FOLLOW_S = 0.15
# Play on through tied frames: how far back (output s) the play leading to them is read, the
# span of its timed frames that tells its pace (and the least that does), and the fastest
# play that is still play, not a jump.
_PLAY_BACK_S = 3.0
_PACE_S = 1.0
_PACE_LEAST_S = 0.25
_MAX_PACE = 8.5


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
    # The single best correlation's moment, before ties were settled by play going on: noisy
    # on a near-still picture, but free of the pace that settling follows.
    nearest_t: float | None = None


def _normalise(thumbs: NDArray[np.float32]) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    centred = thumbs - thumbs.mean(axis=1, keepdims=True)
    std = centred.std(axis=1)
    usable = std >= FLAT_STD
    scaled = centred / np.maximum(std, 1e-6)[:, None] / np.sqrt(thumbs.shape[1])
    return scaled.astype(np.float32), usable


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
        nearest = best
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
            anchor, pace = _play_on(matches, previous, float(step[best]))
            expected = anchor.source_t + (float(t) - anchor.output_t) * pace
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
            nearest_t=float(when[nearest]) if owner[nearest] == owner[best] else None,
        )  # fmt: skip
        matches.append(previous)
    return matches


def shows_as_well(render: Footage, source: Footage, match: Match, t: float) -> bool:
    """Whether ``match``'s output frame shows moment ``t`` of ``source`` as well as its match.

    A still picture ties over a stretch of its shot: any moment of it is as good a match as
    the one chosen, and ``t`` is one of them when it ties with the chosen moment (as above).
    """
    if match.source is None or not len(source.times):
        return False
    k = int(np.argmin(np.abs(source.times - t)))
    shown, _ = _normalise(render.thumbs[match.index : match.index + 1])
    banks = [source.thumbs]
    if len(source.thumbs_mean) == len(source.thumbs):
        banks.append(source.thumbs_mean)  # a graded render matches the plain-mean greys
    best = max(float((shown @ _normalise(bank[k : k + 1])[0].T)[0, 0]) for bank in banks)
    return 1.0 - best <= match.distance + _TIE


def _play_on(matches: list[Match], previous: Match, step: float) -> tuple[Match, float]:
    """Where play stood at its last timed frame, and its pace (source s per output s).

    Play on through tied frames (a still picture) follows the play that led to them: ties tell
    no time, and stepped on at 1x from frame to frame they lag behind play at any other speed.
    The pace is the slope of the timed frames over the last ``_PACE_S`` of them, read back
    while one clip plays on (no jump, no unmatched frame); with too few, ``previous`` (the last
    matched frame) at 1x.
    """
    timed: list[Match] = []
    later: Match | None = None
    for m in reversed(matches):
        if m.source != previous.source or previous.output_t - m.output_t > _PLAY_BACK_S:
            break
        if later is not None:
            gap = later.output_t - m.output_t
            if gap > 0.3 or abs(later.source_t - m.source_t) > _MAX_PACE * gap + 2.0 * step:
                break
        if not m.ambiguous:
            if timed and timed[0].output_t - m.output_t > _PACE_S:
                break
            timed.append(m)
        later = m
    if len(timed) < 3 or timed[0].output_t - timed[-1].output_t < _PACE_LEAST_S:
        return previous, 1.0
    x = np.array([m.output_t for m in timed])
    y = np.array([m.source_t for m in timed])
    slope, offset = (float(v) for v in np.polyfit(x, y, 1))
    if not 0.1 <= abs(slope) <= _MAX_PACE:
        return previous, 1.0
    # The fitted line at the last timed frame: one frame's rounding is no lasting offset.
    last = timed[0]
    return replace(last, source_t=slope * last.output_t + offset), slope


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
