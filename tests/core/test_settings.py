from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings


def test_every_field_is_described() -> None:
    missing = [name for name, field in Settings.model_fields.items() if not field.description]
    assert missing == []


def test_env_prefix_and_model_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_PROFILE", "vllm")
    monkeypatch.delenv("STUDIO_CPU_MODEL_PATH", raising=False)
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path))
    settings = Settings()
    assert settings.profile == "vllm"
    assert settings.model_path.parent == tmp_path / "models"


def test_secrets_do_not_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_VLLM_API_KEY", "canary-7f3a")
    settings = Settings()
    assert "canary-7f3a" not in repr(settings)
    assert "canary-7f3a" not in settings.model_dump_json()
