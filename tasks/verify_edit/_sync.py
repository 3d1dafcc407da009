"""Where a render's sound comes from: the source moment heard at an output time.

The frame mapping tells which source frame a render shows, but a still or slow shot ties
over several frames. The sound does not: a short window of the render's audio after a cut,
matched (normalised cross-correlation) against the source's audio around the mapped point,
gives the source time heard at the cut to a sample, also through a speed change (the source
is resampled by the speed first, as MoviePy's speed effect does).

Where the sound itself cuts is found the same way: with the source moments heard on either
side of a cut known, the render's samples between them are split where one side's sound
gives way to the other's (``switch_at``), or, in a crossfade, where one joins the other or
leaves it. That moment is what a listener hears, whatever
frame the picture changes on: a render's sound may cut half a frame before the frame that
shows the next shot, and MoviePy may show a source's pictures a frame ahead of its sound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Heard", "heard_at", "switch_at"]

# How far from the mapped point the sound is searched for (source s) and how long a window
# is matched (output s); below ``_MIN_SCORE`` the match says nothing (silence, noise).
_SEARCH_S = 0.35
_WINDOW_S = 0.4
_MIN_SCORE = 0.6
_QUIET = 1e-4
# A split of the samples between two sides that leaves more than this share of their energy
# unexplained is no split of those two sounds (a third sound, a fade, damage): unsure.
_MAX_RESIDUAL = 0.3
# Splits within this share of the render's energy of the best explain it as well: the sound
# there is too quiet or too alike on both sides to place the cut, which is then placed in
# the middle of the frames it may fall between.
_TIED = 1e-3


@dataclass(frozen=True)
class Heard:
    """One side of a cut: the render at ``out_t`` plays ``source`` at ``src_t``, at ``speed``.

    ``until`` is the other end of the output span (from ``out_t``) where that sound is known
    to play: before ``out_t`` for the side after a cut, after it for the side before one.
    """

    source: NDArray[np.float32]
    out_t: float
    src_t: float
    speed: float
    until: float

    def source_at(self, out_t: float) -> float:
        """The source time this side plays at output time ``out_t``."""
        return self.src_t + (out_t - self.out_t) * self.speed


def heard_at(
    render: NDArray[np.float32],
    source: NDArray[np.float32],
    rate: int,
    out_t: float,
    guess_s: float,
    *,
    speed: float = 1.0,
    span_s: float = _WINDOW_S,
) -> tuple[float, float] | None:
    """The source time whose sound plays at ``out_t`` of the render, or None when unsure.

    Returns ``(-score, time)``: the lower the first, the surer the match.

    Args:
        render: The render's mono samples at ``rate``.
        source: The source's mono samples at ``rate``.
        rate: Samples per second of both.
        out_t: The output time (the first frame after a cut).
        guess_s: The source time the frame mapping puts there.
        speed: Source seconds per output second in the segment after ``out_t``.
        span_s: How much output after ``out_t`` belongs to that segment.
    """
    window = min(_WINDOW_S, span_s)
    begin = round(out_t * rate)
    piece = render[begin : begin + round(window * rate)].astype(np.float64)
    if piece.size < rate // 20 or float(np.sqrt(np.mean(piece**2))) < _QUIET:
        return None
    lo = max(0.0, guess_s - _SEARCH_S)
    hi = min(source.size / rate, guess_s + _SEARCH_S + window * abs(speed))
    step = abs(speed) / rate  # source seconds per resampled sample
    grid = np.arange(lo, hi, step)
    if grid.size <= piece.size:
        return None
    stretched = np.interp(grid * rate, np.arange(source.size), source.astype(np.float64))
    scores = _normalised_correlation(stretched, piece)
    best = int(np.argmax(scores))
    if scores[best] < _MIN_SCORE:
        return None
    return -float(scores[best]), float(lo + best * step)


def _normalised_correlation(
    signal: NDArray[np.float64], piece: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Pearson-like score of ``piece`` against every same-length window of ``signal``."""
    n = piece.size
    centred = piece - piece.mean()
    dots = np.correlate(signal, centred, mode="valid")
    sums = np.convolve(signal, np.ones(n), mode="valid")
    squares = np.convolve(signal**2, np.ones(n), mode="valid")
    spread = np.sqrt(np.maximum(squares - sums**2 / n, 1e-12))
    scores: NDArray[np.float64] = dots / (spread * max(float(np.linalg.norm(centred)), 1e-12))
    return scores


def switch_at(
    render: NDArray[np.float32],
    rate: int,
    before: Heard,
    after: Heard,
    lo_t: float,
    hi_t: float,
    *,
    through: str = "",
) -> float | None:
    """Where in ``[lo_t, hi_t]`` the render's sound goes from ``before``'s to ``after``'s.

    The output time (within a few samples); None when the samples are no such split.

    Each side's sound is predicted over the span from its source (at the gain the render
    plays it at, fitted where that side is known to play); the split is the sample that
    leaves the least of the render unexplained. Sound too quiet or too alike on both sides
    to place the split is given the middle of the span.

    A crossfade mixes both sounds at full level: ``through`` names the side that plays on
    across the split too, "before" where the incoming piece's sound starts under the
    outgoing one's, "after" where the outgoing one's stops under the incoming one's.
    """
    a, b = round(lo_t * rate), round(hi_t * rate)
    if b <= a or b > render.size:
        return None
    heard = render[a:b].astype(np.float64)
    times = np.arange(a, b) / rate
    played = []
    for side in (before, after):
        gain = _gain(render, rate, side)
        if gain is None:
            return None
        played.append(gain * _predict(side, times, rate))
    one, two = played
    early = (heard - one - (two if through == "after" else 0.0)) ** 2
    late = (heard - two - (one if through == "before" else 0.0)) ** 2
    # cost[k]: the first k samples are ``before``'s, the rest ``after``'s.
    cost = np.concatenate(([0.0], np.cumsum(early))) + np.concatenate(
        ([float(late.sum())], float(late.sum()) - np.cumsum(late))
    )
    energy = float(np.dot(heard, heard))
    best = float(cost.min())
    if best > _MAX_RESIDUAL * energy + 1e-9:
        return None
    tied = np.flatnonzero(cost <= best + _TIED * energy + 1e-9)
    middle = (b - a) / 2
    k = int(tied[np.argmin(np.abs(tied - middle))])
    return (a + k) / rate


def _gain(render: NDArray[np.float32], rate: int, side: Heard) -> float | None:
    """The gain the render plays ``side``'s source at, fitted where that side is known to play."""
    lo, hi = sorted((side.out_t, side.until))
    own = np.arange(round(lo * rate), min(round(hi * rate), render.size)) / rate
    if own.size < rate // 20:
        return None
    sample = _predict(side, own, rate)
    played = render[round(lo * rate) : round(lo * rate) + own.size].astype(np.float64)
    power = float(np.dot(sample, sample))
    return float(np.dot(played, sample)) / power if power > 1e-12 else 1.0


def _predict(side: Heard, times: NDArray[np.float64], rate: int) -> NDArray[np.float64]:
    """``side``'s source samples at output ``times`` (resampled by its speed)."""
    positions = (side.src_t + (times - side.out_t) * side.speed) * rate
    grid = np.arange(side.source.size, dtype=np.float64)
    predicted: NDArray[np.float64] = np.interp(positions, grid, side.source.astype(np.float64))
    return predicted
