"""A job asked for a share of its footage's length ("half its original length") renders that
many seconds of it, and says so in seconds, even where the model proposed another length."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakes.openai_server import Reply
from tests.flows.conftest import INTENT, FakeRoles, write_job


def test_half_the_original_length_is_half_the_footage(
    tmp_path: Path, embedded_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows._edit_rounds as rounds
    from flows.creative_job import run_job
    from tasks.probe import probe

    # Every step of the rounds (plan, sound fitting, revisions, the best attempt) reads the
    # length in seconds: the job settles the share once the footage is known.
    seen: list[Any] = []
    real = rounds.run_rounds

    def spy(job: Any, say: Any) -> Any:
        seen.append(job.brief.duration)
        return real(job, say)

    monkeypatch.setattr(rounds, "run_rounds", spy)

    # The model guesses 8 s; the request's share of the 10 s clip is 5 s.
    embedded_roles.reasoning.default(Reply.json({**INTENT, "brief": {"duration": {"target_s": 8}}}))
    request = "Cut the clip to half its original length, with hard cuts."
    summary = run_job(write_job(tmp_path, request=request))

    assert summary["route"] == "plan"
    assert [(d.target_s, d.share_of_source) for d in seen] == [(5.0, None)]
    assert summary["brief"]["duration"]["share_of_source"] == 0.5  # the request's own ask
    assert summary["checks_passed"] == summary["checks_total"], summary["checks"]
    assert any(c["text"] == "duration 5 ± 0.3 s" for c in summary["checks"]), summary["checks"]
    assert abs(float(probe(Path(summary["output_video"])).duration) - 5.0) <= 0.3
