"""verify_edit checks a length asked as a share of the source in seconds of that source."""

from __future__ import annotations

from pathlib import Path

from tasks.brief import Brief, CheckResult, DurationAsk
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

from .conftest import Build

GOOD = [(0.25, 1.75), (2.25, 3.75), (4.25, 5.75), (6.25, 7.75)]  # 6 s of the 8 s source


def _length(render: Path, source: Path, shots: list[Shot], share: float) -> CheckResult:
    brief = Brief(duration=DurationAsk(share_of_source=share))
    return next(
        r for r in verify_edit(render, [source], brief, shots) if r.criterion.id == "duration"
    )


def test_a_share_of_the_source_is_checked_in_its_seconds(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    render = build("good", GOOD)
    met = _length(render, source, shots, 0.75)
    assert met.passed is True and met.criterion.text == "duration 6 ± 0.3 s"
    missed = _length(render, source, shots, 0.5)
    assert missed.passed is False
    assert missed.discrepancy == "the edit is 6.00 s; the brief asks 4 ± 0.3 s"
