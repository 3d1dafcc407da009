"""Atomic writes leave the old file or the new one, never a part; temporary files of writers
that were killed are cleared, live writers' are kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.files import remove_stale_partials, write_atomic


def test_only_dead_writers_partials_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "analysis.json"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    names = {
        "dead": f".analysis.json.{dead.pid}.1.abcd1234.partial",
        "mine": f".analysis.json.{os.getpid()}.1.abcd1234.partial",
        "live": ".analysis.json.1.1.abcd1234.partial",  # pid 1 always runs
        "other": f".report.md.{dead.pid}.1.abcd1234.partial",
        "odd": ".analysis.json.x.partial",
    }
    for name in names.values():
        (tmp_path / name).write_text("half")
    write_atomic(target, b"{}")

    removed = remove_stale_partials(target)

    assert [p.name for p in removed] == [names["dead"]]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*(n for k, n in names.items() if k != "dead"), "analysis.json"])


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "analysis.json"
    write_atomic(target, b"old")
    real_replace = Path.replace
    seen: list[bytes] = []

    def failing_replace(self: Path, destination: str | os.PathLike[str]) -> Path:
        if self.name.endswith(".partial"):
            seen.append(self.read_bytes())  # the whole new content was on disk at the fault
            raise OSError(5, "Input/output error (injected)")
        return real_replace(self, destination)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="injected"):
        write_atomic(target, b"new")

    assert seen == [b"new"], "the fault did not hit the rename of a written temporary file"
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.json"]
