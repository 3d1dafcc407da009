"""The creative job's Prefect tasks: which carry a Prefect timeout, and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.settings import get_settings
from flows._caching import setup_cache
from flows._steps import build_tasks


@pytest.fixture
def tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path))
    monkeypatch.setenv("STUDIO_REDIS_URL", "")
    get_settings.cache_clear()
    try:
        return build_tasks(setup_cache(get_settings()))
    finally:
        get_settings.cache_clear()


def test_scene_analyses_have_no_prefect_timeout(tasks: dict[str, Any]) -> None:
    # They are submitted to the task runner's threads, where a Prefect timeout interrupts
    # nothing and costs a watcher thread and a warning per scene (flows/_analysis.py).
    assert tasks["analyze_frames"].timeout_seconds is None


def test_steps_run_in_the_flow_keep_their_timeouts(tasks: dict[str, Any]) -> None:
    for name in ("understand_intent", "sample_frames", "generate_edit", "render"):
        assert tasks[name].timeout_seconds > 0, name
