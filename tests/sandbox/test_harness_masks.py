"""Which places the harness hides, decided without mounting anything.

Regression: a checkout whose .venv lives under /tmp (as a CI clone may) had its
site-packages hidden by the /tmp mask, so every script failed with "No module named
'moviepy'".
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sandbox import _harness


def _planned_masks(
    monkeypatch: pytest.MonkeyPatch, prefix: Path, scratch: Path
) -> dict[Path, list[Path]]:
    planned: dict[Path, list[Path]] = {}
    monkeypatch.setattr(sys, "prefix", str(prefix))
    monkeypatch.setattr(sys, "path", [str(prefix / "lib" / "python3.11" / "site-packages")])
    monkeypatch.setattr(_harness, "_mask", lambda d, keep: planned.setdefault(d, list(keep)))
    _harness._hide_private_places(scratch)
    return planned


def test_a_runtime_under_tmp_stays_visible(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if Path("/tmp").resolve() not in tmp_path.resolve().parents:
        pytest.skip("pytest's tmp_path is not under /tmp here")
    venv = tmp_path / "checkout" / ".venv"
    (venv / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    planned = _planned_masks(monkeypatch, venv, scratch)
    tmp_root = Path("/tmp").resolve()
    assert tmp_root in planned, "the /tmp mask must still be applied"
    kept = planned[tmp_root]
    assert venv.resolve() in kept
    assert scratch.resolve() in kept
    # Nothing else under /tmp survives: only the runtime and scratch.
    assert all(p == venv.resolve() or p == scratch.resolve() for p in kept)


def test_tmp_is_emptied_when_the_runtime_lives_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    planned = _planned_masks(monkeypatch, Path(sys.base_prefix), scratch)
    assert planned[Path("/tmp").resolve()] == [scratch.resolve()]
