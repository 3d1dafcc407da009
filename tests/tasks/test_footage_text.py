"""Title cards are read (OCR) in the footage pass and reach what a blind model reads."""

from __future__ import annotations

from pathlib import Path

from tasks.analyze_frames import frame_inputs
from tasks.footage import sample_frames
from tasks.verify_edit._text import similarity
from tests.tasks.audio.media import mux

CARDS = [(0.0, "CHAPTER ONE"), (2.0, "THE DARK FOREST"), (4.0, "EPILOGUE")]


def test_title_cards_are_read_into_the_descriptors(tmp_path: Path) -> None:
    clip = mux(tmp_path / "cards.mkv", 6.0, None, cards=CARDS, size=(480, 270))

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=6, strategy="uniform")

    for start, title in CARDS:
        frames = [f for f in manifest.frames if start <= f.timestamp < start + 2.0]
        assert frames
        for frame in frames:
            read = " ".join(frame.descriptors.text or [])
            assert similarity(title, read) >= 0.85, (title, frame.descriptors.text)
    inputs = frame_inputs(manifest.frames)
    assert all("text on screen:" in i.descriptors for i in inputs)
    assert any('"EPILOGUE"' in i.text for i in inputs)


def test_frames_without_text_say_so(tmp_path: Path) -> None:
    clip = mux(tmp_path / "box.mkv", 2.0, None)

    manifest = sample_frames(clip, tmp_path / "frames", max_frames=2)

    assert manifest.frames and all(f.descriptors.text == [] for f in manifest.frames)
    assert all("no text on screen" in f.descriptors.to_text() for f in manifest.frames)
