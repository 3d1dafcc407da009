"""Lengths written casually (tasks/brief/_patterns.py quantities)."""

from __future__ import annotations

import pytest

from tasks.brief import parse_request


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("half a min of footage", 30.0),
        ("make it half a minute", 30.0),
        ("a quarter of a minute", 15.0),
        ("quarter of a minute, tops", 15.0),
        ("half a sec", 0.5),
        ("thirty-ish seconds", 30.0),
        ("a 20ish second teaser", 20.0),
        ("10-ish sec", 10.0),
    ],
)
def test_casual_lengths(text: str, target: float) -> None:
    d = parse_request(text).duration
    assert d is not None
    assert (d.target_s or d.max_s) == pytest.approx(target)
    assert parse_request(text).free_text == []
