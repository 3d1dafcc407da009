"""Fixtures shared by the whole suite.

Every test runs with its own PREFECT_HOME, STUDIO_HOME-derived state and a clean settings
cache, so no test sees another's results or the developer's machine. The CPU-tier model is
the one exception: it is large and read-only, so tests use the real one under the user's
studio home (``STUDIO_MODEL_HOME`` overrides).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

FOOTAGE_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "footage"
MEGAMIND = FOOTAGE_DIR / "Megamind.avi"
VTEST = FOOTAGE_DIR / "vtest.avi"

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from studio.settings import Settings, get_settings

    real_model = Settings().model_path
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "studio-home"))
    monkeypatch.setenv("STUDIO_CPU_MODEL_PATH", str(real_model))
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    for name in list(os.environ):
        if name.startswith("STUDIO_") and name not in (
            "STUDIO_HOME",
            "STUDIO_CPU_MODEL_PATH",
            "STUDIO_CPU_PORT",
            "STUDIO_REDIS_URL",
        ):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def megamind() -> Path:
    if not MEGAMIND.exists():
        pytest.skip(f"shared footage missing: {MEGAMIND}")
    return MEGAMIND


@pytest.fixture
def vtest() -> Path:
    if not VTEST.exists():
        pytest.skip(f"shared footage missing: {VTEST}")
    return VTEST
