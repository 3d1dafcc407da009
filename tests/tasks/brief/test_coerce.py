"""A small model's shot picks read leniently (tasks/brief/_coerce.py): a scene counted from
the end, as the compact schema (tasks/brief/_schema.py) lets the model write it."""

from __future__ import annotations

from typing import Any

import pytest

from tasks.brief import BRIEF_SCHEMA, ShotPick, brief_from_model
from tasks.brief._coerce import as_pick

FROM_END_2 = ShotPick(kind="scene_from_end", scene=2)


def test_the_schema_lets_the_model_count_from_the_end() -> None:
    kinds = BRIEF_SCHEMA["properties"]["end_on"]["properties"]["kind"]["enum"]
    assert "scene_from_end" in kinds


@pytest.mark.parametrize(
    ("value", "pick"),
    [
        ({"kind": "scene_from_end", "scene": 2}, FROM_END_2),
        ({"kind": "scene from end", "scene": "3"}, ShotPick(kind="scene_from_end", scene=3)),
        ({"kind": "penultimate"}, FROM_END_2),
        ("the second-to-last scene", FROM_END_2),
        ({"kind": "next_to_last"}, FROM_END_2),
        ({"kind": "scene_from_end"}, None),  # no count: no scene
        ({"kind": "scene_from_end", "scene": 0}, None),
        ("last", ShotPick(kind="last")),
        ({"kind": "scene", "scene": 2}, ShotPick(kind="scene", scene=2)),
    ],
)
def test_a_pick_counted_from_the_end(value: Any, pick: ShotPick | None) -> None:
    assert as_pick(value) == pick


def test_a_proposed_brief_keeps_it() -> None:
    brief = brief_from_model({"end_on": {"kind": "scene_from_end", "scene": 2}})
    assert brief is not None and brief.end_on == FROM_END_2
