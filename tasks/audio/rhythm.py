"""Beats, onsets and tempo of decoded samples (librosa's algorithms: ``tasks.audio._beats``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tasks.audio._beats import beat_frames, onset_frames, onset_strength, tempo_bpm
from tasks.audio.model import Rhythm

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["HOP", "rhythm"]

# 256 samples at 16 kHz: onsets and beats on a 16 ms grid, under half a frame at 30 fps.
HOP = 256
# Quieter than this (RMS, full scale 1) is silence: no beat is tracked in it.
_SILENCE_RMS = 1e-4
_MIN_S = 1.0


def rhythm(mono: npt.NDArray[np.float32], rate: int) -> Rhythm:
    """Track beats and detect onsets in ``mono``.

    Args:
        mono: Samples, one channel.
        rate: Their sample rate.

    Returns:
        Beat and onset times (seconds, 3 decimals) and the tempo; no beats for silence or
        under a second of audio, where a tempo means nothing.
    """
    if mono.size < _MIN_S * rate or float(np.sqrt(np.mean(mono**2))) < _SILENCE_RMS:
        return Rhythm(tempo_bpm=None, beats=[], onsets=[])
    envelope = onset_strength(mono, rate, HOP)
    bpm = tempo_bpm(envelope, rate, HOP) if envelope.any() else 0.0
    beats = beat_frames(envelope, rate, HOP, bpm)
    onsets = onset_frames(envelope, rate, HOP)
    return Rhythm(
        tempo_bpm=round(bpm, 2) if beats and bpm > 0 else None,
        beats=[round(f * HOP / rate, 3) for f in beats],
        onsets=[round(f * HOP / rate, 3) for f in onsets],
    )
