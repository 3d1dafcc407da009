"""A superlative said after its noun (tasks/brief/_pick_words.py), as learners of English say
it: "begin with the shot more dark" picks the darkest shot."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "key", "kind"),
    [
        ("Begin with the shot more dark", "start_on", "darkest"),
        ("finish with the shot more bright", "end_on", "brightest"),
        ("end on the scene most calm", "end_on", "least_motion"),
        ("start with the moment more dynamic", "start_on", "most_motion"),
        ("open on the one more colourful, 6 s", "start_on", "most_colourful"),
    ],
)
def test_a_superlative_after_its_noun_is_a_pick(text: str, key: str, kind: str) -> None:
    brief = parse_request(text)
    pick = getattr(brief, key)
    assert pick is not None and pick.kind == kind


@pytest.mark.parametrize("text", ["make the shot more dark", "make it more bright at the end"])
def test_more_said_of_the_picture_is_no_pick(text: str) -> None:
    brief = parse_request(text)
    assert (brief.start_on, brief.end_on) == (None, None)
