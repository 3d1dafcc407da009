"""The isolated run: valid edits render; hostile and runaway scripts are contained.

Containment tests use the test-only ``_run_unchecked`` so the OS-level jail is exercised
with the policy out of the way (the policy refuses all of these scripts on its own).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from core.exceptions import FootageError, PolicyViolation
from sandbox.jail import ensure_jail, jail_command
from sandbox.runner import Limits, RunResult, _run_unchecked, run_script
from tests.sandbox.clips import video_stream_line

HERE = Path(__file__).parent
VALID = sorted((HERE / "valid").glob("*.py"))
# Tight limits keep runaway tests short; valid renders need far less.
# ffmpeg's thread pools grow with the core count; the process limit must follow.
PROCESSES = 24 + 8 * (os.cpu_count() or 2)
TIGHT = Limits(cpu_s=4, memory_bytes=1536 * 1024**2, processes=PROCESSES, wall_s=40.0)


def script(kind: str, name: str) -> str:
    return (HERE / kind / f"{name}.py").read_text(encoding="utf-8")


def header(source: str, key: str) -> str | None:
    match = re.search(rf"^# {key}: (.+)$", source, re.MULTILINE)
    return match.group(1).strip() if match else None


def inputs_for(source: str, clip: Path, second_clip: Path) -> list[Path]:
    return [clip, second_clip] if header(source, "inputs") == "2" else [clip]


def unchecked(source: str, clip: Path, out: Path, limits: Limits = TIGHT) -> RunResult:
    result = _run_unchecked(source, [clip], out, limits=limits)
    assert not out.exists(), "a failed run left output at the destination"
    return result


def test_isolation_is_available(tmp_path: Path) -> None:
    ensure_jail()
    command = jail_command(tmp_path, [], None)
    assert {"--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"} <= set(
        command
    ) or "--unshare-all" in command
    assert "--die-with-parent" in command and "--proc" not in command


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_edit_renders_with_expected_duration(
    path: Path, clip: Path, second_clip: Path, tmp_path: Path
) -> None:
    source = path.read_text(encoding="utf-8")
    expected = float(header(source, "expect-duration") or "nan")
    inputs = inputs_for(source, clip, second_clip)
    checked = run_script(source, inputs, None, validate_only=True)
    assert checked.ok, checked.reason
    assert checked.duration_s == pytest.approx(expected, abs=0.05)
    out = tmp_path / "nested" / "out.mp4"
    result = run_script(source, inputs, out)
    assert result.ok, f"{result.reason}\n{result.log_tail}"
    assert result.output == out and out.is_file()
    assert result.duration_s == pytest.approx(expected, abs=0.15)
    size = header(source, "expect-size")
    if size:
        assert f"{result.width}x{result.height}" == size
    stream = video_stream_line(out)
    assert "h264" in stream and "yuv420p" in stream
    assert not list(out.parent.glob(".*partial"))


def test_the_source_sound_is_rendered_with_the_cut(clip: Path, tmp_path: Path) -> None:
    import numpy as np

    from tasks.audio.decode import SAMPLE_RATE, read_audio

    out = tmp_path / "cut.mp4"
    result = run_script("def edit(source):\n    return source.subclipped(1, 3)\n", [clip], out)
    assert result.ok, f"{result.reason}\n{result.log_tail}"
    decoded = read_audio(out)
    assert decoded is not None, "the render has no audio stream"
    seconds = decoded.samples.shape[1] / SAMPLE_RATE
    assert seconds == pytest.approx(2.0, abs=0.1), "audio missing or cut short"
    # The source's 440 Hz tone (lavfi sine: amplitude 1/8, RMS ~0.088), not silence.
    assert float(np.sqrt(np.mean(decoded.mono.astype(np.float64) ** 2))) > 0.05


def test_validate_only_renders_nothing(clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "never.mp4"
    result = run_script(script("valid", "loop_and_resize"), [clip], out, validate_only=True)
    assert result.ok and result.output is None
    assert (result.width, result.height) == (80, 60)
    assert not out.exists()


def test_policy_runs_first(clip: Path, tmp_path: Path) -> None:
    marker = Path("/tmp/studio-sandbox-pwned")
    marker.unlink(missing_ok=True)
    with pytest.raises(PolicyViolation):
        run_script(script("hostile", "shell_os_system"), [clip], tmp_path / "o.mp4")
    assert not marker.exists()


def test_missing_input_is_a_footage_error(tmp_path: Path) -> None:
    with pytest.raises(FootageError):
        run_script(
            script("valid", "speed_and_reverse"), [tmp_path / "nope.mp4"], None, validate_only=True
        )


def test_script_error_is_reported_with_its_line(clip: Path, tmp_path: Path) -> None:
    source = "def edit(source):\n    return source.subclipped(0, 100)\n"
    result = run_script(source, [clip], tmp_path / "o.mp4")
    assert not result.ok
    assert "ValueError" in (result.reason or "") and "line 2" in (result.reason or "")
    assert not (tmp_path / "o.mp4").exists()


def test_non_clip_return_is_refused(clip: Path) -> None:
    result = run_script("def edit(source):\n    return 42\n", [clip], None, validate_only=True)
    assert not result.ok and "must return a VideoClip" in (result.reason or "")


# --- containment (policy bypassed) ------------------------------------------------------
def test_network_is_unreachable(clip: Path, tmp_path: Path) -> None:
    result = unchecked(script("hostile", "socket_connect"), clip, tmp_path / "o.mp4")
    # An empty network namespace: no route out, and nothing listens on its own loopback.
    assert not result.ok
    assert re.search(r"Network is unreachable|Connection refused", result.reason or "")


def test_local_sockets_and_other_temp_files_are_hidden(clip: Path, tmp_path: Path) -> None:
    result = unchecked(script("hostile", "unix_socket_service"), clip, tmp_path / "o.mp4")
    assert not result.ok and "No such file or directory" in (result.reason or "")
    peek = (
        "import os\n\ndef edit(source):\n"
        "    raise RuntimeError(repr([os.path.exists(d) for d in ('/tmp', '/run', '/var')]"
        " + [os.listdir('/dev/shm')]))\n"
    )
    result = unchecked(peek, clip, tmp_path / "o.mp4")
    assert "[False, False, False, []]" in (result.reason or ""), result.reason


def test_writes_outside_scratch_fail(clip: Path, tmp_path: Path) -> None:
    marker = Path("/tmp/studio-sandbox-escape-marker")
    marker.unlink(missing_ok=True)
    result = unchecked(script("hostile", "write_outside_scratch"), clip, tmp_path / "o.mp4")
    assert not result.ok
    assert re.search(r"Read-only file system|No such file", result.reason or ""), result.reason
    assert not marker.exists()
    policy_file = Path(__file__).parents[2] / "sandbox" / "policy" / "__init__.py"
    before = policy_file.read_bytes()
    result = unchecked(script("hostile", "write_into_repo"), clip, tmp_path / "o.mp4")
    assert not result.ok
    assert re.search(r"Read-only file system|No such file", result.reason or ""), result.reason
    assert policy_file.read_bytes() == before


def test_write_next_to_destination_and_inputs_fails(clip: Path, tmp_path: Path) -> None:
    source = (
        "def edit(source):\n"
        f"    open({str(tmp_path / 'planted.txt')!r}, 'w').write('x')\n"
        "    return source\n"
    )
    result = unchecked(source, clip, tmp_path / "o.mp4")
    assert not result.ok and not (tmp_path / "planted.txt").exists()
    staged = (
        "import glob\n\ndef edit(source):\n"
        "    open(glob.glob('/in/*')[0], 'r+b').write(b'x')\n    return source\n"
    )
    digest = clip.read_bytes()
    result = unchecked(staged, clip, tmp_path / "o.mp4")
    assert not result.ok
    assert re.search(r"Read-only file system|Permission denied", result.reason or "")
    assert clip.read_bytes() == digest


def test_private_home_and_secrets_are_hidden(
    clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIO_VLLM_API_KEY", "sk-very-secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "also-secret")
    source = (
        "import os\n\ndef edit(source):\n"
        "    seen = sorted(os.environ.items())\n"
        "    home = os.listdir('/root') if os.path.isdir('/root') else []\n"
        "    raise RuntimeError(repr((os.getuid(), seen, home)))\n"
    )
    result = unchecked(source, clip, tmp_path / "o.mp4")
    reason = result.reason or ""
    assert "secret" not in reason.lower()
    assert "STUDIO_" not in reason and "AWS_" not in reason
    if os.geteuid() == 0:
        assert re.search(r"\((2[0-5]\d{4}),", reason), reason  # dropped to the run's uid
        assert ".cache" not in reason and ".ssh" not in reason  # /root is an empty tmpfs


def test_planted_symlinks_and_fifos_are_not_followed(clip: Path, tmp_path: Path) -> None:
    # The script forges a success: it tries to swap out/render.mp4 for a link to a real
    # video outside scratch (or a FIFO) and writes a result claiming ok. The swap fails
    # (the file is a bind mount in a read-only directory); trusted code reads only the
    # empty render the parent created.
    plant = (
        "import contextlib, os\n\ndef edit(source):\n"
        "    for step in (\n"
        "        lambda: os.remove('out/render.mp4'),\n"
        f"        lambda: os.symlink({str(clip)!r}, 'out/render.mp4'),\n"
        "        lambda: os.mkfifo('out/render.mp4'),\n"
        "        lambda: os.remove('result.json'),\n"
        "        lambda: os.mkfifo('result.json'),\n"
        "    ):\n"
        "        with contextlib.suppress(OSError):\n"
        "            step()\n"
        "    open('result.json', 'w').write('{\"ok\": true, \"duration_s\": 4.0}')\n"
        "    os._exit(0)\n"
    )
    out = tmp_path / "o.mp4"
    result = unchecked(plant, clip, out)
    assert not result.ok and result.reason == "the render produced no output", result.reason
    assert not out.exists()


def test_reading_etc_passwd_as_a_clip_fails(clip: Path, tmp_path: Path) -> None:
    result = unchecked(script("hostile", "etc_passwd_as_clip"), clip, tmp_path / "o.mp4")
    assert not result.ok and "FileNotFoundError" in (result.reason or ""), result.reason


def test_fork_bomb_is_contained(clip: Path, tmp_path: Path) -> None:
    result = unchecked(script("hostile", "fork_bomb"), clip, tmp_path / "o.mp4")
    assert not result.ok
    assert "Resource temporarily unavailable" in (result.reason or "") or "limit" in (
        result.reason or ""
    )


def test_memory_bomb_is_contained(clip: Path, tmp_path: Path) -> None:
    limits = replace(TIGHT, memory_bytes=768 * 1024**2)
    result = unchecked(script("hostile", "memory_bomb"), clip, tmp_path / "o.mp4", limits)
    assert not result.ok and "MemoryError" in (result.reason or "")


def test_parent_is_out_of_reach(clip: Path, tmp_path: Path) -> None:
    # In its own PID namespace the script's parent is the namespace's init, owned by
    # another uid: the kill is refused and nothing outside is reached.
    out = tmp_path / "o.mp4"
    result = _run_unchecked(script("hostile", "signal_parent"), [clip], out, limits=TIGHT)
    assert not result.ok and "Operation not permitted" in (result.reason or ""), result.reason
    assert os.getpid() > 0  # this process (the runner's parent) is still here


# --- runaways the policy cannot see (checked runs) --------------------------------------
def test_infinite_loop_hits_cpu_limit(clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.mp4"
    limits = replace(TIGHT, cpu_s=2)
    result = run_script(script("runaway", "infinite_loop"), [clip], out, limits=limits)
    assert not result.ok and "CPU-time limit" in (result.reason or "")
    assert result.elapsed_s < limits.wall_s
    assert not out.exists()


def test_wall_clock_timeout_kills_the_group(clip: Path, tmp_path: Path) -> None:
    limits = replace(TIGHT, cpu_s=100, wall_s=3.0)
    sleeper = "import time\n\ndef edit(source):\n    time.sleep(60)\n    return source\n"
    result = unchecked(sleeper, clip, tmp_path / "o.mp4", limits)
    assert not result.ok and "wall-clock timeout" in (result.reason or "")
    assert result.elapsed_s < 10


def test_endless_render_is_stopped(clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.mp4"
    result = run_script(script("runaway", "endless_render"), [clip], out, limits=TIGHT)
    assert not result.ok and "limit is" in (result.reason or "")
    # With the duration guard lifted, the render's CPU budget (sized to its frames) or
    # the wall clock still ends it.
    limits = replace(TIGHT, max_duration_s=1e9, cpu_s=100, wall_s=30.0)
    result = run_script(script("runaway", "endless_render"), [clip], out, limits=limits)
    assert not result.ok
    assert re.search(r"CPU-time limit|wall-clock timeout", result.reason or ""), result.reason
    assert not out.exists()


def test_deep_recursion_is_stopped(clip: Path, tmp_path: Path) -> None:
    result = run_script(script("runaway", "deep_recursion"), [clip], None, validate_only=True)
    assert not result.ok and "RecursionError" in (result.reason or "")


def test_policy_legal_memory_bomb_is_stopped(clip: Path) -> None:
    result = run_script(
        script("runaway", "memory_bomb_list"), [clip], None, limits=TIGHT, validate_only=True
    )
    assert not result.ok and "MemoryError" in (result.reason or "")


def test_cli_run_renders_and_reports_failures(clip: Path, tmp_path: Path) -> None:
    import subprocess

    cmd = [sys.executable, "-c", "from studio.cli import main; main()", "sandbox", "run"]
    out = tmp_path / "cli.mp4"
    good = HERE / "valid" / "speed_and_reverse.py"
    done = subprocess.run(
        [*cmd, str(good), "--input", str(clip), "--output", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.is_file() and "3.00 s" in done.stdout
    bad = HERE / "runaway" / "deep_recursion.py"
    failed = subprocess.run(
        [*cmd, str(bad), "--input", str(clip), "--output", str(tmp_path / "bad.mp4")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1
    assert failed.stderr.startswith("error: ") and "RecursionError" in failed.stderr
    assert not (tmp_path / "bad.mp4").exists()
