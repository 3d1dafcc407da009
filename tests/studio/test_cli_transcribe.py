"""``studio footage transcribe``: words with timings as text, JSON, SRT or WebVTT."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import srt
import webvtt

from tests.tasks.audio.conftest import PHRASES, SPEECH_S
from tests.tasks.audio.media import Phrase, mux, speech_track

STUDIO = [sys.executable, "-m", "studio.cli"]


def _studio(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STUDIO, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Phrase]]:
    folder = tmp_path_factory.mktemp("spoken")
    track, placed = speech_track(PHRASES, SPEECH_S, folder)
    return mux(folder / "spoken.mkv", SPEECH_S, track), placed


def test_srt_holds_the_phrases_at_their_times(spoken: tuple[Path, list[Phrase]]) -> None:
    clip, phrases = spoken

    result = _studio("footage", "transcribe", str(clip), "--srt")

    assert result.returncode == 0, result.stderr
    cues = list(srt.parse(result.stdout))
    assert cues
    text = " ".join(c.content for c in cues).lower()
    assert "welcome to the studio" in text and "tomorrow morning" in text
    starts = [c.start.total_seconds() for c in cues]
    for phrase in phrases:  # every phrase opens a cue (a pause precedes it)
        assert min(abs(s - phrase.start) for s in starts) <= 0.35


def test_json_and_vtt_file(spoken: tuple[Path, list[Phrase]], tmp_path: Path) -> None:
    clip, _ = spoken

    as_json = _studio("footage", "transcribe", str(clip), "--json")
    target = tmp_path / "out.vtt"
    as_vtt = _studio("footage", "transcribe", str(clip), "--vtt", "-o", str(target))

    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["model"].startswith("whisper-tiny.en") and data["notes"] == []
    assert all(w["start"] <= w["end"] for w in data["words"])
    assert "welcome" in data["text"].lower()
    assert any(s["speech"] for s in data["spans"])
    assert as_vtt.returncode == 0, as_vtt.stderr
    captions = webvtt.read(str(target)).captions
    assert " ".join(c.text for c in captions).lower().count("morning") == 2


def test_no_audio_is_a_note_not_an_error(tmp_path: Path) -> None:
    clip = mux(tmp_path / "mute.mkv", 1.0, None)

    result = _studio("footage", "transcribe", str(clip))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(no speech)"
    assert result.stderr.strip() == "note: no audio track"


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    missing = _studio("footage", "transcribe", str(tmp_path / "nope.mkv"))
    both = _studio("footage", "transcribe", str(tmp_path / "nope.mkv"), "--srt", "--json")

    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [f"error: no such file: {tmp_path / 'nope.mkv'}"]
    assert both.returncode == 2 and "choose one of" in both.stderr
