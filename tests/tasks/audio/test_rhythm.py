"""Click tracks at known tempi: beats found (F-measure), tempo, onsets and loudness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tasks.footage import sample_frames
from tests.tasks.audio.media import RATE, click_track, mux

# mir_eval's default window for beat F-measure.
WINDOW = 0.07


def f_measure(reference: list[float], estimated: list[float], window: float = WINDOW) -> float:
    """Beat F-measure: each reference beat matched by at most one estimate within ``window``."""
    if not reference or not estimated:
        return 0.0
    unused = sorted(estimated)
    hits = 0
    for beat in reference:
        near = min(unused, key=lambda t: abs(t - beat), default=None)
        if near is not None and abs(near - beat) <= window:
            hits += 1
            unused.remove(near)
    precision, recall = hits / len(estimated), hits / len(reference)
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)


def test_f_measure_scores_misses_and_extras() -> None:
    assert f_measure([1.0, 2.0], [1.02, 2.05]) == 1.0
    assert f_measure([1.0, 2.0], [1.0, 1.5, 2.0, 2.5]) == pytest.approx(2 / 3)
    assert f_measure([1.0, 2.0], [1.2, 2.2]) == 0.0


@pytest.mark.parametrize("bpm", [90.0, 120.0, 140.0])
def test_click_track_beats_are_found_in_the_footage_pass(tmp_path: Path, bpm: float) -> None:
    track, beats = click_track(bpm, 12.0)
    clip = mux(tmp_path / f"clicks{bpm:.0f}.mkv", 12.0, track, codec="ac3")

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=2, read_text=False)

    audio = manifest.audio
    assert audio is not None and audio.stream is not None and audio.rhythm is not None
    assert audio.stream.codec == "ac3" and audio.stream.failed_packets == 0
    found = audio.rhythm.beats
    # The tracker settles in after a beat or two: score from the second second on.
    score = f_measure([b for b in beats if b >= 2.0], [t for t in found if t >= 2.0 - WINDOW])
    assert score >= 0.9, (beats, found)
    assert audio.rhythm.tempo_bpm == pytest.approx(bpm, rel=0.04)
    # Every click is an onset.
    assert f_measure(beats, audio.rhythm.onsets) >= 0.9
    # The transcript of a click track is empty: no voice, no invented words.
    assert audio.transcript is not None and audio.transcript.words == []
    assert not any(s.speech for s in audio.spans)


def test_loudness_is_measured_in_lufs(tmp_path: Path) -> None:
    """A full-scale 1 kHz sine reads -3.0 LUFS on BS.1770; at half amplitude, 6 dB lower."""
    t = np.arange(round(6.0 * RATE)) / RATE
    tone = np.sin(2 * np.pi * 997 * t).astype(np.float32)
    loud = mux(tmp_path / "loud.mkv", 6.0, 0.5 * tone, codec="pcm_s16le")
    quiet = mux(tmp_path / "quiet.mkv", 6.0, 0.25 * tone, codec="pcm_s16le")

    heard = [
        sample_frames(c, tmp_path / c.stem, max_frames=1, read_text=False).audio
        for c in (loud, quiet)
    ]

    levels = [a.loudness for a in heard if a is not None and a.loudness is not None]
    assert len(levels) == 2
    assert levels[0].integrated_lufs == pytest.approx(-9.0, abs=0.3)
    assert levels[1].integrated_lufs == pytest.approx(-15.0, abs=0.3)
    assert levels[0].peak_dbfs == pytest.approx(-6.0, abs=0.1)
