"""The checklist's words for a pick (tasks/brief/criteria.py)."""

from __future__ import annotations

import pytest

from tasks.brief import Brief, ShotPick, SpeedAsk


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "the last scene"), (2, "the second-to-last scene"), (3, "the third-to-last scene"),
     (6, "the 6th-to-last scene")],
)  # fmt: skip
def test_a_scene_counted_from_the_end_in_words(count: int, words: str) -> None:
    pick = ShotPick(kind="scene_from_end", scene=count)
    brief = Brief(
        start_on=pick, end_on=pick, speeds=[SpeedAsk(factor=0.5, applies_to="part", pick=pick)]
    )
    texts = {c.id: c.text for c in brief.criteria()}
    assert texts["start_on"] == f"starts on {words}"
    assert texts["end_on"] == f"ends on {words}"
    assert texts["speed-1"] == f"0.5x speed on part of the edit of {words}"
