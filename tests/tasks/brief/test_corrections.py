"""Second thoughts (tasks/brief/_corrections.py): a later ask of a field, said as a
correction, replaces the earlier one; without a correction word nothing changes."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


def _asked(text: str, field: str) -> object:
    """The parsed ask of ``field``: a duration's target, a model's fields, else the value."""
    value = getattr(parse_request(text), field)
    if field == "duration":
        return value.target_s
    return value.model_dump(exclude_none=True) if hasattr(value, "model_dump") else value


@pytest.mark.parametrize(
    ("text", "field", "meant"),
    [
        ("Make it 8 s... actually 6 s, that's plenty.", "duration", 6.0),
        ("Ten seconds long -- no, make that twelve seconds.", "duration", 12.0),
        ("8 s, no, 6 s... actually 7 s", "duration", 7.0),  # a correction of a correction
        (
            "Sepia please -- hmm, no, scratch that, keep the original colours.",
            "colour",
            "natural",
        ),
        ("Make it black and white. Make that sepia.", "colour", "sepia"),
        ("Mute the sound. Actually, no, keep the sound.", "audio", "keep"),
        # the later ask's "no" stays its negation
        ("Crossfades between the shots, actually, no crossfades", "transitions", "cut"),
        ("Crossfades between the shots, or rather hard cuts", "transitions", "cut"),
        ("Reverse order, on second thought keep the source order", "order", "source"),
        ("Open on scene 2, I mean open on scene 3", "start_on", {"kind": "scene", "scene": 3}),
    ],
)
def test_a_correction_replaces_the_earlier_ask(text: str, field: str, meant: object) -> None:
    assert _asked(text, field) == meant


def test_the_correction_takes_back_only_its_field_and_no_words_are_left() -> None:
    brief = parse_request("Make it sepia and 8 s long, actually 6 s.")
    assert (brief.colour, brief.duration and brief.duration.target_s) == ("sepia", 6.0)
    brief = parse_request("Sepia please -- hmm, no, scratch that, keep the original colours.")
    assert brief.free_text == []  # neither the sepia taken back nor "scratch that" is an ask


@pytest.mark.parametrize(
    ("text", "field", "meant"),
    [
        ("Make it 8 s. Make it 6 s.", "duration", 8.0),  # no correction: the first holds
        ("Sepia, 8 s. Sepia, no, 6 s", "duration", 8.0),  # the 8 s is a sentence before
        ("Mute it, and it's actually fine to keep the colours", "audio", "mute"),
        ("Mute it, and it's actually fine to keep the colours", "colour", "natural"),
        ("Keep the sound, 5 s, it's actually fine to keep the sound", "audio", "keep"),
        # a correction word that restates the ask changes nothing
        ("Make the video go backwards, I mean the time must go back.", "playback", "reverse"),
        ("Sound: no, colour: sepia, 5 s", "colour", "sepia"),  # a label's value, no correction
    ],
)
def test_no_correction_changes_nothing(text: str, field: str, meant: object) -> None:
    assert _asked(text, field) == meant


def test_two_asks_without_a_correction_keep_the_second_as_free_text() -> None:
    assert parse_request("Make it 8 s. Make it 6 s.").free_text == ["Make it 6 s"]


@pytest.mark.parametrize(
    ("text", "field", "meant"),
    [
        ("Open on scene 2, I mean scene 3", "start_on", {"kind": "scene", "scene": 3}),
        ("End on the brightest shot, sorry, the darkest.", "end_on", {"kind": "darkest"}),
        ("Start on the first shot, or rather the last one.", "start_on", {"kind": "last"}),
        ("Make it 8 seconds - no wait, 6.", "duration", 6.0),
        ("Make it 8 seconds \u2014 no wait, 6, in sepia.", "duration", 6.0),
        ("Make it 8 seconds, no, 6.", "duration", 6.0),
        ("Ten seconds long, actually twelve.", "duration", 12.0),
    ],
)
def test_a_later_ask_without_its_verb_replaces_the_earlier(
    text: str, field: str, meant: object
) -> None:
    """Its words stand in for the earlier ask's; neither is left as free text."""
    assert _asked(text, field) == meant
    assert parse_request(text).free_text == []


@pytest.mark.parametrize(
    ("text", "field", "meant"),
    [
        # words after a correction word that change no ask leave it as it was
        ("Open on scene 2, I mean it.", "start_on", {"kind": "scene", "scene": 2}),
        ("Make it 8 seconds, I mean exactly.", "duration", 8.0),
        # a later ask of another field adds to the earlier, it does not replace it
        ("Open on scene 2, sorry, 8 seconds.", "start_on", {"kind": "scene", "scene": 2}),
        ("Open on scene 2, sorry, 8 seconds.", "duration", 8.0),
    ],
)
def test_later_words_that_ask_nothing_new_change_nothing(
    text: str, field: str, meant: object
) -> None:
    assert _asked(text, field) == meant
