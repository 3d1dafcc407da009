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


def test_a_level_after_keeping_the_audio_is_read_too() -> None:
    # "keep the audio" keeps it; the level said after it is still its loudness
    brief = parse_request("7 seconds, keep the audio at -14 LUFS, and end on the final scene.")
    assert brief.audio == "keep"
    assert brief.sound is not None and brief.sound.loudness_lufs == -14.0
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


@pytest.mark.parametrize(
    "text",
    [
        "every cut landing on a beat of the track, 6 s",
        "each edit should fall on a beat",
        "cuts that hit a beat of the music",
    ],
)
def test_each_cut_on_a_beat(text: str) -> None:
    # one beat for each cut: "a beat" asks the same as "the beat"
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.beats
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "close on a replay of the biggest action beat, 6 s",
        "open on a beat of silence",
        "the story beat where he falls, 6 s",
    ],
)
def test_a_beat_of_the_story_asks_no_beat_cuts(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is None or not brief.sound.beats


@pytest.mark.parametrize(
    "text",
    [
        "if no one could be cut off partway through a word",
        "nobody should be cut off mid-sentence",
        "make sure no one gets cut in the middle of a line",
    ],
)
def test_no_one_cut_off_mid_speech_asks_whole_words(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.whole_words


@pytest.mark.parametrize(
    "text", ["crop to 9:16 and make sure no one is cut off", "nobody gets cut from the edit"]
)
def test_no_one_cut_off_without_speech_asks_no_whole_words(text: str) -> None:
    # cut off at the frame's edge, or out of the edit: no middle of speech is named
    brief = parse_request(text)
    assert brief.sound is None or not brief.sound.whole_words


@pytest.mark.parametrize(
    "text",
    [
        "make sure none of the cuts land in the middle of someone speaking",
        "don't cut while someone is talking",
        "don't cut while someone's talking, 8 s",
        "avoid cutting when people are speaking",
        "no cuts during dialogue",
        "cuts should never fall in the middle of a sentence",
        "the cuts mustn't land mid-word",
        "no cut should fall in the middle of someone's line",
        "never interrupt a line",
        "don't interrupt anyone",
        "cut between lines of dialogue",
        "cuts only in the pauses between sentences",
    ],
)
def test_cuts_kept_out_of_speech_ask_whole_words(text: str) -> None:
    # The refused cut may be the act ("don't cut") or the thing ("none of the cuts land"),
    # and the middle of speech may be named by who speaks ("while someone is talking");
    # cuts placed in the gaps of speech ask the same.
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.whole_words
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "Keep the audio and make sure no cut lands in the middle of a word.",
        "don't let a cut land in the middle of a word",
        "don't let any cut fall in the middle of a sentence",
        "never let any of the cuts fall mid-word",
        "cuts shouldn't split a word",
        "no cut should split a word",
        "the cuts must not break up a sentence",
        "don't let the cuts chop words in half",
        "never cut into a word",
        "no cut through a word",
        "no cut should land partway through a word",
        "keep every word whole",
    ],
)
def test_a_cut_refused_inside_a_word_or_sentence_asks_whole_words(text: str) -> None:
    # The cut refused with "don't let", with speech as the object of a verb of cutting
    # ("split a word"), or through/into a word.
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.whole_words
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "don't let the video split into parts",
        "no cut should split the scene",
        "don't cut into the last shot",
        "cut through the middle of the clip",
        "cut into a word",
        "the cuts should split a word",
        "keep every shot whole",
    ],
)
def test_cuts_refused_elsewhere_or_asked_in_words_ask_no_whole_words(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is None or not brief.sound.whole_words


@pytest.mark.parametrize(
    "text",
    [
        "don't cut while the camera is moving",
        "cuts land in the middle of the clip",
        "cut between the two scenes",
        "don't cut the middle of the clip",
        "start on someone speaking",
        "no cuts, one continuous take",
        "keep the dialogue",
    ],
)
def test_cuts_or_speech_alone_ask_no_whole_words(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is None or not brief.sound.whole_words


@pytest.mark.parametrize(
    "text",
    [
        "the cuts must follow the beats of the music",
        "follow the music's beat",
        "cut it to the beat of the music",
        "edit in time with the music",
        "cuts synced with the music",
        "time the cuts to the beat",
        "the edit should follow the music",
        "cuts lined up with the drums",
    ],
)
def test_cuts_keeping_time_with_the_music_ask_beats(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.beats
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "audio"),
    [
        ("keep the music", "keep"),
        ("with the music, 6 s", "keep"),
        ("the music has a slow beat", None),
        ("follow the main character", None),
        ("the cuts must not follow the beat", None),
        ("don't cut to the beat", None),
    ],
)
def test_music_kept_or_beats_refused_ask_no_beats(text: str, audio: str | None) -> None:
    brief = parse_request(text)
    assert brief.sound is None or not brief.sound.beats
    assert brief.audio == audio


def test_beat_cuts_in_time_with_the_music_do_not_keep_the_audio() -> None:
    # "in time with the music" times the cuts; "with the music" alone keeps the audio
    assert parse_request("edit in time with the music, 6 s").audio is None
    assert parse_request("6 s, with the music").audio == "keep"
    assert parse_request("6 s, keep the picture in sync with the audio").audio == "keep"


@pytest.mark.parametrize("text", ["normalise to minus 18 LUFS", "loudness at negative 18 LUFS"])
def test_a_level_said_with_minus_in_words(text: str) -> None:
    brief = parse_request(text)
    assert brief.sound is not None and brief.sound.loudness_lufs == -18.0
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "whole_words"),
    [
        ("cut on the beat but never mid-word", True),
        ("keep the original sound and never cut inside a spoken word", True),
        ("cuts on the beat, not mid-sentence", True),
        # guards: no refusal, or a refusal of something else
        ("keep it mid-length", False),
        ("never cut on the beat", False),
    ],
)
def test_a_cut_refused_mid_word_with_its_verb_left_out(text: str, whole_words: bool) -> None:
    sound = parse_request(text).sound
    assert (sound is not None and sound.whole_words) == whole_words
