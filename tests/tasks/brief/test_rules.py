"""Phrase rules (tasks/brief/_rules.py) in casual phrasings: order verbs, placed captions,
caption cards, ways of dropping or keeping the sound, cross-dissolves."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "reverse the order of the scenes",
        "flip the order of the clips",
        "flip the shot order please",
        "could you invert the sequence",
        "play the shots in the opposite order",
        "reverse the scenes",
        "reversing the order of the shots, 6 s",
    ],
)
def test_the_order_as_the_object_of_a_verb_is_reversed(text: str) -> None:
    brief = parse_request(text)
    assert brief.order == "reverse"
    assert brief.free_text == []


@pytest.mark.parametrize("text", ["mix up the order", "swap the first two shots"])
def test_a_shuffle_is_not_a_reversal(text: str) -> None:
    brief = parse_request(text)
    assert brief.order is None
    assert brief.free_text  # kept as an unchecked ask, never dropped


@pytest.mark.parametrize(
    ("text", "captions"),
    [
        ("put 'Hello' on it", ["Hello"]),
        ('slap "Sale ends Friday" on top', ["Sale ends Friday"]),
        ("add 'The End' at the end", ["The End"]),
        ('stick "Day 1" over the video', ["Day 1"]),
        ('write "Welcome" across the screen', ["Welcome"]),
        ('put "Hi" at the start and "Bye" at the end', ["Hi", "Bye"]),
        ('burn in the copy "Drop 02 — live now"', ["Drop 02 — live now"]),
        ("add the line 'See you there' at the end", ["See you there"]),
        ("'Grand Opening' on screen, 5 s", ["Grand Opening"]),
    ],
)
def test_quoted_words_put_in_the_picture_are_captions(text: str, captions: list[str]) -> None:
    brief = parse_request(text)
    assert brief.captions == captions
    assert brief.free_text == []


def test_placed_caption_words_are_not_read_as_asks() -> None:
    brief = parse_request("speed it up 3x and put 'Slow Motion' on it")
    assert [s.factor for s in brief.speeds] == [3.0]
    assert brief.captions == ["Slow Motion"]


@pytest.mark.parametrize(
    "text", ["in the style of 'Mad Max', 6 seconds", 'make it feel like "old film"']
)
def test_quoted_words_not_put_in_the_picture_are_no_caption(text: str) -> None:
    brief = parse_request(text)
    assert brief.captions == []
    assert brief.free_text


@pytest.mark.parametrize(
    ("text", "captions"),
    [
        ('add two captions: "Chapter 1" first, then "Chapter 2".', ["Chapter 1", "Chapter 2"]),
        ('add captions "A" and later "B"', ["A", "B"]),
        ('add captions "A" followed by "B"', ["A", "B"]),
        ('two captions: "A", "B"', ["A", "B"]),
        ('captions "A" first and "B" second', ["A", "B"]),
        ('the title "Summer" first, and "Fin" last', ["Summer", "Fin"]),
        ('captions: "One" then later on "Two"', ["One", "Two"]),
        ('title "One" first, then "Two", then "Three"', ["One", "Two", "Three"]),
        ('The title "A" should appear first and "B" after it.', ["A", "B"]),
        ('caption "A" will show up first, then "B"', ["A", "B"]),
    ],
)
def test_a_list_of_captions_in_order(text: str, captions: list[str]) -> None:
    """Words that order a list of captions ("first", "then", "later") keep the list going."""
    brief = parse_request(text)
    assert brief.captions == captions
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "captions"),
    [
        ('a caption "Hi" first, then cut to the "best" bit', ["Hi"]),
        ('caption "Hello" first then the clip "beach.mp4"', ["Hello"]),
    ],
)
def test_quoted_words_after_a_caption_list_that_ends_are_no_caption(
    text: str, captions: list[str]
) -> None:
    assert parse_request(text).captions == captions


def test_an_order_word_before_a_place_in_the_source_is_the_sources() -> None:
    brief = parse_request('caption "Hi" first 3 seconds')
    assert brief.captions == ["Hi"]
    assert brief.use is not None and (brief.use.kind, brief.use.seconds) == ("head", 3.0)


@pytest.mark.parametrize(
    ("text", "caption"),
    [
        ("title card saying Street Life", "Street Life"),
        ("a title screen that says Welcome Home", "Welcome Home"),
        ("end with a text slide reading See you soon", "See you soon"),
    ],
)
def test_an_unquoted_caption_after_a_title_card(text: str, caption: str) -> None:
    assert parse_request(text).captions == [caption]


@pytest.mark.parametrize(
    ("text", "audio"),
    [
        ("get rid of the audio", "mute"),
        ("ditch the music", "mute"),
        ("take out the sound", "mute"),
        ("with the audio removed", "mute"),
        ("no audio track", "mute"),
        ("sound switched off", "mute"),
        ("don't get rid of the audio", "keep"),
        ("keep the original audio track", "keep"),
        ("keep the soundtrack", "keep"),
    ],
)
def test_audio_phrasings(text: str, audio: str) -> None:
    brief = parse_request(text)
    assert brief.audio == audio
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text", ["with cross-dissolves", "crossdissolve between shots", "cross dissolving"]
)
def test_cross_dissolves_are_crossfades(text: str) -> None:
    brief = parse_request(text)
    assert brief.transitions == "crossfade"
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "Reverse the running order of the scenes (last one first)",
        "play it last-to-first",
        "flip the scene order so it plays last-to-first",
        "back-to-front please",
        "run the shots from end to start",
        "invert the playing order",
    ],
)
def test_reverse_order_however_asked(text: str) -> None:
    brief = parse_request(text)
    assert brief.order == "reverse"
    assert brief.start_on is None
    assert brief.free_text == []


@pytest.mark.parametrize("text", ["a reverse shot of the hero, 6 s", "reverse angle, 5 s"])
def test_a_reverse_shot_is_no_order(text: str) -> None:
    assert parse_request(text).order is None


@pytest.mark.parametrize(
    "text",
    [
        "Don't fade in or out.",
        "no fade in or out",
        "without fading in or out",
        "no fade-in or fade-out",
        "neither fade in nor fade out",
        "no fade in/out",
    ],
)
def test_no_fade_at_either_end(text: str) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out) == (False, False)
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "fade_in", "fade_out"),
    [
        ("dip to black between the two, but no fade at the very start", False, None),
        ("no fades at the end please", None, False),
        ("a fade at the end", None, True),
        ("a fade at the beginning", True, None),
        # an unplaced "no fade" is every fade
        ("no fade", False, False),
        ("no fades at all", False, False),
        # "but" begins another ask: the refused fade is the start's alone, no join's
        ("No fade at the start but fade out at the end", False, True),
        ("no fade at the start but fade out over the last half second", False, True),
    ],
)
def test_a_fade_placed_at_one_end_is_that_ends(
    text: str, fade_in: bool | None, fade_out: bool | None
) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out) == (fade_in, fade_out)
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "fade_in", "fade_out"),
    [
        ("sped up to 1.25x, and fade it out at the end.", None, True),
        ("fade it in", True, None),
        ("fade the video out", None, True),
        ("fade everything out at the end", None, True),
        ("fade it to black", None, True),
        ("fade the clip to black at the end", None, True),
        ("fade it up from black", True, None),
        ("fade the picture in and out", True, True),
        ("fade the last shot out", None, True),
        ("fade the whole thing out to finish", None, True),
        ("fade into black at the end", None, True),
        ("don't fade it out", None, False),
        ("don't fade the video in", False, None),
    ],
)
def test_a_fade_with_what_is_faded(text: str, fade_in: bool | None, fade_out: bool | None) -> None:
    """The thing faded between the verb and its end is still a fade of the edit."""
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out) == (fade_in, fade_out)
    assert brief.transitions is None
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "fade the music out at the end",  # the sound's own fade
        "fade the voices out",
        "fade the sound in",
        "fade into the next shot",  # a join, not a fade in ("into" is no "in")
    ],
)
def test_a_fade_of_the_sound_or_into_a_shot_is_no_fade_of_the_edit(text: str) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out) == (None, None)


@pytest.mark.parametrize(
    ("text", "audio", "colour"),
    [
        ("keep the original colour and audio", "keep", "natural"),
        ("keep the audio and colour", "keep", "natural"),
        ("keep the colour and the sound", "keep", "natural"),
        ("leave the colour and sound alone", "keep", "natural"),
        ("keep the colour", None, "natural"),
        ("keep the colour and the speed", None, "natural"),
        ("keep the sound on", "keep", None),
    ],
)
def test_one_keep_over_a_list(text: str, audio: str | None, colour: str | None) -> None:
    brief = parse_request(text)
    assert (brief.audio, brief.colour) == (audio, colour)


@pytest.mark.parametrize(
    "text",
    [
        "leave the colour alone",
        "keep the colours as they are",
        "leave the colour untouched",
        "could the colours stay exactly as they are?",
        "colours unchanged",
        "the colour should remain untouched",
    ],
)
def test_colour_left_alone_is_natural(text: str) -> None:
    brief = parse_request(text)
    assert brief.colour == "natural"
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("crop to 4:5", "4:5"),
        ("reframe it to 9:16", "9:16"),
        ("Reel for Insta from the trailer - 9:16", "9:16"),
        ("cropped to square", "1:1"),
    ],
)
def test_aspect_with_its_verb(text: str, aspect: str) -> None:
    brief = parse_request(text)
    assert brief.aspect == aspect
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "fade"),
    [
        ("Without fade in the start and in the end please.", False),
        ("no fades at the beginning or end", False),
        ("a fade at the start and at the end", True),
        ("fades in the beginning and the end, 6 s", True),
    ],
)
def test_a_fade_at_both_ends_named(text: str, fade: bool) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out) == (fade, fade)


def test_a_fade_at_one_end_named_stays_that_ends() -> None:
    brief = parse_request("no fade in, fade out at the end")
    assert (brief.fade_in, brief.fade_out) == (False, True)


@pytest.mark.parametrize(
    ("text", "transitions"),
    [
        ("Hard cuts on the beat of the music.", "cut"),
        ("Straight cuts to the beat, 8 s", "cut"),
        ("Sharp cuts landing on the beat.", "cut"),
        ("Jump cuts to the rhythm of the song.", "cut"),
        # guards, read right already: cuts with no manner ask no transition, a manner alone does
        ("Cuts on every beat, sepia.", None),
        ("cut to the beat", None),
        ("hard cuts only", "cut"),
        ("Clean cuts timed to the music, sepia.", "cut"),
    ],
)
def test_hard_cuts_kept_in_time_are_cut_transitions_too(text: str, transitions: str | None) -> None:
    """The sound rule reads "cuts on the beat" first; the manner before it still asks cuts."""
    brief = parse_request(text)
    assert brief.transitions == transitions
    assert brief.sound is not None or transitions == "cut"


@pytest.mark.parametrize("text", ["a 3/4 of a second fade in", "3/4 minute long", "a 1/2 sec dip"])
def test_a_fraction_of_a_unit_is_no_aspect(text: str) -> None:
    assert parse_request(text).aspect is None


def test_a_ratio_said_as_an_aspect_stays_one() -> None:
    assert parse_request("crop it to 3/4, 10 seconds").aspect == "3:4"


@pytest.mark.parametrize(
    "text",
    [
        "No fade at the start but fade out at the end (1 s), 7 seconds",
        "no fade at the start but fade out over the last half second",
    ],
)
def test_a_fade_refused_at_one_end_leaves_the_joins_unasked(text: str) -> None:
    # only an unplaced "no fades" refuses every fade, the joins' too
    assert parse_request(text).transitions is None
