"""The jail's scratch (issue 12): no writable directory, a size cap on every file it writes.

Each test runs a hostile script with the policy off (``_run_unchecked``) and checks, on the
host, what the run left in its scratch directory just before the runner removed it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.jail import JOB_FILES, SCRATCH_FILES
from sandbox.runner import Limits, _run_unchecked

HERE = Path(__file__).parent
PROCESSES = 24 + 8 * (os.cpu_count() or 2)
FILE_CAP = 24 * 1024**2
LIMITS = Limits(cpu_s=60, processes=PROCESSES, wall_s=120.0, file_bytes=FILE_CAP)


@pytest.fixture
def scratch_left(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """What each run's scratch held (names, total bytes) when the runner removed it."""
    seen: dict[str, Any] = {}
    remove = shutil.rmtree

    def record(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path).name.startswith("run-"):
            entries = [p for p in Path(path).rglob("*") if not p.is_symlink()]
            seen["names"] = sorted(str(p.relative_to(path)) for p in entries)
            seen["bytes"] = sum(p.stat().st_size for p in entries if p.is_file())
        remove(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", record)
    yield seen


def hostile(name: str) -> str:
    return (HERE / "hostile" / f"{name}.py").read_text(encoding="utf-8")


def test_a_file_flood_creates_nothing(clip: Path, tmp_path: Path, scratch_left: dict) -> None:
    result = _run_unchecked(hostile("file_flood"), [clip], tmp_path / "o.mp4", limits=LIMITS)
    assert not result.ok
    assert "no writable scratch directory" in (result.reason or ""), result.reason
    assert "FLOOD made 0" in result.log_tail
    assert scratch_left["names"] == sorted({*JOB_FILES, *SCRATCH_FILES})
    assert scratch_left["bytes"] < 64 * 1024
    assert not (tmp_path / "o.mp4").exists()


def test_filling_scratch_stops_at_the_file_cap(
    clip: Path, tmp_path: Path, scratch_left: dict
) -> None:
    result = _run_unchecked(hostile("fill_scratch"), [clip], tmp_path / "o.mp4", limits=LIMITS)
    assert not result.ok
    assert f"size limit of {FILE_CAP} bytes" in (result.reason or ""), result.reason
    # Three files at most, each at most the cap: the whole scratch stays bounded.
    assert scratch_left["names"] == sorted({*JOB_FILES, *SCRATCH_FILES})
    assert scratch_left["bytes"] <= len(SCRATCH_FILES) * FILE_CAP + 64 * 1024
    assert not (tmp_path / "o.mp4").exists()
