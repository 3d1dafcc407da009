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
