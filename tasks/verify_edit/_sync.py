"""Where a render's sound comes from: the source moment heard at an output time.

The frame mapping tells which source frame a render shows, but a still or slow shot ties
over several frames. The sound does not: a short window of the render's audio after a cut,
matched (normalised cross-correlation) against the source's audio around the mapped point,
gives the source time heard at the cut to a sample, also through a speed change (the source
is resampled by the speed first, as MoviePy's speed effect does).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["heard_at"]

# How far from the mapped point the sound is searched for (source s) and how long a window
# is matched (output s); below ``_MIN_SCORE`` the match says nothing (silence, noise).
_SEARCH_S = 0.35
_WINDOW_S = 0.4
_MIN_SCORE = 0.6
_QUIET = 1e-4


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
