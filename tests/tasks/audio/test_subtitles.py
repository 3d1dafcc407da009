"""Cues from words, written as SRT and WebVTT and read back; cues carried through an edit."""

from __future__ import annotations

import srt
import webvtt

from tasks.audio import Cue, Piece, Transcript, Word, cues, retime, to_srt, to_vtt


def _transcript() -> Transcript:
    said = [
        ("Hello", 0.5, 0.9),
        ("there.", 0.95, 1.3),
        ("This", 3.0, 3.2),
        ("is", 3.25, 3.35),
        ("a", 3.4, 3.45),
        ("test", 3.5, 3.9),
        ("of", 3.95, 4.05),
        ("subtitles", 4.1, 4.8),
        ("that", 4.85, 5.0),
        ("wrap", 5.05, 5.3),
        ("around", 5.35, 5.7),
    ]
    words = [Word(text=t, start=s, end=e, probability=0.9) for t, s, e in said]
    return Transcript(model="test", language="en", words=words)


def test_words_group_into_cues_on_pauses_sentences_and_length() -> None:
    made = cues(_transcript(), max_chars=24)

    assert [c.text for c in made] == [
        "Hello there.",
        "This is a test of",
        "subtitles that wrap",
        "around",
    ]
    assert made[0].start == 0.5 and made[0].end == 1.3
    assert all(len(c.text) <= 24 for c in made)


def test_srt_and_vtt_round_trip() -> None:
    made = cues(_transcript())

    parsed = list(srt.parse(to_srt(made)))
    assert [p.content for p in parsed] == [c.text for c in made]
    assert [p.start.total_seconds() for p in parsed] == [c.start for c in made]
    assert [p.index for p in parsed] == list(range(1, len(made) + 1))

    captions = webvtt.from_string(to_vtt(made)).captions
    assert [c.text for c in captions] == [c.text for c in made]
    assert captions[0].start == "00:00:00.500" and captions[0].end == "00:00:01.300"


def test_retime_follows_trims_speed_and_repeats() -> None:
    source = [Cue(1.0, 2.0, "one"), Cue(5.0, 6.0, "two")]
    edit = [
        Piece(source_start=5.5, source_end=7.0, output_start=0.0),  # "two", trimmed
        Piece(source_start=0.0, source_end=3.0, output_start=1.5, speed=2.0),  # "one", 2x
        Piece(source_start=5.0, source_end=6.0, output_start=3.0),  # "two" again, whole
    ]

    out = retime(source, edit)

    assert out == [Cue(0.0, 0.5, "two"), Cue(2.0, 2.5, "one"), Cue(3.0, 4.0, "two")]
