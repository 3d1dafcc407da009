"""The CLI's promise: a bad input is one line on stderr, a traceback only with --debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STUDIO = [sys.executable, "-m", "studio.cli"]


def _studio(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STUDIO, *args], capture_output=True, text=True, timeout=120)


def test_help_lists_every_area() -> None:
    result = _studio("--help")
    assert result.returncode == 0
    for command in ("run", "tier", "footage", "sandbox", "history"):
        assert command in result.stdout


def test_bad_input_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = _studio("footage", "probe", str(tmp_path / "missing.avi"))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = _studio("--debug", "footage", "probe", str(tmp_path / "missing.avi"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr
