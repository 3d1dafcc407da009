"""``tasks.audio._beats`` computes what librosa 0.11 computes, without importing it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tasks.audio import _beats
from tasks.audio.rhythm import HOP
from tests.tasks.audio.media import click_track

RATE = 16_000  # the rate the footage pass analyses sound at
ROOT = Path(__file__).resolve().parents[3]


def _signals() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    t = np.arange(RATE * 10) / RATE
    tremolo = np.sin(2 * np.pi * 440 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 2 * t))
    signals = {f"clicks {bpm:g}": click_track(bpm, 12.0)[0] for bpm in (73.0, 120.0, 175.0)}
    signals["noise"] = 0.1 * rng.standard_normal(RATE * 8)
    signals["tremolo"] = 0.3 * tremolo
    # Clicks whose tempo drifts, under noise: the dynamic programme's choices matter here.
    drift = np.cumsum(np.full(40, 0.5) + np.linspace(0.0, 0.15, 40))
    beats = np.zeros(RATE * 22, np.float32)
    for at in drift[drift < 21.5]:
        start = round(at * RATE)
        beats[start : start + 400] += np.hanning(400) * 0.8
    signals["drifting"] = beats + 0.02 * rng.standard_normal(len(beats))
    return {name: np.asarray(y, np.float32) for name, y in signals.items()}


@pytest.mark.parametrize("name", list(_signals()))
def test_onsets_tempo_and_beats_equal_librosa(name: str) -> None:
    librosa = pytest.importorskip("librosa")
    y = _signals()[name]

    reference = librosa.onset.onset_strength(y=y, sr=RATE, hop_length=HOP)
    envelope = _beats.onset_strength(y, RATE, HOP)
    assert envelope.shape == reference.shape
    np.testing.assert_allclose(envelope, reference, atol=1e-4)

    tempo, beats = librosa.beat.beat_track(onset_envelope=reference, sr=RATE, hop_length=HOP)
    bpm = _beats.tempo_bpm(envelope, RATE, HOP)
    assert bpm == pytest.approx(float(np.atleast_1d(tempo)[0]))
    assert _beats.beat_frames(envelope, RATE, HOP, bpm) == [int(b) for b in beats]
    onsets = librosa.onset.onset_detect(onset_envelope=reference, sr=RATE, hop_length=HOP)
    assert _beats.onset_frames(envelope, RATE, HOP) == [int(o) for o in onsets]


def test_silence_has_no_beats_or_onsets() -> None:
    envelope = _beats.onset_strength(np.zeros(RATE * 3, np.float32), RATE, HOP)
    assert not envelope.any()
    assert _beats.beat_frames(envelope, RATE, HOP, 120.0) == []
    assert _beats.onset_frames(envelope, RATE, HOP) == []


def test_tracking_beats_does_not_import_librosa() -> None:
    """librosa.beat costs seconds of CPU to import in every process: the studio never does."""
    script = (
        "import sys, numpy as np\n"
        "from tasks.audio.rhythm import rhythm\n"
        "from tests.tasks.audio.media import click_track\n"
        "found = rhythm(click_track(120.0, 6.0)[0], 16000)\n"
        "assert found.beats, found\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('librosa', 'numba')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
