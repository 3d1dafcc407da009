"""Issue 13, item 5: a full or read-only output folder gives one line and keeps nothing partial.

Real faults on real file systems: ``output_dir`` lives on a 2 MiB tmpfs that a filler file
fills (the job's writes then fail with ENOSPC part-way through the video), or that is
remounted read-only (EROFS, which stops root too). The model is the scripted fake server;
the job is the README's example clip run through ``studio run`` in a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_server import Gate, Reply
from tests.faults._disk import fill, listing, read_only, tmpfs
from tests.flows.conftest import EDIT_SCRIPT, EXAMPLE_CLIP, FakeRoles, fake_roles, write_job

__all__ = ["fake_roles"]  # the fixture, imported for this module

ROOT = Path(__file__).resolve().parents[2]
STUDIO = [sys.executable, "-m", "studio.cli"]
# Every file a finished example job leaves in its output folder.
FINISHED = [
    "contact-sheet.jpg",
    "report.md",
    "shots.jpg",
    "summary.json",
    "test-teaser.edl",
    "test-teaser.mp4",
    "test-teaser.otio",
    "test-teaser.xml",
]
LEAVE = 4096  # bytes left free on a "full" disk (one page): far less than any video


@pytest.fixture(scope="module")
def prefect_api() -> Iterator[str]:
    """A Prefect test server for this module's ``studio run`` subprocesses."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


def _studio(
    *args: str, api: str | None = None, timeout: float = 400
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if api is not None:
        env["PREFECT_API_URL"] = api
    return subprocess.run(
        [*STUDIO, *args], capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=timeout, check=False,
    )  # fmt: skip


def _one_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The run failed with exit 1 and exactly one ``error:`` line, no traceback, no stdout."""
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and errors[0].startswith("error: "), proc.stderr[-3000:]
    assert proc.stdout == ""
    return errors[0]


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _decoded(video: Path) -> tuple[int, float]:
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        frames = [frame.time for frame in container.decode(stream)]
    return len(frames), float(frames[-1] or 0.0)


def test_full_output_disk_one_line_nothing_kept_and_rerun_with_room_from_cache(
    tmp_path: Path, fake_roles: FakeRoles, prefect_api: str
) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        out = disk / "out"
        job = write_job(tmp_path, output_dir=str(out))
        filler = fill(disk, leave=LEAVE)

        proc = _studio("run", str(job), "--json", api=prefect_api)
        line = _one_error(proc)
        assert line.startswith(f"error: cannot write the outputs to {out}: No space left on device")
        assert "rerun" in line
        sent = fake_roles.chat_count
        assert sent > 0, "the job failed before its steps: the disk filled at the very end"
        assert listing(out) == [], f"a failed job left {listing(out)}"

        filler.unlink()  # room again: the rerun finishes from the cache
        proc = _studio("run", str(job), "--json", api=prefect_api)
        assert proc.returncode == 0, proc.stderr[-3000:]
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
        assert summary["llm_calls"] == 0 and fake_roles.chat_count == sent
        assert listing(out) == FINISHED
        video = out / "test-teaser.mp4"
        assert video.stat().st_size > 2 * LEAVE, "the video would have fitted the full disk"
        frames, last = _decoded(video)
        assert frames > 10 and 3.5 < last < 4.5  # the script keeps four 1-second pieces
        assert json.loads((out / "summary.json").read_text())["output_video"] == str(video)

        # Full again: a failed rerun leaves the previous complete outputs exactly as they were.
        before = _hashes(out)
        fill(disk, leave=LEAVE)
        line = _one_error(_studio("run", str(job), "--json", api=prefect_api))
        assert "No space left on device" in line
        assert _hashes(out) == before and listing(out) == FINISHED


def test_read_only_output_dir_refused_before_any_model_call(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        read_only(disk)
        for output_dir in (disk, disk / "out" / "nested"):
            job = write_job(tmp_path, output_dir=str(output_dir))
            line = _one_error(_studio("run", str(job), timeout=120))
            assert re.fullmatch(
                rf"error: output_dir: {re.escape(str(output_dir))} is not writable.*", line
            )
        assert fake_roles.chat_count == 0
        assert listing(disk) == []


def test_output_dir_turning_read_only_mid_job_keeps_nothing_and_rerun_finishes(
    tmp_path: Path, fake_roles: FakeRoles, prefect_api: str
) -> None:
    release = threading.Event()
    fake_roles.coder.script(Gate(release, then=Reply(EDIT_SCRIPT, tokens_in=300, tokens_out=90)))
    with tmpfs(tmp_path / "disk") as disk:
        out = disk / "out"
        job = write_job(tmp_path, output_dir=str(out))
        env = dict(os.environ, PYTHONPATH=str(ROOT), PREFECT_API_URL=prefect_api)
        with subprocess.Popen(
            [*STUDIO, "run", str(job)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, cwd=ROOT,
        ) as running:  # fmt: skip
            try:
                deadline = time.monotonic() + 300
                while fake_roles.coder.chat_count == 0 and running.poll() is None:
                    assert time.monotonic() < deadline, "the job never asked the coder"
                    time.sleep(0.2)
                assert running.poll() is None, "the job ended before its coder call"
                read_only(disk)  # admitted while writable; unwritable by the time it finishes
                release.set()
                stdout, stderr = running.communicate(timeout=300)
            finally:
                release.set()
                if running.poll() is None:
                    running.kill()
        line = _one_error(
            subprocess.CompletedProcess(running.args, running.returncode, stdout, stderr)
        )
        assert line.startswith(f"error: cannot write the outputs to {out}: Read-only file system")
        assert listing(disk) == []
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        sent = fake_roles.chat_count
        proc = _studio("run", str(job), "--json", api=prefect_api)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert json.loads(proc.stdout.strip().splitlines()[-1])["llm_calls"] == 0
        assert fake_roles.chat_count == sent and listing(out) == FINISHED


def test_sandbox_render_onto_full_disk_leaves_no_partial_video(tmp_path: Path) -> None:
    code = EDIT_SCRIPT.split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "edit.py"
    script.write_text(code, encoding="utf-8")
    with tmpfs(tmp_path / "disk") as disk:
        target = disk / "cuts" / "cut.mp4"
        filler = fill(disk, leave=LEAVE)
        args = ("sandbox", "run", str(script), "-i", str(EXAMPLE_CLIP), "-o", str(target))
        line = _one_error(_studio(*args, timeout=300))
        assert (
            line == f"error: {script}: cannot write the render to {target}: No space left on device"
        )
        assert listing(disk) == ["cuts", "filler.bin"], "a partial video was left behind"
        filler.unlink()
        proc = _studio(*args, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert target.stat().st_size > 2 * LEAVE
        frames, last = _decoded(target)
        assert frames > 10 and 3.5 < last < 4.5
        assert listing(disk) == ["cuts", "cuts/cut.mp4"]
