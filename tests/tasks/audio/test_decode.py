"""Audio in the footage pass: read with the video, absent without failing, damage reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.audio import NO_AUDIO, read_audio
from tasks.footage import sample_frames
from tests.tasks.audio.conftest import PHRASES, SPEECH_S
from tests.tasks.audio.media import mux, speech_track


def test_a_clip_without_an_audio_track_is_not_an_error(tmp_path: Path) -> None:
    clip = mux(tmp_path / "silent.mkv", 2.0, None)

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=2, read_text=False)

    assert manifest.audio is not None and manifest.audio.stream is None
    assert not manifest.audio.present
    assert manifest.audio.notes == [NO_AUDIO] and NO_AUDIO in manifest.notes
    assert all(scene.audio is None for scene in manifest.scenes)
    assert manifest.decoded_frames == 48
    assert read_audio(clip) is None


def test_vtest_has_no_audio_and_samples_as_before(vtest: Path, tmp_path: Path) -> None:
    manifest = sample_frames(vtest, tmp_path / "frames", max_frames=2, read_text=False)

    assert manifest.audio is not None and manifest.audio.stream is None
    assert manifest.frames and manifest.lost_frames == 0


def test_audio_is_left_out_when_not_asked_for(tmp_path: Path) -> None:
    clip = mux(tmp_path / "a.mkv", 2.0, speech_track([], 2.0, tmp_path)[0])

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=1, audio=False)

    assert manifest.audio is None and all(s.audio is None for s in manifest.scenes)


def _damage_audio(clip: Path, start: float, end: float) -> int:
    """Overwrite the payload of the audio packets between ``start`` and ``end`` s with noise."""
    import av
    import numpy as np

    with av.open(str(clip)) as container:
        stream = container.streams.audio[0]
        spots = [
            (int(p.pos), int(p.size))
            for p in container.demux(stream)
            if p.size and p.pts is not None and start <= float(p.pts * p.time_base) < end
        ]
    data = bytearray(clip.read_bytes())
    noise = np.random.default_rng(3).integers(0, 256, size=len(data), dtype=np.uint8).tobytes()
    for pos, size in spots:
        # Keep the first bytes (AC-3's sync word), scramble the rest of the frame.
        data[pos + 8 : pos + size - 4] = noise[pos + 8 : pos + size - 4]
    clip.write_bytes(bytes(data))
    return len(spots)


def test_damaged_audio_is_reported_and_the_rest_stays_in_sync(tmp_path: Path) -> None:
    track, phrases = speech_track(PHRASES, SPEECH_S, tmp_path)
    clip = mux(tmp_path / "damaged.mkv", SPEECH_S, track, codec="ac3")
    damaged = _damage_audio(clip, 6.9, 7.8)  # between the second and third phrases
    assert damaged >= 10

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=2, read_text=False)

    audio = manifest.audio
    assert audio is not None and audio.stream is not None
    assert 0 < audio.stream.failed_packets <= damaged
    assert any("audio stream damaged" in note for note in manifest.notes)
    assert manifest.decoded_frames == round(SPEECH_S * 24)  # the video is untouched
    # What was lost became silence of its length: the second phrase is still on time.
    assert audio.stream.duration_s == pytest.approx(SPEECH_S, abs=0.1)
    assert audio.transcript is not None
    late = audio.transcript.between(phrases[2].start - 0.35, phrases[2].end + 0.35)
    assert late and late[0].start == pytest.approx(phrases[2].start, abs=0.35)
