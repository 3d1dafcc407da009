"""Sound asks said in editors' words (tasks/brief/_rules.py): nat sound, MOS, pull the audio."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "audio"),
    [
        ("Keep the nat sound and open cold on a face", "keep"),
        ("Keep the natural sound", "keep"),
        ("nat-sound up under the cuts", "keep"),
        ("no nat sound", "mute"),
        ("MOS please, a VO goes over it later", "mute"),
        ("cut it M.O.S.", "mute"),
        ("not MOS, keep the sound", "keep"),
        ("Pull the audio.", "mute"),
        ("pull the music out", "mute"),
    ],
)
def test_a_sound_idiom_keeps_or_mutes(text: str, audio: str) -> None:
    assert parse_request(text).audio == audio


@pytest.mark.parametrize(
    "text",
    [
        "the most colourful shot",
        "the last 3 mos of the shoot",
        "a mosaic look",
        "pull the audio down a little",
        "pull the audio from the trailer",
    ],
)
def test_lookalikes_ask_nothing_of_the_sound(text: str) -> None:
    assert parse_request(text).audio is None
