"""The main job end to end on the real embedded CPU tier (llama.cpp) and real footage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.cpu_tier, pytest.mark.slow]


def test_main_job_on_cpu_tier_with_megamind(
    tmp_path: Path, cpu_tier: str, megamind: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.settings import get_settings
    from flows.creative_job import run_job

    monkeypatch.setenv("STUDIO_PROFILE", "embedded")
    monkeypatch.setenv("STUDIO_REDIS_URL", "")
    get_settings.cache_clear()
    job = tmp_path / "job.yaml"
    job.write_text(
        json.dumps(
            {
                "name": "megamind-teaser",
                "request": "A 5-second teaser of this clip that keeps its most dramatic moment.",
                "footage": str(megamind),
                "output_dir": "out",
                "sample_frames": {"strategy": "scene", "max_frames": 4},
                "generate_edit": {"mode": "script", "max_repairs": 1},
            }
        )
    )

    first = run_job(job)

    video = Path(first["output_video"])
    assert video.is_file() and video.stat().st_size > 1000
    assert first["intent"]["goal"].strip()
    assert first["analyses"], "no scene was analysed"
    # the CPU tier has no vision: every analysis must say it was blind
    assert all(a["blind"] for a in first["analyses"])
    assert first["llm_calls"] >= 2 + len(first["analyses"])
    assert (tmp_path / "out" / "report.md").read_text().count("### Scene") == len(first["analyses"])

    second = run_job(job)
    assert second["llm_calls"] == 0
    assert second["cache_hits"] >= 4 + len(first["analyses"])
    assert second["duration_s"] < first["duration_s"] * 0.2
