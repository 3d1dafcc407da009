"""The README's main job end to end on the real embedded CPU tier: it meets its own brief."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.cpu_tier, pytest.mark.slow]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_readme_job_meets_every_criterion_of_its_request(
    tmp_path: Path, cpu_tier: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.settings import get_settings
    from flows.creative_job import run_job
    from tasks.probe import probe

    monkeypatch.setenv("STUDIO_PROFILE", "embedded")
    monkeypatch.setenv("STUDIO_REDIS_URL", "")
    get_settings.cache_clear()
    # The README's job as written, run against a copy of its clip in a scratch folder.
    spec = yaml.safe_load((EXAMPLES / "job.yaml").read_text())
    shutil.copy(EXAMPLES / "clip.mp4", tmp_path / "clip.mp4")
    spec["output_dir"] = "out"
    job = tmp_path / "job.yaml"
    job.write_text(json.dumps(spec))

    first = run_job(job)

    assert first["route"] == "plan"
    assert first["intent"]["goal"].strip()
    assert all(a["blind"] for a in first["analyses"])  # the CPU tier has no vision
    ids = {c["id"] for c in first["checks"] if c["passed"] is not None}
    assert {"duration", "transitions", "end_on", "no_text"} <= ids
    assert first["checks_passed"] == first["checks_total"], first["checks"]
    video = Path(first["output_video"])
    assert abs(probe(video).duration - 6.0) <= 0.3  # decoded, not the summary's word
    assert [Path(p).suffix for p in first["timeline"]][:1] == [".otio"]
    report = (tmp_path / "out" / "report.md").read_text()
    assert "## Brief checklist" in report and "| ✗ |" not in report

    second = run_job(job)
    assert second["llm_calls"] == 0
    assert second["checks_passed"] == second["checks_total"]
    assert second["duration_s"] < first["duration_s"] * 0.5
