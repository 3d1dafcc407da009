"""studio.cli._live: a rich display on a terminal, plain lines in a log, NO_COLOR honoured."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.cli import _live

ROOT = Path(__file__).resolve().parents[2]
# Any SGR sequence that sets a colour (foreground/background, 8/16/256/truecolour).
_COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")

_SHOW = """
import time
from studio.cli._live import live

with live("[studio]") as board:
    board.step("sampling frames from clip.mp4...")
    board.count("frames decoded", 480, 960)
    time.sleep(0.4)
    board.step("analysing 8 scenes (1 at a time)...")
    board.count("frames decoded", 960, 960)
    board.count("scenes analysed", 3, 8)
    for _ in range(42):
        board.tokens(1)
    time.sleep(0.4)
print("summary on stdout", flush=True)
"""


def _on_a_terminal(**env: str) -> str:
    """Run the snippet under ``script`` (a pty for stdin, stdout and stderr); its output."""
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(_SHOW)}"
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "STUDIO_QUIET")}
    result = subprocess.run(
        ["script", "-qfec", command, "/dev/null"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**base, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "120", **env},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_terminal_gets_a_live_display_with_counts_and_tokens() -> None:
    out = _on_a_terminal()
    assert "\x1b[?25l" in out  # rich's live display hides the cursor while it draws
    assert "[studio] sampling frames from clip.mp4..." in out
    assert "[studio] analysing 8 scenes (1 at a time)..." in out
    assert re.search(r"frames decoded.*480/960 \(50%\)", out)
    assert re.search(r"scenes analysed.*3/8", out)
    assert re.search(r"from the model.*42 tokens", out)
    assert _COLOUR.search(out)  # the bar is coloured unless NO_COLOR says otherwise
    assert "summary on stdout" in out


def test_no_color_keeps_the_display_without_colour() -> None:
    out = _on_a_terminal(NO_COLOR="1")
    assert re.search(r"scenes analysed.*3/8", out)
    assert not _COLOUR.search(out)


def test_quiet_shows_nothing_on_a_terminal() -> None:
    out = _on_a_terminal(STUDIO_QUIET="1")
    assert out.strip() == "summary on stdout"


def test_a_log_gets_plain_lines_only() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SHOW],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "\x1b" not in result.stderr
    assert result.stderr.splitlines() == [
        "[studio] sampling frames from clip.mp4...",
        "[studio] analysing 8 scenes (1 at a time)...",
    ]
    assert result.stdout == "summary on stdout\n"


def test_plain_counts_speak_only_after_a_silence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_live, "_EVERY_S", 0.2)
    with _live.live("[studio]") as board:
        board.step("analysing 5 clip(s)...")
        board.count("clips", 1, 5)  # just said something: no line
        time.sleep(0.3)
        board.count("clips", 2, 5)
        board.count("clips", 3, 5)  # a line was just printed: no line
    assert capsys.readouterr().err.splitlines() == [
        "[studio] analysing 5 clip(s)...",
        "[studio] clips: 2/5",
    ]


def test_a_silent_step_gets_still_lines_with_counts_and_tokens(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_live, "_HEARTBEAT_S", 0.1)
    monkeypatch.setattr(_live, "_EVERY_S", 60.0)
    with _live.live("[studio]") as board:
        board.step("analysing 8 scenes...")
        board.count("scenes analysed", 3, 8)
        board.count("frames decoded", 960, 960)  # finished: not repeated
        board.tokens(7)
        time.sleep(0.35)
        board.step("rendering...")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "[studio] analysing 8 scenes..."
    assert lines[-1] == "[studio] rendering..."
    still = lines[1:-1]
    assert 2 <= len(still) <= 3
    pattern = r"\[studio\] still analysing 8 scenes \(0 s; scenes analysed 3/8; 7 tokens\)"
    assert all(re.fullmatch(pattern, x) for x in still), still


def test_quiet_hides_everything(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIO_QUIET", "1")
    with _live.live() as board:
        board.step("rendering...")
        board.count("clips", 1, 2)
        board.tokens(3)
    assert capsys.readouterr().err == ""


_NAP = """
import os, sys, time
from studio import cli
from studio.cli._live import live
from studio.cli._output import set_interrupt_note

@cli.app.command("nap")
def nap() -> None:
    set_interrupt_note("nothing was written")
    with live() as board:
        board.step("napping...")
        board.count("clips", 1, 3)
        print(f"ready pid={os.getpid()}.", file=sys.stderr, flush=True)
        time.sleep(60)

sys.argv = ["studio", "nap"]
cli.main()
"""


def test_ctrl_c_on_a_terminal_clears_the_display_and_exits_130(tmp_path: Path) -> None:
    script = tmp_path / "nap.py"
    script.write_text(_NAP)
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}; echo rc=$?"
    proc = subprocess.Popen(
        ["script", "-qfec", command, "/dev/null"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", "TERM": "xterm"},
    )
    assert proc.stdout is not None
    seen = b""
    while not re.search(rb"ready pid=(\d+)\.", seen):
        chunk = os.read(proc.stdout.fileno(), 4096)
        assert chunk, seen
        seen += chunk
    child = int(re.search(rb"ready pid=(\d+)\.", seen).group(1))  # type: ignore[union-attr]
    os.kill(child, signal.SIGINT)  # what Ctrl-C sends to the foreground process
    rest, _ = proc.communicate(timeout=30)
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", (seen + rest).decode(errors="replace"))
    lines = [x.strip() for x in re.split(r"[\r\n]+", out) if x.strip()]
    assert lines[-2:] == ["interrupted: studio nap; nothing was written", "rc=130"]
    assert b"\x1b[?25h" in rest  # the cursor is shown again
