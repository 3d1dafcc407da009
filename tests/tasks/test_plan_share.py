"""plan_edit with a length asked as a share of the source ("half its original length")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.brief import Brief, DurationAsk
from tasks.measure_shots import measure_shots
from tasks.plan_edit import plan_edit
from tests.tasks.shot_clips import FOUR_SHOTS, write_shots

LENGTH = 8.0


@pytest.mark.parametrize(("share", "target"), [(0.5, 4.0), (0.75, 6.0)])
def test_the_plan_fits_the_share_of_the_sources_length(
    tmp_path: Path, share: float, target: float
) -> None:
    shots = measure_shots(write_shots(tmp_path / "four.mp4", FOUR_SHOTS))
    brief = Brief(duration=DurationAsk(share_of_source=share))
    plan = plan_edit(brief, shots, [LENGTH])
    assert plan.target_s == pytest.approx(target)
    assert plan.expected_duration_s == pytest.approx(target, abs=0.01)
