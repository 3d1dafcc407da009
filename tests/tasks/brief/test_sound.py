"""Sound asks (tasks/brief/_sound.py): whole words and loudness, however they are said."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "Seven seconds of the trailer, and don't chop anyone off mid-word.",
        "no cutting people off mid-sentence",
        "don't cut in the middle of words",
        "avoid cutting mid-sentence, 6 s",
        "never slice someone off mid word",
        "please don't split any words",
        "keep the words whole",
    ],
)
def test_whole_words_however_asked(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.whole_words
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text", ["chop it down to 6 s", "cut it in the middle, 6 s", "no words on screen"]
)
def test_cutting_or_words_alone_ask_no_whole_words(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is None or not brief.sound.whole_words


@pytest.mark.parametrize(
    ("text", "lufs"),
    [
        ("master it to -14 LUFS", -14.0),
        ("loudness at -16 LUFS", -16.0),
        ("with the audio normalised to -20 LUFS", -20.0),
        ("sound levelled to -18 LUFS", -18.0),
        ("target -23 LUFS", -23.0),
        ("mix at -16 LUFS please", -16.0),
    ],
)
def test_a_loudness_is_read_with_its_verb(text: str, lufs: float) -> None:
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.loudness_lufs == lufs
    assert brief.free_text == []


def test_audio_said_with_its_loudness_asks_no_keep() -> None:
    # "with the audio normalised" asks a loudness, not (also) that the audio be kept
    assert parse_request("10 s with the audio normalised to -20 LUFS").audio is None
    assert parse_request("10 s with the audio").audio == "keep"


@pytest.mark.parametrize(
    "text",
    [
        "cuts landing on the beat",
        "every cut falling on the beat, 6 s",
        "edits that hit the beat",
        "cuts synced to the music",
    ],
)
def test_beat_cuts_said_with_a_verb(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.beats
    assert brief.free_text == []
