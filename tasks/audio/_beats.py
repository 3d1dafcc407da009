"""Onset strength, tempo, beats and onsets: librosa 0.11's algorithms, in NumPy alone.

The studio used ``librosa.onset`` and ``librosa.beat`` for this. Importing them costs about
3 s of CPU in every new process (``librosa.beat`` compiles a numba kernel at import, uncached,
and pulls in SciPy's statistics and librosa's pitch module), and every job and CLI command that
analyses sound is a new process; the analysis itself takes about 50 ms. The same computations,
written out here with their defaults fixed, cost NumPy's import alone:

* onset strength (``librosa.onset.onset_strength``): a 128-band Slaney mel power spectrogram
  (2048-point periodic Hann STFT, centred with zero padding), in dB (80 dB floor), its
  positive first difference averaged over the bands, delayed to the frame centres;
* tempo (``librosa.feature.tempo``): the mean over frames of a normalised autocorrelation
  tempogram (8 s Hann windows), weighted by a log-normal prior around 120 BPM, below 320 BPM;
* beats (``librosa.beat.beat_track``): Ellis's dynamic programme (tightness 100) over the
  onset strength smoothed at the beat period, backtracked from the last strong beat, weak
  leading and trailing beats trimmed;
* onsets (``librosa.onset.onset_detect``): peak picking on the normalised onset strength.

``tests/tasks/audio/test_beats.py`` checks each against librosa itself where it is installed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["beat_frames", "onset_frames", "onset_strength", "tempo_bpm"]

_N_FFT = 2048
_N_MELS = 128
_TOP_DB = 80.0
_AC_SECONDS = 8.0
_START_BPM = 120.0
_MAX_BPM = 320.0
_TIGHTNESS = 100.0


def _hann(length: int) -> npt.NDArray[np.float64]:
    """The periodic Hann window (SciPy's ``get_window('hann', n, fftbins=True)``)."""
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(length) / length)


def _hz_to_mel(hz: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    mels = hz / (200.0 / 3)
    log_part = hz >= 1000.0
    mels[log_part] = 15.0 + np.log(hz[log_part] / 1000.0) / (np.log(6.4) / 27.0)
    return mels


def _mel_to_hz(mels: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    hz = mels * (200.0 / 3)
    log_part = mels >= 15.0
    hz[log_part] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mels[log_part] - 15.0))
    return hz


@lru_cache(maxsize=4)
def _mel_basis(rate: int) -> npt.NDArray[np.float32]:
    """Slaney-normalised triangular mel filters from 0 Hz to Nyquist (``librosa.filters.mel``)."""
    fft_hz = np.fft.rfftfreq(_N_FFT, 1.0 / rate)
    edges = _mel_to_hz(np.linspace(0.0, _hz_to_mel(np.array([rate / 2.0]))[0], _N_MELS + 2))
    widths = np.diff(edges)
    ramps = np.subtract.outer(edges, fft_hz)
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights: npt.NDArray[np.float32] = np.maximum(0.0, np.minimum(lower, upper)).astype(np.float32)
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights


