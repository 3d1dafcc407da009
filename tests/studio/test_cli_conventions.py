"""Issue 19: exit codes, usage errors, Ctrl-C, --debug anywhere, --version/-h, --json."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STUDIO = [sys.executable, "-m", "studio.cli"]


def _studio(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Only the settings a test names: session fixtures export theirs (the CPU tier's own
    # port, say), and "source: default" must mean the default.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    return subprocess.run(
        [*STUDIO, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**inherited, **env},
    )


def test_usage_error_is_typers_own_with_exit_2() -> None:
    result = _studio("history", "--jsn")
    assert result.returncode == 2
    assert "No such option: --jsn" in result.stderr
    assert "--json" in result.stderr  # the close match
    assert "Usage: studio history" in result.stderr
    assert "NoSuchOption" not in result.stderr
    assert "error: " not in result.stderr


def test_bare_studio_prints_help_and_exits_2() -> None:
    result = _studio()
    assert result.returncode == 2
    assert "Usage: studio" in result.stdout + result.stderr
    assert "NoArgsIsHelpError" not in result.stdout + result.stderr


def test_failed_command_exits_1_with_one_line(tmp_path: Path) -> None:
    result = _studio("footage", "probe", str(tmp_path / "missing.avi"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no such file: {tmp_path / 'missing.avi'}"
    ]


def test_debug_is_accepted_after_the_command(tmp_path: Path) -> None:
    result = _studio("footage", "probe", str(tmp_path / "missing.avi"), "--debug")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "FootageError" in result.stderr
    assert "No such option" not in result.stderr


def test_studio_debug_env_shows_the_traceback(tmp_path: Path) -> None:
    result = _studio("footage", "probe", str(tmp_path / "missing.avi"), STUDIO_DEBUG="1")
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_version_and_short_help() -> None:
    version = _studio("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("studio ")
    assert version.stdout.split()[1][0].isdigit()
    short = _studio("footage", "sample", "-h")
    assert short.returncode == 0
    assert "--max-frames" in short.stdout


def test_completion_is_offered() -> None:
    result = _studio("--show-completion", "bash", SHELL="/bin/bash")
    assert result.returncode == 0
    assert "_STUDIO_COMPLETE" in result.stdout


_SLEEPER = """
import sys, time, typer
from studio import cli
from studio.cli._output import set_interrupt_note

@cli.app.command("nap")
def nap() -> None:
    set_interrupt_note("nothing was written")
    print("ready", flush=True)
    time.sleep(60)

sys.argv = ["studio", "nap"]
cli.main()
"""


def test_ctrl_c_exits_130_with_one_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLEEPER],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["interrupted: studio nap; nothing was written"]


def test_config_json_lists_every_setting_with_secrets_masked() -> None:
    from core.settings import Settings

    result = _studio(
        "config",
        "--json",
        STUDIO_GATEWAY_KEYS="sk-very-secret",
        STUDIO_REDIS_URL="redis://user:hunter2@cache:6379/0",
    )
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(rows) == set(Settings.model_fields)
    assert "sk-very-secret" not in result.stdout
    assert "hunter2" not in result.stdout
    assert rows["gateway_keys"]["value"] == "********"
    assert rows["gateway_keys"]["source"] == "env"
    assert rows["redis_url"]["value"] == "redis://user:********@cache:6379/0"
    assert rows["cpu_port"] == {
        "name": "cpu_port",
        "env": "STUDIO_CPU_PORT",
        "value": 8088,
        "source": "default",
        "description": Settings.model_fields["cpu_port"].description,
    }


def test_config_table_shows_the_value_in_effect() -> None:
    result = _studio("config", STUDIO_CPU_PORT="9123")
    assert result.returncode == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith("STUDIO_CPU_PORT "))
    assert line.split() == ["STUDIO_CPU_PORT", "9123", "(env)"]


_REFUSED = """from moviepy.editor import VideoFileClip
import os

def edit(source):
    os.system("ls")
    return source.subclip(0, 1).set_duration(1)
"""


def test_sandbox_check_json_lists_every_finding_with_moviepy2_names(tmp_path: Path) -> None:
    script = tmp_path / "edit.py"
    script.write_text(_REFUSED)
    result = _studio("sandbox", "check", str(script), "--json")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["allowed"] is False
    by_name = {f["message"].split("'")[1]: f for f in doc["findings"]}
    assert set(by_name) >= {"moviepy.editor", "os", "system", "subclip", "set_duration"}
    assert "subclipped" in by_name["subclip"]["hint"]
    assert "with_duration" in by_name["set_duration"]["hint"]
    assert by_name["system"]["hint"] is None  # no MoviePy replacement for os.system
    assert result.stderr.strip().splitlines() == [
        f"error: {script}: refused ({len(doc['findings'])} finding(s))"
    ]


def test_sandbox_run_shows_every_finding_before_refusing(tmp_path: Path) -> None:
    script = tmp_path / "edit.py"
    script.write_text(_REFUSED)
    out = tmp_path / "out.mp4"
    result = _studio("sandbox", "run", str(script), "-i", str(tmp_path / "x.mp4"), "-o", str(out))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [x.split(": [")[0] for x in lines if x.startswith(f"{script}:")] == [
        f"{script}:{n}" for n in (1, 2, 5, 6, 6)
    ]
    assert "`clip.subclipped(a, b)`" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert not out.exists()


def test_one_vocabulary_old_flag_names_are_hidden_aliases() -> None:
    sample = _studio("footage", "sample", "-h", COLUMNS="200")
    assert "--output" in sample.stdout and "--out " not in sample.stdout
    assert "<scene|uniform|keyframes>" in sample.stdout  # choices shown as choices
    analyze = _studio("analyze", "-h", COLUMNS="200")
    assert "--library" in analyze.stdout and "--output" not in analyze.stdout
    assert "Settings" not in analyze.stdout + sample.stdout
    bad = _studio("footage", "sample", "x.mp4", "-o", "out", "--strategy", "scenes")
    assert bad.returncode == 2 and "'scenes' is not one of" in bad.stderr


def test_vllm_check_json_parses() -> None:
    result = _studio("vllm", "check", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["ok"] is True and doc["drifts"] == []
    assert {s["deployment"] for s in doc["services"]} >= {"vllm-deepseek-v3"}


def test_tier_down_json_parses(tmp_path: Path) -> None:
    result = _studio("tier", "down", "--json", STUDIO_HOME=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"stopped": False}


def test_stack_and_render_actions_report_json(tmp_path: Path) -> None:
    # A private home and ports where nothing listens: nothing of anyone else's is stopped.
    ports = {"STUDIO_PREFECT_PORT": "9", "STUDIO_CPU_PORT": "9"}
    down = _studio("down", "--json", STUDIO_HOME=str(tmp_path), **ports)
    assert down.returncode == 0, down.stderr
    doc = json.loads(down.stdout)
    assert "prefect-server: not running" in doc["messages"]
    assert {c["name"] for c in doc["components"]} >= {"prefect-server", "worker", "cpu-tier"}
    assert not any(c["running"] for c in doc["components"])
    render = _studio("vllm", "render", "-o", str(tmp_path / "vllm"), "--json")
    assert render.returncode == 0, render.stderr
    written = [Path(p) for p in json.loads(render.stdout)["written"]]
    assert written and all(p.is_file() and p.parent == tmp_path / "vllm" for p in written)
