"""Fades at the ends of the edit: both ends said in one phrase, each with its place."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    "text",
    [
        "Fade in at the start and out at the end.",
        "It fades in at the top and out at the bottom.",
        "fade in at the beginning and then out at the finish, 8 seconds",
        "Fade it in at the start and out at the end.",
        "fade in at the open and out at the close",
        "Fade in at the very start and out.",
    ],
)
def test_the_out_said_after_the_ins_place_is_the_fade_out(text: str) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out) == (True, True)
    assert brief.free_text == []


@pytest.mark.parametrize(
    ("text", "fade_in", "fade_out"),
    [
        ("with a half-second fade at each end", True, True),
        ("fades at both ends, 8 seconds", True, True),
        ("a fade on either end", True, True),
        ("no fade at either end", False, False),
    ],
)
def test_one_fade_said_of_both_ends(text: str, fade_in: bool, fade_out: bool) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out, brief.transitions) == (fade_in, fade_out, None)


@pytest.mark.parametrize(
    ("text", "fade_in", "fade_out"),
    [
        # Guards: what already read right stays so.
        ("fade in and out", True, True),
        ("fade in at the start and fade out at the end", True, True),
        ("fade in at the start", True, None),
        ("a fade at the end", None, True),
        ("no fade in or out", False, False),
        # "out of focus" is no fade out: the "out" must end its phrase or take the end's place
        ("fade in at the start and out of focus at the end", True, None),
    ],
)
def test_fades_of_one_end_or_said_apart_stay(
    text: str, fade_in: bool | None, fade_out: bool | None
) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out) == (fade_in, fade_out)


@pytest.mark.parametrize(
    ("text", "fade_in", "fade_out", "transitions"),
    [
        # Editors' idioms of the fades at the ends.
        ("come up from black at the top", True, None, None),
        ("it comes up out of black", True, None, None),
        ("go to black at the end", None, True, None),
        ("and then it goes to black", None, True, None),
        ("don't go to black at the end", None, False, None),
        ("a fade up at the open and a fade down at the close", True, True, None),
        # between shots, going to black is a dip
        ("go to black between shots, 8 s", None, None, "fade"),
    ],
)
def test_fade_idioms(
    text: str, fade_in: bool | None, fade_out: bool | None, transitions: str | None
) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out, brief.transitions) == (fade_in, fade_out, transitions)


@pytest.mark.parametrize(
    ("text", "fade_in", "fade_out", "transitions"),
    [
        # a refused fade placed at one end refuses that end's fade, not the joins
        ("No fade at the head, just hard in.", False, None, None),
        ("no fade at the head of the edit, 8 s", False, None, None),
        ("no fades at the tail of the cut", None, False, None),
        ("no fade at the very start or the very end of the cut", False, False, None),
        # unplaced, a refused fade refuses the joins' fades too (kept on purpose)
        ("no fades", False, False, "cut"),
        ("the most colourful shot first, and zero fades", False, False, "cut"),
    ],
)
def test_a_refused_fade_placed_at_an_end(
    text: str, fade_in: bool | None, fade_out: bool | None, transitions: str | None
) -> None:
    brief = parse_request(text)
    assert (brief.fade_in, brief.fade_out, brief.transitions) == (fade_in, fade_out, transitions)
