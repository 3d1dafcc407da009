"""Issue 13, item 6: every ``studio`` command fed bad input fails in one line, writing nothing.

Each case runs the real command line in a subprocess, in a scratch folder holding the bad
inputs (non-UTF-8 YAML, a YAML bomb, a 1 MB request, NUL bytes, a text file named ``.mp4``,
shell metacharacters in names...). A failure must exit 1 with exactly one ``error: ...``
line (or 2 with the usage message for a malformed option), print no traceback, and leave
every file where it was: nothing is created, changed or removed, and no shell ever runs
the metacharacters. ``PREFECT_API_URL`` points at a closed port, so a case that wrongly got
as far as starting a flow fails with a connection error instead of starting a server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIP = ROOT / "examples" / "clip.mp4"
BOX = re.compile(r"[│╭╮╰╯─]")

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
HUGE_REQUEST = "x" * 1_000_000
DEEP = "[" * 30_000 + "]" * 30_000
LONG_TEXT = "a" * 100_000  # near the kernel's limit for one argument (128 KiB)

# (id, argv, exit code, what stderr must say; {w} is the scratch folder), extra env
Case = tuple[str, list[str], int, str, dict[str, str]]
CASES: list[Case] = [
    # --- studio run: the job spec file -------------------------------------------------
    ("run-missing", ["run", "missing.yaml"], 1, "error: job spec not found: {w}/missing.yaml", {}),
    ("run-dir", ["run", "dir"], 1, "error: cannot read job spec {w}/dir: Is a directory", {}),
    ("run-latin1", ["run", "latin.yaml"], 1,
     "error: cannot read job spec {w}/latin.yaml: not UTF-8 text (byte 9)", {}),
    ("run-dev-zero", ["run", "/dev/zero"], 1,
     "error: job spec /dev/zero is larger than 1048576 bytes", {}),
    ("run-yaml-bomb", ["run", "bomb.yaml"], 1,
     "error: bomb.yaml: more than 10000 values once YAML aliases are expanded", {}),
    ("run-1mb-request", ["run", "huge.yaml"], 1,
     "error: huge.yaml line 2: request: String should have at most 4000 characters", {}),
    ("run-nul-in-request", ["run", "nul.yaml"], 1,
     "error: nul.yaml line 2: request: contains a control character (a NUL byte, say)", {}),
    ("run-raw-nul", ["run", "rawnul.yaml"], 1,
     "error: rawnul.yaml: character #x0000 at position 7 is not allowed", {}),
    ("run-wrong-type", ["run", "ok.yaml", "--set", "sample_frames.max_frames=[1, 2]"], 1,
     "error: ok.yaml (--set): sample_frames.max_frames: Input should be a valid integer", {}),
    ("run-huge-number", ["run", "ok.yaml", "--set", "generate_edit.revisions=.inf"], 1,
     "error: ok.yaml (--set): generate_edit.revisions: Input should be a finite number", {}),
    ("run-set-no-value", ["run", "ok.yaml", "--set", "nokey"], 1,
     "error: --set 'nokey': expected key=value", {}),
    ("run-set-deep", ["run", "ok.yaml", "--set", f"name={DEEP}"], 1,
     "error: --set name: the YAML nests too deeply", {}),
    ("run-traversal", ["run", "ok.yaml", "--set", "output_dir=../../../../tmp/escape"], 1,
     "error: ok.yaml (--set): output_dir: relative path '../../../../tmp/escape' escapes", {}),
    ("run-output-is-file", ["run", "ok.yaml", "--set", "output_dir={w}/bad.mp4/out"], 1,
     "error: output_dir: {w}/bad.mp4 is not a folder", {}),
    ("run-metachar-footage", ["run", "ok.yaml", "--set", "footage=$(touch pwned).mp4"], 1,
     "error: ok.yaml (--set): footage: file not found: {w}/$(touch pwned).mp4", {}),
    ("run-not-a-video",
     ["run", "ok.yaml", "--set", "footage=bad.mp4", "--set", "name=`touch pwned`"], 1,
     "error: footage[0]: not a video (no decodable video stream): {w}/bad.mp4", {}),
    ("run-bad-option", ["run", "ok.yaml", "--bogus"], 2, "No such option: --bogus", {}),
    ("run-no-spec", ["run"], 2, "Missing argument 'job'", {}),
    # --- studio footage ----------------------------------------------------------------
    ("probe-missing", ["footage", "probe", "$(touch pwned).mp4"], 1,
     "error: no such file: $(touch pwned).mp4", {}),
    ("probe-non-utf8-name", ["footage", "probe", os.fsdecode(b"clip\xff.mp4")], 1,
     "error: no such file: clip\\udcff.mp4", {}),
    ("probe-dir", ["footage", "probe", "dir"], 1,
     "error: is a directory, not a video file: dir", {}),
    ("probe-text", ["footage", "probe", "bad.mp4"], 1,
     "error: not a video (no decodable video stream): bad.mp4", {}),
    ("probe-device", ["footage", "probe", "/dev/zero"], 1,
     "error: not a regular file: /dev/zero", {}),
    ("sample-zero-frames", ["footage", "sample", str(CLIP), "-o", "f", "--max-frames", "0"], 2,
     "Invalid value for '--max-frames'", {}),
    ("sample-zero-pixels", ["footage", "sample", str(CLIP), "-o", "f", "--max-pixels", "0"], 1,
     "error: max_pixels must be at least 784, got 0", {}),
    ("sample-out-is-file", ["footage", "sample", str(CLIP), "-o", "bad.mp4"], 1,
     "error: cannot write frames to bad.mp4", {}),
    ("sample-strategy", ["footage", "sample", str(CLIP), "-o", "f", "--strategy", "best"], 2,
     "Invalid value for '--strategy'", {}),
    ("search-empty", ["footage", "search", ""], 1, "error: search needs at least one word", {}),
    ("search-limit", ["footage", "search", "car", "-n", "0"], 2, "Invalid value for '--limit'", {}),
    ("search-no-library", ["footage", "search", "car", "-l", "nolib"], 1,
     "error: no footage catalog at nolib/catalog.sqlite", {}),
    # --- studio sandbox ----------------------------------------------------------------
    ("check-missing", ["sandbox", "check", "none.py"], 1, "error: cannot read script none.py", {}),
    ("check-latin1", ["sandbox", "check", "latin.py"], 1, "error: cannot read script latin.py", {}),
    ("check-nul", ["sandbox", "check", "nul.py"], 1, "error: nul.py: refused (1 finding(s))", {}),
    ("check-1mb", ["sandbox", "check", "big.py"], 1, "error: big.py: refused", {}),
    ("run-timeout-nan", ["sandbox", "run", "ok.py", "-i", str(CLIP), "-o", "o.mp4", "--timeout",
                         "nan"], 2, "Invalid value for '--timeout': nan", {}),
    ("run-timeout-negative", ["sandbox", "run", "ok.py", "-i", str(CLIP), "-o", "o.mp4",
                              "--timeout", "-1"], 2, "Invalid value for '--timeout': -1", {}),
    ("run-timeout-inf", ["sandbox", "run", "ok.py", "-i", str(CLIP), "-o", "o.mp4", "--timeout",
                         "1e400"], 2, "Invalid value for '--timeout': inf", {}),
    ("run-not-mp4", ["sandbox", "run", "ok.py", "-i", str(CLIP), "-o", "`touch pwned`.avi"], 2,
     "Invalid value for '--output': `touch pwned`.avi: the render is an .mp4 file", {}),
    ("run-no-input", ["sandbox", "run", "ok.py", "-i", "none.mp4", "-o", "o.mp4"], 1,
     "error: input clip not found: none.mp4", {}),
    ("run-no-output", ["sandbox", "run", "ok.py", "-i", str(CLIP)], 1,
     "error: --output is required unless --validate-only is given", {}),
    # --- studio analyze ----------------------------------------------------------------
    ("analyze-missing", ["analyze", "a;touch pwned"], 1,
     "error: no such file or folder: a;touch pwned", {}),
    ("analyze-abs-glob", ["analyze", "dir", "--glob", "/etc/*"], 1,
     "error: glob '/etc/*': a pattern inside the folder", {}),
    ("analyze-up-glob", ["analyze", "dir", "--glob", "../*"], 1,
     "error: glob '../*': a pattern inside the folder", {}),
    ("analyze-empty-glob", ["analyze", "dir", "--glob", ""], 1,
     "error: glob '': a pattern inside the folder", {}),
    ("analyze-no-clips", ["analyze", "dir"], 1, "error: no clips to analyse", {}),
    ("analyze-frames", ["analyze", "dir", "--max-frames", "65"], 2,
     "Invalid value for '--max-frames'", {}),
    # --- the inference tier, the gateway, vLLM scripts, settings -----------------------
    ("intent-empty", ["intent", " "], 1, "error: the creative request is empty", {}),
    ("intent-huge", ["intent", LONG_TEXT], 1,
     "error: request: 100000 characters; at most 4000", {}),
    ("gateway-port", ["gateway", "--port", "99999"], 2, "Invalid value for '--port'", {}),
    ("gateway-log-level", ["gateway", "--log-level", "loud"], 2, "Invalid value for '--log-level'",
     {}),
    ("tier-timeout", ["tier", "up", "--timeout", "soon"], 2, "Invalid value for '--timeout'", {}),
    ("vllm-missing", ["vllm", "render", "--routing-file", "none.yaml"], 1,
     "error: routing file not found: none.yaml", {}),
    ("vllm-latin1", ["vllm", "render", "--routing-file", "latin.yaml"], 1,
     "error: cannot read routing file latin.yaml: not UTF-8 text (byte 9)", {}),
    ("vllm-bomb", ["vllm", "check", "--routing-file", "bomb.yaml"], 1,
     "error: routing file bomb.yaml: more than 10000 values once YAML aliases are expanded", {}),
    ("vllm-dev-zero", ["vllm", "check", "--routing-file", "/dev/zero"], 1,
     "error: routing file /dev/zero is larger than 1048576 bytes", {}),
    ("vllm-profile", ["vllm", "render", "--profile", "../../etc"], 1,
     f"error: routing file {ROOT}/deployments/inference.yaml has no profile '../../etc'", {}),
    ("settings-type", ["config"], 1, "error: STUDIO_CPU_PORT: Input should be a valid integer",
     {"STUDIO_CPU_PORT": "abc"}),
    ("settings-range", ["tier", "status"], 1,
     "error: STUDIO_GATEWAY_PORT: Input should be less than or equal to 65535",
     {"STUDIO_GATEWAY_PORT": "99999999"}),
    ("history-limit", ["history", "-n", "0"], 2, "Invalid value for '--limit'", {}),
    ("up-option", ["up", "--bogus"], 2, "No such option: --bogus", {}),
    ("reset-option", ["reset", "--bogus"], 2, "No such option: --bogus", {}),
    ("worker-option", ["worker", "--bogus"], 2, "No such option: --bogus", {}),
    ("unknown-command", ["render-everything"], 2, "No such command 'render-everything'", {}),
]  # fmt: skip


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bad inputs, in a folder the commands run in."""
    w = tmp_path_factory.mktemp("bad-input")
    (w / "dir").mkdir()
    (w / "home").mkdir()
    (w / "bad.mp4").write_text("not a video\n")
    (w / "latin.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    (w / "bomb.yaml").write_text(BOMB + "name: *i\n")
    spec = f"name: t\nrequest: r\nfootage: {CLIP}\noutput_dir: out\n"
    (w / "ok.yaml").write_text(spec)
    (w / "huge.yaml").write_text(spec.replace("request: r", f"request: {HUGE_REQUEST}"))
    (w / "nul.yaml").write_text(spec.replace("request: r", 'request: "cut\\0this"'))
    (w / "rawnul.yaml").write_text("name: t\x00\n")
    (w / "ok.py").write_text("def edit(source):\n    return source.subclipped(0, 1)\n")
    (w / "nul.py").write_bytes(b"x = 1\x00\n")
    (w / "latin.py").write_bytes(b"def edit(s):\n    return s  # \xff\n")
    (w / "big.py").write_text("x" * 1_000_000)
    return w


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder`` with its size and mtime (nanoseconds)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size if p.is_file() else -1, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def _flat(text: str) -> str:
    """Usage errors come in a box that wraps: compare their words, not their layout."""
    return " ".join(BOX.sub(" ", text).split())


@pytest.mark.parametrize(("argv", "code", "expected", "env"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])  # fmt: skip
def test_bad_input_is_one_line_and_writes_nothing(
    scratch: Path, argv: list[str], code: int, expected: str, env: dict[str, str]
) -> None:
    before = _state(scratch)
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDIO_", "PREFECT_"))}
    run_env.update(
        PYTHONPATH=str(ROOT),
        HOME=str(scratch / "home"),
        STUDIO_HOME=os.environ["STUDIO_HOME"],
        PREFECT_HOME=os.environ["PREFECT_HOME"],
        PREFECT_API_URL="http://127.0.0.1:9/api",  # closed: no flow may start
        COLUMNS="200",
        **env,
    )
    proc = subprocess.run(
        [sys.executable, "-m", "studio.cli", *(a.format(w=scratch) for a in argv)],
        capture_output=True, text=True,
        env=run_env, cwd=scratch, timeout=180, check=False,
    )  # fmt: skip
    stderr = proc.stderr
    assert proc.returncode == code, stderr[-2000:]
    assert "Traceback" not in stderr and "Traceback" not in proc.stdout, stderr[-4000:]
    expected = expected.format(w=scratch)
    if code == 1:
        errors = [line for line in stderr.splitlines() if line.strip()]
        assert errors and errors[-1].startswith(expected), stderr[-2000:]
        assert sum(line.startswith("error") for line in errors) == 1, stderr[-2000:]
        assert "\n" not in errors[-1]
    else:
        assert "Usage:" in stderr and _flat(expected) in _flat(stderr), stderr[-2000:]
    assert _state(scratch) == before, "a failed command changed files"
    # No shell ran the metacharacters (which would have created a file named "pwned").
    assert not [p for p in scratch.rglob("pwned")] and not (ROOT / "pwned").exists()
