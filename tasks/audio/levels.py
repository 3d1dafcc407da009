"""Loudness (ITU-R BS.1770 / EBU R128, by pyloudnorm) and peak level of decoded samples."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from tasks.audio.model import Loudness

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["MIN_LOUDNESS_S", "integrated_lufs", "loudness", "peak_dbfs"]

# BS.1770 gates 400 ms blocks: anything shorter has no integrated loudness.
MIN_LOUDNESS_S = 0.4


@lru_cache(maxsize=4)
def _meter(rate: int) -> Any:
    import pyloudnorm

    return pyloudnorm.Meter(rate)


def peak_dbfs(samples: npt.NDArray[np.float32]) -> float | None:
    """Sample peak in dBFS (0 is full scale); None for digital silence."""
    if samples.size == 0:
        return None
    peak = float(np.max(np.abs(samples)))
    return round(20.0 * math.log10(peak), 2) if peak > 0 else None


def integrated_lufs(samples: npt.NDArray[np.float32], rate: int) -> float | None:
    """Integrated loudness of ``samples`` (channels, n) in LUFS.

    Returns:
        The loudness, or None under ``MIN_LOUDNESS_S`` of audio or when everything is gated
        away (silence, which pyloudnorm reports as minus infinity).
    """
    if samples.ndim != 2 or samples.shape[1] < MIN_LOUDNESS_S * rate:
        return None
    with np.errstate(divide="ignore"):
        value = float(_meter(rate).integrated_loudness(np.ascontiguousarray(samples.T, np.float64)))
    return round(value, 2) if math.isfinite(value) else None


def loudness(samples: npt.NDArray[np.float32], rate: int) -> Loudness:
    """Integrated loudness and sample peak of ``samples`` (channels, n)."""
    return Loudness(integrated_lufs=integrated_lufs(samples, rate), peak_dbfs=peak_dbfs(samples))
