"""Merging the model's brief into the parse, reading sloppy model JSON, and stable criteria ids."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tasks.brief import (
    BRIEF_SCHEMA,
    Brief,
    DurationAsk,
    ShotPick,
    SpeedAsk,
    brief_from_model,
    merge,
    parse_request,
)


def test_model_fills_only_what_the_parse_left_empty() -> None:
    parsed = parse_request("a 6 s teaser, end on the brightest shot")
    proposed = Brief(colour="sepia", transitions="crossfade", order="source")
    merged, notes = merge(parsed, proposed)
    assert merged.duration == parsed.duration and merged.end_on == parsed.end_on
    assert (merged.colour, merged.transitions, merged.order) == ("sepia", "crossfade", "source")
    assert notes == []


@pytest.mark.parametrize(
    ("request_text", "proposed", "field", "kept"),
    [
        ("monochrome", Brief(colour="sepia"), "colour", "monochrome"),
        ("hard cuts", Brief(transitions="crossfade"), "transitions", "cut"),
        ("end on the brightest shot", Brief(end_on=ShotPick(kind="scene", scene=2)), "end_on",
         ShotPick(kind="brightest")),
        ("2x speed", Brief(speeds=[SpeedAsk(factor=0.5)]), "speeds", [SpeedAsk(factor=2.0)]),
        ("mute", Brief(audio="keep"), "audio", "mute"),
        ("9:16", Brief(aspect="16:9"), "aspect", "9:16"),
        ("fade in from black", Brief(fade_in=False), "fade_in", True),
        ('caption "Hi there"', Brief(captions=["Hi"]), "captions", ["Hi there"]),
        ("in reverse order", Brief(order="source"), "order", "reverse"),
    ],
)  # fmt: skip
def test_request_words_win_with_a_note(
    request_text: str, proposed: Brief, field: str, kept: Any
) -> None:
    merged, notes = merge(parse_request(request_text), proposed)
    assert getattr(merged, field) == kept
    assert len(notes) == 1 and notes[0].startswith(field) and "kept the request's" in notes[0]


def test_duration_merges_per_bound_and_request_wins() -> None:
    parsed = parse_request("a 6-second teaser")
    proposed = Brief(duration=DurationAsk(target_s=10.0, max_s=8.0))
    merged, notes = merge(parsed, proposed)
    assert merged.duration is not None
    assert (merged.duration.target_s, merged.duration.max_s) == (6.0, 8.0)
    assert merged.duration.tolerance_s == pytest.approx(0.3)
    assert any("target_s" in n and "6 s" in n and "10 s" in n for n in notes)


def test_model_bound_that_contradicts_the_request_is_dropped() -> None:
    parsed = parse_request("a 10 second teaser")
    merged, notes = merge(parsed, Brief(duration=DurationAsk(max_s=8.0)))
    assert merged.duration is not None
    assert (merged.duration.target_s, merged.duration.max_s) == (10.0, None)
    assert any("contradicts" in n for n in notes)


def test_model_target_gets_the_default_tolerance() -> None:
    merged, _ = merge(Brief(), Brief(duration=DurationAsk(target_s=40.0)))
    assert merged.duration is not None and merged.duration.tolerance_s == pytest.approx(2.0)


def test_invented_caption_is_dropped_when_request_given() -> None:
    text = "a 6 s teaser of the clip"
    merged, notes = merge(parse_request(text), Brief(captions=["Title"]), request=text)
    assert merged.captions == []
    assert any("Title" in n and "dropped" in n for n in notes)


def test_caption_grounded_in_request_is_kept() -> None:
    text = "a teaser with the words Summer Sale on it"
    merged, notes = merge(parse_request(text), Brief(captions=["Summer Sale"]), request=text)
    assert merged.captions == ["Summer Sale"] and notes == []


def test_invented_length_is_dropped_when_request_names_none() -> None:
    text = "a moody teaser"
    merged, notes = merge(
        parse_request(text), Brief(duration=DurationAsk(target_s=15)), request=text
    )
    assert merged.duration is None and any("no length" in n for n in notes)


def test_free_text_is_the_union_without_duplicates() -> None:
    parsed = parse_request("a punchy 6 s teaser")
    merged, _ = merge(parsed, Brief(free_text=["Punchy", "builds tension"]))
    assert merged.free_text == ["punchy", "builds tension"]


def test_no_proposal() -> None:
    parsed = parse_request("a 6 s teaser")
    assert merge(parsed, None) == (parsed, [])


# ---- sloppy model JSON -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "check"),
    [
        ({"duration": {"target_s": "6s"}}, lambda b: b.duration.target_s == 6.0),
        ({"duration": 6}, lambda b: b.duration.target_s == 6.0),
        ({"duration": "1:30"}, lambda b: b.duration.target_s == 90.0),
        ({"duration": {"target_s": -3}}, lambda b: b.duration is None),
        ({"duration": {"min_s": 9, "max_s": 4}}, lambda b: b.duration is None),
        ({"duration": {"target_s": "long"}}, lambda b: b.duration is None),
        ({"speeds": [{"factor": "2x"}]}, lambda b: b.speeds[0].factor == 2.0),
        ({"speeds": [{"factor": 20}, {"factor": 0.5}]}, lambda b: len(b.speeds) == 1),
        ({"speed": 0.5}, lambda b: b.speeds[0].factor == 0.5),
        ({"speeds": [{"factor": 0.5, "applies_to": "replay", "pick": "brightest"}]},
         lambda b: (b.speeds[0].applies_to, b.speeds[0].pick.kind) == ("best_moment", "brightest")),
        ({"speeds": "fast"}, lambda b: b.speeds == []),
        ({"color": "black and white"}, lambda b: b.colour == "monochrome"),
        ({"colour": "B&W"}, lambda b: b.colour == "monochrome"),
        ({"colour": "none"}, lambda b: b.colour is None),
        ({"colour": "purple"}, lambda b: b.colour is None),
        ({"transitions": "Hard cuts"}, lambda b: b.transitions == "cut"),
        ({"transition": "dissolve"}, lambda b: b.transitions == "crossfade"),
        ({"fade_in": "yes", "fade_out": 0}, lambda b: (b.fade_in, b.fade_out) == (True, False)),
        ({"fade_in": "maybe"}, lambda b: b.fade_in is None),
        ({"captions": "Hello"}, lambda b: b.captions == ["Hello"]),
        ({"captions": ["A", 3, None, " ", "B"]}, lambda b: b.captions == ["A", "B"]),
        ({"end_on": "the brightest shot"}, lambda b: b.end_on == ShotPick(kind="brightest")),
        ({"end_on": "scene 3"}, lambda b: b.end_on == ShotPick(kind="scene", scene=3)),
        ({"start_on": {"kind": "scene", "scene": "two"}}, lambda b: b.start_on is None),
        ({"start_on": {"kind": "scene", "scene": 0}}, lambda b: b.start_on is None),
        ({"start_on": {"kind": "time", "time_s": "12 s"}}, lambda b: b.start_on.time_s == 12.0),
        ({"end_on": {"kind": "least motion"}}, lambda b: b.end_on.kind == "least_motion"),
        ({"use": "every scene"}, lambda b: b.use.kind == "every_scene"),
        ({"use": {"kind": "head", "seconds": "5"}}, lambda b: b.use.seconds == 5.0),
        ({"use": {"kind": "head"}}, lambda b: b.use is None),
        ({"use": {"kind": "ranges", "ranges": [[2, 5], [9, 3], "x"]}},
         lambda b: b.use.ranges == [(2.0, 5.0)]),
        ({"order": "chronological"}, lambda b: b.order == "source"),
        ({"aspect": "vertical"}, lambda b: b.aspect == "9:16"),
        ({"aspect": "16/9"}, lambda b: b.aspect == "16:9"),
        ({"aspect": "wide-ish"}, lambda b: b.aspect is None),
        ({"size": "1280x720"}, lambda b: b.size == (1280, 720)),
        ({"size": {"width": 720, "height": 1280}}, lambda b: b.size == (720, 1280)),
        ({"size": [99999, 1]}, lambda b: b.size is None),
        ({"audio": False}, lambda b: b.audio == "mute"),
        ({"audio": "muted"}, lambda b: b.audio == "mute"),
        ({"free_text": "punchy"}, lambda b: b.free_text == ["punchy"]),
        ({"unknown": 1, "colour": "sepia"}, lambda b: b.colour == "sepia"),
    ],
)  # fmt: skip
def test_brief_from_sloppy_model_json(data: dict[str, Any], check: Any) -> None:
    brief = brief_from_model(data)
    assert brief is not None
    assert check(brief), brief


def test_brief_from_text_answer_with_prose_around() -> None:
    text = 'Here you go:\n```json\n{"duration": {"target_s": 6}, "colour": "monochrome"}\n```'
    brief = brief_from_model(text)
    assert brief is not None and brief.colour == "monochrome"
    assert brief.duration is not None and brief.duration.target_s == 6.0


@pytest.mark.parametrize("data", [None, 3, "no json here", "{broken", ["a"], b"\xff"])
def test_brief_from_model_without_an_object(data: object) -> None:
    assert brief_from_model(data) is None


def test_brief_from_model_round_trips_a_brief() -> None:
    brief = parse_request(
        'a 6 s teaser, 2x speed, sepia, crossfades, caption "Hi", end on scene 2, every scene, '
        "reversed, 9:16, 720p, mute, punchy"
    )
    assert brief_from_model(json.loads(brief.model_dump_json())) == brief


def test_schema_is_compact_and_matches_the_brief() -> None:
    props = BRIEF_SCHEMA["properties"]
    assert set(props) == set(Brief.model_fields)
    assert "$ref" not in json.dumps(BRIEF_SCHEMA) and "null" not in json.dumps(BRIEF_SCHEMA)
    # 3000 until picks could count scenes from the end ("scene_from_end", in three places)
    assert len(json.dumps(BRIEF_SCHEMA)) < 3050


# ---- criteria ids ----------------------------------------------------------------------


def test_criteria_ids_are_stable() -> None:
    brief = parse_request(
        "A punchy 6 s teaser at 2x with a half-speed replay of the best moment, monochrome, "
        'hard cuts, fade in and out, captions "One" and "Two", open with the darkest shot, '
        "end on scene 3, every scene, chronological, 9:16, 720p, keep the audio."
    )
    ids = [c.id for c in brief.criteria()]
    assert ids == [
        "duration", "speed-1", "speed-2", "colour", "transitions", "fade_in", "fade_out",
        "caption-1", "caption-2", "start_on", "end_on", "use", "order", "aspect", "size",
        "audio", "free-1",
    ]  # fmt: skip
    again = parse_request(
        "A punchy 6 s teaser at 2x with a half-speed replay of the best moment, monochrome, "
        'hard cuts, fade in and out, captions "One" and "Two", open with the darkest shot, '
        "end on scene 3, every scene, chronological, 9:16, 720p, keep the audio."
    )
    assert [c.model_dump() for c in again.criteria()] == [c.model_dump() for c in brief.criteria()]
