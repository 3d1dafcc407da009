"""All of the source, or every scene, as used (tasks/brief/_timing.py): the whole thing kept
to a length is the edit's length; every scene said to appear is every scene used; the whole
clip run in one direction is all of it, run at a speed it is the edit's speed."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("keep the whole thing to 8 seconds", 8.0),
        ("Open with a fade up from black; keep the whole thing to 8 seconds.", 8.0),
        ("keep the entire clip to about 6 s", 6.0),
        ("take the whole video down to 12 seconds", 12.0),
    ],
)
def test_the_whole_thing_kept_to_a_length_is_the_edits_length(text: str, target: float) -> None:
    brief = parse_request(text)
    assert brief.use is None
    assert brief.duration is not None and brief.duration.target_s == target


@pytest.mark.parametrize(
    "text",
    ["use the whole clip, 10 s", "use the whole clip to make a 10 s edit", "keep the whole video"],
)
def test_the_whole_source_used_is_still_all(text: str) -> None:
    use = parse_request(text).use
    assert use is not None and use.kind == "all"


@pytest.mark.parametrize(
    "text",
    [
        "every one of the four scenes should appear",
        "Concretely: every one of the four scenes should appear, everything at 0.75x",
        "each of the shots is in it",
        "all the scenes should be in the edit, 8 s",
    ],
)
def test_every_scene_said_to_appear_is_every_scene(text: str) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind == "every_scene"
    assert not any("scene" in t or "shot" in t for t in brief.free_text)


@pytest.mark.parametrize(
    "text",
    [
        "every scene should be 2 seconds",
        "each scene should last 2 s",
        "all the scenes should be short",
    ],
)
def test_every_scene_given_a_length_is_no_use(text: str) -> None:
    assert parse_request(text).use is None


@pytest.mark.parametrize(
    "text",
    [
        "Run the entire clip backwards, last frame to first",
        "run the whole thing in reverse, 6 s",
        "reverse the whole clip",
        "rewind the entire video",
    ],
)
def test_the_whole_clip_run_one_way_is_all_of_it(text: str) -> None:
    brief = parse_request(text)
    assert brief.use is not None and brief.use.kind == "all"
    assert brief.playback == "reverse"


@pytest.mark.parametrize(
    "text", ["run the whole thing at 150%", "run the whole thing at double speed"]
)
def test_the_whole_thing_run_at_a_speed_is_the_edits_speed(text: str) -> None:
    brief = parse_request(text)
    assert brief.use is None
    assert brief.speeds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The entire video, played in reverse, in sepia.", "all"),
        ("the whole footage, running backwards", "all"),
        # the whole clip at a speed, or in a look, is the edit's speed or look
        ("The whole clip, played at 2x.", None),
        ("Slow the whole clip to half speed.", None),
        ("make the whole clip black and white", None),
    ],
)
def test_the_whole_clip_with_its_direction(text: str, kind: str | None) -> None:
    brief = parse_request(text)
    assert (brief.use.kind if brief.use else None) == kind
