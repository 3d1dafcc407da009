"""Sound and colour said to stay as they are (tasks/brief/_rules.py, _kept.py): whose sound
it is, said before it ("the trailer's sound"), the sound then that it stays ("sound kept"),
colours named as shot ("the real colours"), and the thing kept named before its verb ("Sound:
keep it", "the colours keep them normal")."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "Keep the trailer's sound, make it 8 seconds",
        "keep the clip's audio",
        "keep the street footage's original sound",
        "retain the video's soundtrack, 6 s",
        "keep the clips' audio",
        "Six seconds of the trailer, close on a face, sound kept.",
        "audio left in, 5 s",
        "the music retained please",
        "sound left on",
    ],
)
def test_the_source_sound_kept_is_kept(text: str) -> None:
    brief = parse_request(text)
    assert brief.audio == "keep"
    assert not any("sound" in t or "audio" in t or "music" in t for t in brief.free_text)


@pytest.mark.parametrize(
    ("text", "audio"),
    [
        ("keep the trailer's sound off", "mute"),  # the sound is turned off
        ("don't keep the trailer's sound", "mute"),
        ("the voices kept talking over each other", None),  # "kept" + -ing: went on
        ("they kept talking, 6 s", None),
        ("keep the trailer's scenes in order", None),  # not its sound
    ],
)
def test_other_things_kept_or_the_sound_refused(text: str, audio: str | None) -> None:
    assert parse_request(text).audio == audio


@pytest.mark.parametrize(
    "text",
    [
        "keep the real colours",
        "keep its true colours, 10 s",
        "keep the normal colour",
        "preserve the actual colours",
    ],
)
def test_colours_kept_as_shot_are_natural(text: str) -> None:
    brief = parse_request(text)
    assert brief.colour == "natural"
    assert brief.free_text == []


def test_a_list_kept_with_its_owner_and_real_colours() -> None:
    brief = parse_request("keep the trailer's real colours and audio as they are")
    assert (brief.colour, brief.audio) == ("natural", "keep")


@pytest.mark.parametrize(
    "text",
    ["make the colours look real", "keep the real footage", "keep the real colours but in sepia"],
)
def test_real_alone_is_no_natural_colour(text: str) -> None:
    assert parse_request(text).colour != "natural"


@pytest.mark.parametrize(
    ("text", "audio", "colour"),
    [
        ("Trailer cut\nSound: keep it, normalised to -16 LUFS", "keep", None),  # a label
        ("The colours keep them normal, and no writing on it.", None, "natural"),  # a topic
        ("audio - leave it as it is, 5 s", "keep", None),
        ("Music: keep it", "keep", None),
        ("the colours, keep them as they are", None, "natural"),
    ],
)
def test_the_thing_kept_named_before_its_verb_is_kept(
    text: str, audio: str | None, colour: str | None
) -> None:
    brief = parse_request(text)
    assert (brief.audio, brief.colour) == (audio, colour)


@pytest.mark.parametrize(
    ("text", "audio", "colour"),
    [
        ("Sound: keep it low", None, None),  # a level, not the sound as it is
        ("Sound: leave it out", None, None),  # dropped, not kept
        ("the colours, keep them black and white", None, "monochrome"),
        ("the sound, don't keep it", None, None),
    ],
)
def test_a_keep_that_says_otherwise_is_no_keep(
    text: str, audio: str | None, colour: str | None
) -> None:
    brief = parse_request(text)
    assert (brief.audio, brief.colour) == (audio, colour)


@pytest.mark.parametrize(
    ("text", "audio", "colour"),
    [
        ("The cuts they must follow the music, and the sound it stays.", "keep", None),
        ("the audio must remain as it is", "keep", None),
        ("the music stays on, 6 s", "keep", None),
        ("the sound, it stays the same", "keep", None),
        ("The colours must remain natural.", None, "natural"),
        ("the colours they stay normal", None, "natural"),
        ("colours should be natural", None, "natural"),
    ],
)
def test_the_thing_said_to_stay_is_kept(text: str, audio: str | None, colour: str | None) -> None:
    brief = parse_request(text)
    assert (brief.audio, brief.colour) == (audio, colour)


@pytest.mark.parametrize(
    "text", ["the sound stays low", "the colours stay warm", "the music must stay quiet"]
)
def test_a_level_or_a_change_that_stays_is_no_keep(text: str) -> None:
    brief = parse_request(text)
    assert (brief.audio, brief.colour) == (None, None)


@pytest.mark.parametrize(
    "text",
    [
        "keep the talking",
        "keep the narration in",
        "preserve the speech, 8 s",
        "keep the voice-over",
    ],
)
def test_speech_kept_keeps_the_audio(text: str) -> None:
    brief = parse_request(text)
    assert brief.audio == "keep"
    assert brief.sound is None or not brief.sound.whole_words  # no ask about cuts in speech


@pytest.mark.parametrize(
    "text", ["don't cut the speech mid-word", "never cut the speech mid-sentence"]
)
def test_speech_cut_mid_word_is_no_keep(text: str) -> None:
    brief = parse_request(text)
    assert brief.audio is None
    assert brief.sound is not None and brief.sound.whole_words
