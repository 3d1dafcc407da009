from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.flows.conftest import FakeRoles, write_job

STUDIO = [str(Path(sys.executable).with_name("studio"))]


def _env() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    # Reuse the session's test server instead of starting an ephemeral one per call.
    env["PREFECT_API_URL"] = str(PREFECT_API_URL.value())
    return env


def test_run_json_last_stdout_line_is_the_summary(tmp_path: Path, fake_roles: FakeRoles) -> None:
    job = write_job(tmp_path)
    proc = subprocess.run(
        [*STUDIO, "run", str(job), "--set", "sample_frames.max_frames=4", "--json"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    for key in (
        "output_video",
        "report",
        "intent",
        "scenes",
        "analyses",
        "llm_calls",
        "cache_hits",
    ):
        assert key in summary
    assert Path(summary["output_video"]).is_file()
    assert summary["llm_calls"] == fake_roles.chat_count
    assert proc.stderr.startswith("[studio] starting the flow run...\n")
    assert "[studio] analysing 4 scenes" in proc.stderr
    assert "[studio] done in" in proc.stderr


def test_bad_spec_prints_one_error_line(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text("name: x\nrequest: y\nfootage: missing.mp4\noutput_dir: out\ncolour: red\n")
    proc = subprocess.run(
        [*STUDIO, "run", str(job)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.strip() == "error: job.yaml line 5: colour: unknown key"


def test_bad_footage_is_one_error_line_without_traceback(tmp_path: Path) -> None:
    # Issue 18: the footage is probed at admission, before Prefect starts or any step runs.
    (tmp_path / "bad.mp4").write_text("not a video")
    job = tmp_path / "job.yaml"
    job.write_text(
        "name: bad\nrequest: y\nfootage: bad.mp4\noutput_dir: out\nsteps: [sample_frames]\n"
    )
    proc = subprocess.run(
        [*STUDIO, "run", str(job)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert errors == [
        f"error: footage[0]: not a video (no decodable video stream): {tmp_path / 'bad.mp4'}"
    ]
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_run_on_a_terminal_shows_scenes_and_streamed_tokens(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    import re
    import shlex

    from tests.fakes.openai_server import write_routing

    # The fakes stand for vLLM servers that report usage with a stream.
    servers = {"reasoning": [fake_roles.reasoning], "vision": [fake_roles.vision]}
    servers["coder"] = [fake_roles.coder]
    routing = write_routing(tmp_path / "streaming.yaml", servers, timeout=30.0, stream_usage=True)
    job = write_job(tmp_path)
    env = {k: v for k, v in _env().items() if k not in ("NO_COLOR", "STUDIO_QUIET")}
    env.update(STUDIO_ROUTING_FILE=str(routing), COLUMNS="120", TERM="xterm-256color")
    command = shlex.join([*STUDIO, "run", str(job), "--set", "sample_frames.max_frames=4"])
    proc = subprocess.run(
        ["script", "-qfec", command, "/dev/null"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:]
    assert "\x1b[?25l" in out  # a live display, not plain lines
    assert "[studio] analysing 4 scenes" in out
    assert re.search(r"scenes analysed\s.*\d/4", out), out[-3000:]
    assert re.search(r"from the model\s.*\d+ tokens", out), out[-3000:]
    assert "output video:" in out
    streamed = [r for s in (fake_roles.reasoning, fake_roles.vision) for r in s.requests]
    assert streamed and all(r.get("stream") is True for r in streamed)
