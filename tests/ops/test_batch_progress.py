"""Batch analysis progress (issue 19): clips done of total, a bar on a terminal, lines in a log.

The clips are real (vtest, and a file that is not a video); the vision answers come from the
scripted fake server; the Prefect server is the ops session's.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import Settings
from tests.fakes.openai_server import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clips(tmp_path: Path, vtest: Path) -> list[Path]:
    bad = tmp_path / "bad.avi"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00AVI garbage, not a video" * 40)
    return [bad, vtest]


@pytest.mark.prefect_server
def test_the_batch_counts_every_clip_done_failed_or_not(
    prefect_api: object, fake_vision: FakeOpenAI, clips: list[Path], tmp_path: Path
) -> None:
    from flows.batch_analysis import batch_analysis, on_count

    seen: list[tuple[str, int, int | None]] = []
    with on_count(lambda what, done, total: seen.append((what, done, total))):
        state = batch_analysis(
            folder=str(tmp_path),
            output=str(tmp_path / "library"),
            max_frames=3,
            files=[str(c) for c in clips],
            return_state=True,
        )
    assert state.is_failed()  # the bad clip fails alone
    assert [x for x in seen if x[0] == "clips"] == [
        ("clips", 0, 2),
        ("clips", 1, 2),
        ("clips", 2, 2),
    ]


def _studio_analyze(
    settings: Settings, clips: list[Path], library: Path, *, terminal: bool
) -> subprocess.CompletedProcess[str]:
    from studio import stack
    from studio.credential import AUTH_ENV, read_credential

    # STUDIO_ROUTING_FILE and STUDIO_PROFILE come along: fake_vision set them here.
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "STUDIO_QUIET")}
    env.update(
        PREFECT_API_URL=stack.api_url(settings),
        PYTHONPATH=str(ROOT),
        COLUMNS="120",
        TERM="xterm-256color",
    )
    env[AUTH_ENV] = read_credential(settings) or ""
    argv = [sys.executable, "-m", "studio.cli", "analyze", *map(str, clips)]
    argv += ["--max-frames", "3", "-l", str(library)]
    if terminal:
        argv = ["script", "-qfec", shlex.join(argv), "/dev/null"]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.mark.prefect_server
def test_studio_analyze_shows_clips_done_on_a_terminal_and_lines_in_a_log(
    prefect_server: Settings, fake_vision: FakeOpenAI, clips: list[Path], tmp_path: Path
) -> None:
    shown = _studio_analyze(prefect_server, clips, tmp_path / "lib1", terminal=True)
    assert shown.returncode == 1, shown.stdout[-3000:]  # one clip failed: the command fails
    assert "[studio] analysing 2 clip(s)..." in shown.stdout
    assert re.search(r"clips\s.*1/2", shown.stdout), shown.stdout[-3000:]
    assert "\x1b[?25l" in shown.stdout  # the live display drew on the terminal

    logged = _studio_analyze(prefect_server, clips, tmp_path / "lib2", terminal=False)
    assert logged.returncode == 1
    assert "[studio] analysing 2 clip(s)..." in logged.stderr
    assert "\x1b" not in logged.stderr + logged.stdout
    assert "1 analysed, 0 already complete, 1 failed" in logged.stdout
