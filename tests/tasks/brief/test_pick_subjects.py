"""Shot picks placed at an end in other ways (tasks/brief/_picks.py, _pick_words.py): the pick
as the subject of an end verb ("the second scene opening it"), a place said by what happens
there ("beginning where almost nothing is moving"), and the verb left out of the second half
of a parallel phrase ("..., the last thing on screen the brightest shot")."""

from __future__ import annotations

import pytest

from tasks.brief import ShotPick, parse_request


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "with the second scene opening it and the third scene closing it",
            ShotPick(kind="scene", scene=2),
            ShotPick(kind="scene", scene=3),
        ),
        ("the brightest shot should close the video", None, ShotPick(kind="brightest")),
        (
            "scene 3 ends things, scene 1 starts it",
            ShotPick(kind="scene", scene=1),
            ShotPick(kind="scene", scene=3),
        ),
        ("the darkest one opens the edit, 5 s", ShotPick(kind="darkest"), None),
        ("a face finishing it", None, ShotPick(kind="faces")),
    ],
)
def test_a_pick_that_opens_or_closes_the_edit(
    text: str, start: ShotPick | None, end: ShotPick | None
) -> None:
    brief = parse_request(text)
    assert (brief.start_on, brief.end_on) == (start, end)
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "the first scene opens the door",  # what happens in it, not the edit
        "the brightest shot is opening soon",
        "scene 2, closing time",
    ],
)
def test_a_pick_beside_an_end_word_of_something_else(text: str) -> None:
    brief = parse_request(text)
    assert brief.start_on is None and brief.end_on is None


@pytest.mark.parametrize(
    ("text", "key", "kind"),
    [
        ("beginning where almost nothing is moving", "start_on", "least_motion"),
        ("beginning where almost nothing's moving", "start_on", "least_motion"),
        ("close when hardly anything happens", "end_on", "least_motion"),
        ("end on the part where nothing moves", "end_on", "least_motion"),
        ("start where everything is still", "start_on", "least_motion"),
        ("end where things stay calm", "end_on", "least_motion"),
        ("end where the most is happening", "end_on", "most_motion"),
        ("open where the action is", "start_on", "most_motion"),
        ("finish where everyone's moving", "end_on", "most_motion"),
    ],
)
def test_a_place_said_by_what_happens_there(text: str, key: str, kind: str) -> None:
    brief = parse_request(text)
    pick = getattr(brief, key)
    assert pick is not None and pick.kind == kind
    assert brief.free_text == []


@pytest.mark.parametrize(
    "text",
    [
        "start where it still looks good",  # "still" is "yet" here
        "start where the music kicks in",
        "I like where nothing is moving",  # no end placed
    ],
)
def test_other_places_pick_no_shot(text: str) -> None:
    brief = parse_request(text)
    assert brief.start_on is None and brief.end_on is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "The first thing on screen should be the shot where things move the most, the "
            "last thing on screen the brightest shot.",
            "most_motion",
            "brightest",
        ),
        (
            "the opening shot should be the darkest, and the final moment on screen the brightest",
            "darkest",
            "brightest",
        ),
        (
            "The last thing we see should be a face, the first thing we see the darkest shot.",
            "darkest",
            "faces",
        ),
    ],
)
def test_the_verb_left_out_of_a_parallel_phrase(text: str, start: str, end: str) -> None:
    brief = parse_request(text)
    assert brief.start_on is not None and brief.start_on.kind == start
    assert brief.end_on is not None and brief.end_on.kind == end


@pytest.mark.parametrize(
    "text",
    [
        "the last thing on screen the brightest shot",  # no first half said with its verb
        "The first thing we see should be a face. The last thing we see the darkest shot.",
    ],
)
def test_a_left_out_verb_needs_its_first_half_in_the_sentence(text: str) -> None:
    assert parse_request(text).end_on is None
