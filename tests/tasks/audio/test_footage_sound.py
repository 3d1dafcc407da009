"""The footage pass hears a clip: per-scene words and beats, read by the scene analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.footage import sample_frames
from tests.tasks.audio.media import Phrase


def test_each_scene_gets_the_words_said_in_it(
    speech_clip: tuple[Path, list[Phrase]], tmp_path: Path
) -> None:
    clip, phrases = speech_clip

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=2, strategy="uniform")

    assert manifest.audio is not None and manifest.audio.transcript is not None
    (scene,) = manifest.scenes
    assert scene.audio is not None
    assert [w.text for w in scene.audio.words] == [w.text for w in manifest.audio.transcript.words]
    assert scene.audio.speech_s == pytest.approx(sum(p.end - p.start for p in phrases), abs=1.0)
    text = scene.audio.to_text()
    assert text.startswith("speech ") and "welcome to the studio" in text.lower()
    assert scene.audio.loudness_lufs is not None and -40 < scene.audio.loudness_lufs < -5


def test_megamind_has_a_transcript_and_beats(megamind: Path, tmp_path: Path) -> None:
    manifest = sample_frames(megamind, tmp_path / "frames", max_frames=8)

    audio = manifest.audio
    assert audio is not None and audio.stream is not None
    assert audio.stream.codec == "ac3" and audio.stream.failed_packets == 0
    assert audio.stream.duration_s == pytest.approx(manifest.video.duration, abs=0.5)
    assert audio.transcript is not None and len(audio.transcript.words) >= 20
    assert any(s.speech for s in audio.spans)
    assert audio.rhythm is not None and audio.rhythm.tempo_bpm is not None
    assert len(audio.rhythm.beats) >= manifest.video.duration  # more than one a second
    assert audio.loudness is not None and audio.loudness.integrated_lufs is not None
    # Words reach the scenes they were said in, and the analysis reads them.
    heard = [s for s in manifest.scenes if s.audio is not None and s.audio.words]
    assert heard
    words = sum(len(s.audio.words) for s in manifest.scenes if s.audio is not None)
    assert words == len(audio.transcript.words)
    assert all(0 <= w.start < manifest.video.duration for w in audio.transcript.words)
