"""A job that fails after its output folder exists leaves nothing that looks finished.

The fault is injected where the name says: the render step's video is fully written to its
staging folder inside ``out/`` and the rename that publishes it then fails (a full disk,
say). The test proves the fault happened at that point before it checks what is left.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.flows.conftest import FakeRoles, write_job


def test_step_failing_after_out_exists_leaves_no_complete_looking_output(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.exceptions import JobError
    from flows.creative_job import run_job

    out = tmp_path / "out"
    injected: list[tuple[Path, int, list[str]]] = []
    real_replace = Path.replace

    def failing_replace(self: Path, target: str | os.PathLike[str]) -> Path:
        destination = Path(target)
        if destination.parent == out and destination.suffix == ".mp4":
            # What was on disk at the moment of the fault: the finished temporary video.
            present = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
            injected.append((self, self.stat().st_size, present))
            raise OSError(28, "No space left on device (injected)")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(JobError, match=r"No space left on device \(injected\); nothing was kept"):
        run_job(write_job(tmp_path))

    [(partial, size, present)] = injected
    assert out.is_dir() and partial.parent.parent == out  # the staging folder inside out/
    staged = str(partial.relative_to(out))
    assert size > 1000 and staged in present, "the fault hit before the video was written"
    leftovers = sorted(p.name for p in out.iterdir())
    assert leftovers == [], f"a failed job left {leftovers} in out/"
