"""Fade lengths: a length written against a fade is that fade's, never the edit's."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "fade_in_s", "fade_out_s", "transition_s", "target"),
    [
        ("a 2-second fade in, 6 s total", 2.0, None, None, 6.0),
        ("fade out over 3 s", None, 3.0, None, None),
        ("8 seconds with 1 s crossfades", None, None, 1.0, 8.0),
        ("half-second dissolves between shots, 5 s", None, None, 0.5, 5.0),
        ("end with a two second fade to black", None, 2.0, None, None),
        ("fade out for the last 3 seconds of a 10 second edit", None, 3.0, None, 10.0),
        ("end with a 2 s fade", None, 2.0, None, None),
        ("slow 2 second fade in and out", 2.0, 2.0, None, None),
        ("fade in and out over 1 second each", 1.0, 1.0, None, None),
        ("fade in (1.5s), 7 s", 1.5, None, None, 7.0),
        ("A 2.5 s clip. Fade out over 1 s", None, 1.0, None, 2.5),
        ("1 s fades between shots, 6 s long", None, None, 1.0, 6.0),
        ("fade up out of black over 2 seconds", 2.0, None, None, None),
        ("close with a 2 s fade down to black", None, 2.0, None, None),
        ("Fade in from black over one second and fade out over one second", 1.0, 1.0, None, None),
        ("dissolve from shot to shot (half a second each)", None, None, 0.5, None),
        (
            "Dip to black between every shot, each dip lasting 0.75 s. 15 s total",
            None,
            None,
            0.75,
            15.0,
        ),
        ("crossfades between the scenes of 1 s", None, None, 1.0, None),
        # said "over N" after an editor's idiom of the fade, its place before or after it
        ("come up from black over a second and a half at the top", 1.5, None, None, None),
        ("go to black at the end over 2 seconds, 8 s in all", None, 2.0, None, 8.0),
        ("fade up from black over 2 s at the top, 8 s", 2.0, None, None, 8.0),
        # A length beside a fade but not of it stays the edit's.
        ("6 seconds, fade in", None, None, None, 6.0),
        ("a 10 second video with fade in", None, None, None, 10.0),
        ("8 seconds with crossfades", None, None, None, 8.0),
        ("fade in at 0:02", None, None, None, None),
    ],
)
def test_fade_lengths(
    text: str,
    fade_in_s: float | None,
    fade_out_s: float | None,
    transition_s: float | None,
    target: float | None,
) -> None:
    brief = parse_request(text)
    assert (brief.fade_in_s, brief.fade_out_s, brief.transition_s) == (
        fade_in_s,
        fade_out_s,
        transition_s,
    )
    assert (brief.duration.target_s if brief.duration else None) == target
    # A fade's length asks for that fade.
    assert brief.fade_in if fade_in_s else True
    assert brief.fade_out if fade_out_s else True


def test_a_fade_length_is_in_its_criterion() -> None:
    texts = {c.id: c.text for c in parse_request("a 2 s fade in, 1 s crossfades").criteria()}
    assert texts["fade_in"] == "opens with a 2 s fade from black"
    # The verifier measures each join's length too.
    assert texts["transition_s"] == "crossfades 1 s long"
    checkable = {c.id for c in parse_request("1 s crossfades").criteria() if c.checkable}
    assert "transition_s" in checkable


@pytest.mark.parametrize(
    ("text", "transition_s", "target"),
    [
        ("dissolves of three-quarters of a second between the shots", 0.75, None),
        ("dip to black between scenes, 0.4 s each", 0.4, None),
        ("crossfades between the shots, 1 s apiece, 12 s total", 1.0, 12.0),
        # after a comma alone a length may be the edit's
        ("crossfades, 10 s", None, 10.0),
        # the length right after the join, as a spec writes it
        ("Crossfade 0.5 s at each join. Total about 11 s.", 0.5, 11.0),
        ("dips to black between them half a second each and the whole thing six secs", 0.5, 6.0),
        ("Dissolve 1 s between shots, 8 s in all", 1.0, 8.0),
        ("8 seconds, and go through black for half a second between shots", 0.5, 8.0),
        ("going through black for 1 s between scenes, 6 s", 1.0, 6.0),
        # a "mix" and a "lap dissolve" are crossfades; "per"/"each" + the join names its length
        ("5 seconds and mix between the shots, half a second per mix", 0.5, 5.0),
        ("quarter-second lap dissolves between shots, about 12 seconds", 0.25, 12.0),
        ("dissolves between shots, 1 s per dissolve, 8 s", 1.0, 8.0),
        ("mixes between the scenes of 0.5 s, 6 s", 0.5, 6.0),
    ],
)
def test_a_length_of_each_join(text: str, transition_s: float | None, target: float | None) -> None:
    brief = parse_request(text)
    assert brief.transition_s == transition_s
    assert (brief.duration.target_s if brief.duration else None) == target


def test_a_sec_and_a_half_fade() -> None:
    brief = parse_request("seven seconds in all, with a sec and a half fade to black at the end")
    assert (brief.fade_out_s, brief.duration and brief.duration.target_s) == (1.5, 7.0)


@pytest.mark.parametrize(
    ("text", "fade_in_s", "fade_out_s"),
    [
        ("fade up from black over about a second, 10 s overall", 1.0, None),
        ("end with a fade to black lasting a second", None, 1.0),
        # where the fade is may come between it and its length, after a comma
        ("a soft fade in at the start, lasting maybe two seconds", 2.0, None),
        ("a fade to black at the end, lasting perhaps one and a half seconds", None, 1.5),
    ],
)
def test_a_fade_length_said_loosely(
    text: str, fade_in_s: float | None, fade_out_s: float | None
) -> None:
    brief = parse_request(text)
    assert (brief.fade_in_s, brief.fade_out_s) == (fade_in_s, fade_out_s)


def test_a_length_after_the_comma_of_the_joins_stays_the_edits() -> None:
    brief = parse_request("a montage with crossfades, lasting 10 s")
    assert brief.transition_s is None
    assert brief.duration is not None and brief.duration.target_s == 10.0


@pytest.mark.parametrize("text", ["then over a second shot, fade in", "cut to a second clip"])
def test_a_second_before_a_noun_is_no_length(text: str) -> None:
    brief = parse_request(text)
    assert (brief.fade_in_s, brief.duration) == (None, None)


@pytest.mark.parametrize(
    ("text", "transition_s", "target"),
    [
        ("dips to black between them half a second each and the whole thing six secs", 0.5, 6.0),
        ("crossfades 1 s each", 1.0, None),
        ("dissolves between the scenes 0.5 s apiece, 8 s total", 0.5, 8.0),
        # no "each": the length after the joins may be the edit's
        ("crossfades 10 s", None, 10.0),
        ("dissolves between shots 10 s", None, 10.0),
    ],
)
def test_a_length_right_after_the_joins(
    text: str, transition_s: float | None, target: float | None
) -> None:
    brief = parse_request(text)
    assert brief.transition_s == transition_s
    assert (brief.duration.target_s if brief.duration else None) == target


@pytest.mark.parametrize(
    ("text", "fade_out_s", "low"),
    [
        ("fade in over 0.5 s and out over 0.5 s", 0.5, None),
        ("fade in over 1 s and out over 2 s", 2.0, None),
        # guard: no fade in said, "out" is no fade's
        ("zoom in and out over 2 s", None, 2.0),
    ],
)
def test_the_fade_left_out_of_the_second_end(
    text: str, fade_out_s: float | None, low: float | None
) -> None:
    brief = parse_request(text)
    assert brief.fade_out_s == fade_out_s
    assert (brief.duration.min_s if brief.duration else None) == low


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("with a half-second fade at each end", 0.5),
        ("a 1 s fade at both ends, 8 s total", 1.0),
        ("fades at both ends lasting 1 s", 1.0),
        ("fade in at the start and out at the end, half a second each", 0.5),
        ("fade in at the top and out at the bottom (1 s)", 1.0),
    ],
)
def test_a_length_of_a_fade_at_both_ends_is_each_ends(text: str, seconds: float) -> None:
    """Neither a join's length nor the edit's: each end's fade lasts it."""
    brief = parse_request(text)
    assert (brief.fade_in_s, brief.fade_out_s, brief.transition_s) == (seconds, seconds, None)
    assert brief.duration is None or brief.duration.target_s == 8.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("fade it out over 2 s", 2.0), ("fade everything out over 1.5 seconds", 1.5)],
)
def test_a_fade_out_with_what_is_faded_between(text: str, seconds: float) -> None:
    brief = parse_request(text)
    assert (brief.fade_out, brief.fade_out_s) == (True, seconds)
    assert brief.duration is None


@pytest.mark.parametrize(
    "text",
    ["fade up from black over 2 s at the top, 8 s", "go to black over 1 s at the close"],
)
def test_a_fades_place_said_after_its_length_is_read(text: str) -> None:
    assert parse_request(text).free_text == []


def test_lap_dissolves_are_crossfades_read_whole() -> None:
    brief = parse_request("use quarter-second lap dissolves between shots")
    assert (brief.transitions, brief.transition_s, brief.free_text) == ("crossfade", 0.25, [])