def onset_strength(mono: npt.NDArray[np.float32], rate: int, hop: int) -> npt.NDArray[np.float32]:
    """Spectral flux onset strength, one value per ``hop`` samples (frame t at t * hop)."""
    padded = np.pad(mono.astype(np.float32, copy=False), _N_FFT // 2)
    frames = np.lib.stride_tricks.sliding_window_view(padded, _N_FFT)[::hop]
    # Windowed in double precision, kept in single, as librosa's STFT does.
    spectrum = np.fft.rfft(frames * _hann(_N_FFT), axis=-1).astype(np.complex64)
    power = spectrum.real**2 + spectrum.imag**2
    mel = power @ _mel_basis(rate).T  # (frames, bands)
    db = 10.0 * np.log10(np.maximum(1e-10, mel))
    db = np.maximum(db, db.max() - _TOP_DB)
    flux = np.maximum(0.0, db[1:] - db[:-1]).mean(axis=1)
    # Delayed by the difference's lag and the half window, as librosa centres it.
    delay = 1 + _N_FFT // (2 * hop)
    return np.concatenate([np.zeros(delay, np.float32), flux])[: len(db)].astype(np.float32)


def tempo_bpm(envelope: npt.NDArray[np.float32], rate: int, hop: int) -> float:
    """The global tempo: the autocorrelation tempogram's mean, weighted by a 120 BPM prior."""
    window = int(_AC_SECONDS * rate) // hop
    n = len(envelope)
    half = window // 2
    padded = np.pad(envelope.astype(np.float64), half, mode="linear_ramp", end_values=0)
    frames = np.lib.stride_tricks.sliding_window_view(padded, window)[:n] * _hann(window)
    size = 1 << int(np.ceil(np.log2(2 * window - 1)))
    spectrum = np.fft.rfft(frames, n=size, axis=-1)
    autocorr = np.fft.irfft(spectrum.real**2 + spectrum.imag**2, n=size, axis=-1)[:, :window]
    peak = np.abs(autocorr).max(axis=1, keepdims=True)
    peak[peak < np.finfo(np.float64).tiny] = 1.0
    tempogram = (autocorr / peak).mean(axis=0)
    with np.errstate(divide="ignore"):
        bpms = 60.0 * rate / (hop * np.arange(window, dtype=np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        prior = -0.5 * (np.log2(bpms) - np.log2(_START_BPM)) ** 2
    prior[: int(np.argmax(bpms < _MAX_BPM))] = -np.inf
    with np.errstate(invalid="ignore"):
        score = np.log1p(1e6 * tempogram) + prior
    return float(bpms[int(np.argmax(score))])


def beat_frames(envelope: npt.NDArray[np.float32], rate: int, hop: int, bpm: float) -> list[int]:
    """Frames of the beats at ``bpm`` (Ellis's dynamic programme, trimmed); [] without onsets."""
    if not envelope.any() or bpm <= 0:
        return []
    n = len(envelope)
    period = float(np.round(rate / hop * 60.0 / bpm))
    tiny = np.finfo(envelope.dtype).tiny
    onsets = envelope / (envelope.std(ddof=1) + tiny)
    taps = np.exp(-0.5 * (np.arange(-period, period + 1) * 32.0 / period) ** 2)
    k = len(taps)
    # Same-mode convolution as librosa's loop computes it, which leaves out the first
    # sample's product wherever the window still covers it.
    full = np.convolve(onsets.astype(np.float64), taps)
    local = full[k // 2 : k // 2 + n].copy()
    first = np.arange(n) + k // 2
    covered = first < k
    local[covered] -= taps[first[covered]] * float(onsets[0])
    local = local.astype(envelope.dtype)

    gaps = np.arange(int(np.round(period / 2)), int(2 * period) + 1)
    penalty = _TIGHTNESS * (np.log(gaps) - np.log(period)) ** 2
    cumulative = np.empty(n, local.dtype)
    backlink = np.full(n, -1, np.int64)
    threshold = 0.01 * float(local.max())
    first_beat = True
    for i in range(n):
        usable = gaps <= i
        best = -1
        score = float(local[i])
        if usable.any():
            candidates = cumulative[i - gaps[usable]] - penalty[usable]
            pick = int(np.argmax(candidates))
            best = i - int(gaps[usable][pick])
            score += float(candidates[pick])
        cumulative[i] = score
        if first_beat and local[i] < threshold:
            continue
        backlink[i] = best
        first_beat = False
    beats = np.zeros(n, bool)
    at = _last_beat(cumulative)
    while at >= 0:
        beats[at] = True
        at = int(backlink[at])
    return _trimmed(local, beats)


def _last_beat(cumulative: npt.NDArray[np.float64]) -> int:
    """The last local maximum of the cumulative score at least half their median."""
    peaks = np.zeros(len(cumulative), bool)
    if len(cumulative) > 2:
        inner = cumulative[1:-1]
        peaks[1:-1] = (inner > cumulative[:-2]) & (inner >= cumulative[2:])
    if len(cumulative) > 1:
        peaks[-1] = cumulative[-1] > cumulative[-2]
    if not peaks.any():
        return len(cumulative) - 1
    threshold = 0.5 * float(np.median(cumulative[peaks]))
    chosen = np.flatnonzero(peaks & (cumulative >= threshold))
    return int(chosen[-1]) if len(chosen) else len(cumulative) - 1


def _trimmed(local: npt.NDArray[np.float32], beats: npt.NDArray[np.bool_]) -> list[int]:
    """Drop beats at either end where the smoothed onset strength is under half its RMS."""
    smooth = np.convolve(local[beats], np.hanning(5))[2 : 2 + int(beats.sum())]
    threshold = 0.5 * float(np.sqrt(np.mean(smooth**2))) if len(smooth) else 0.0
    strong = np.flatnonzero(local > threshold)
    if not len(strong):
        return []
    keep = beats.copy()
    keep[: strong[0]] = False
    keep[strong[-1] + 1 :] = False
    return [int(f) for f in np.flatnonzero(keep)]


def onset_frames(envelope: npt.NDArray[np.float32], rate: int, hop: int) -> list[int]:
    """Frames of onsets: peaks of the normalised strength over their local mean plus 0.07."""
    x = envelope - envelope.min()
    x = x / (x.max() + np.finfo(x.dtype).tiny)
    if not x.any() or not np.all(np.isfinite(x)):
        return []
    pre_max = int(np.ceil(0.03 * rate // hop))
    post_max = 1
    pre_avg = int(np.ceil(0.1 * rate // hop))
    post_avg = pre_avg + 1
    wait = int(np.ceil(0.03 * rate // hop))
    delta = np.float32(0.07)
    n = len(x)
    found: list[int] = []
    first = x[0] >= x[: min(post_max, n)].max() and x[0] >= x[: min(post_avg, n)].mean() + delta
    if first:
        found.append(0)
    i = wait + 1 if first else 1
    while i < n:
        if x[i] != x[max(0, i - pre_max) : min(i + post_max, n)].max():
            i += 1
            continue
        if x[i] < x[max(0, i - pre_avg) : min(i + post_avg, n)].mean() + delta:
            i += 1
            continue
        found.append(i)
        i += wait + 1
    return found
