"""Clips with known sound, made once per module where they are slow to make."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tasks.audio.media import Phrase, mux, speech_track

PHRASES = (
    ("good morning everyone and welcome to the studio", 0.8),
    ("the weather today is sunny and warm", 4.5),
    ("please call me back tomorrow morning", 8.0),
)
SPEECH_S = 11.0


@pytest.fixture(scope="module")
def speech_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Phrase]]:
    """An 11 s clip whose AAC track speaks three known phrases at known times."""
    folder = tmp_path_factory.mktemp("speech")
    track, placed = speech_track(PHRASES, SPEECH_S, folder)
    return mux(folder / "speech.mkv", SPEECH_S, track), placed
