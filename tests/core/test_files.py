"""Temporary files of writers that were killed are cleared; live writers' are kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
