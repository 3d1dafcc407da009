"""A job asked for frames of its footage ("frames 48-96") renders those frames' seconds, read
at the footage's rate, even where the model read them at another."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.openai_server import Reply
from tests.flows.conftest import INTENT, FakeRoles, write_job


def test_frames_of_the_footage_are_read_at_its_rate(
    tmp_path: Path, embedded_roles: FakeRoles
) -> None:
    from flows.creative_job import run_job
    from tasks.probe import probe

    # The example clip runs at 24 fps: frames 48-96 are 2-4 s and 168-216 are 7-9 s. The
    # model guesses 30 fps.
    guess = {"use": {"kind": "ranges", "ranges": [[1.6, 3.2], [5.6, 7.2]]}}
    embedded_roles.reasoning.default(Reply.json({**INTENT, "brief": guess}))
    request = "Frames 48-96 and frames 168-216 of the clip, with hard cuts."
    summary = run_job(write_job(tmp_path, request=request))

    assert summary["brief"]["use"]["ranges"] == [[2.0, 4.0], [7.0, 9.0]]
    assert summary["checks_passed"] == summary["checks_total"], summary["checks"]
    assert float(probe(Path(summary["output_video"])).duration) == pytest.approx(4.0, abs=0.3)
