"""The footage batch flow on real clips: analyses, skips, survives a bad clip, resumes.

Model answers come from the scripted fake OpenAI server (the capability under test is the
batch bookkeeping, not the model); probing, sampling and the Prefect server are real.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI
from tests.ops.conftest import VISION_ANSWER as ANSWER


@pytest.fixture
def footage(tmp_path: Path, megamind: Path) -> Path:
    folder = tmp_path / "footage"
    folder.mkdir()
    (folder / "megamind.avi").symlink_to(megamind)  # never copy the shared clips
    (folder / "broken.avi").write_bytes(b"RIFF\x00\x00\x00\x00AVI garbage, not a video" * 40)
    (folder / "notes.txt").write_text("not footage")
    return folder


def _run(folder: Path, library: Path) -> tuple[object, dict]:
    from flows.batch_analysis import batch_analysis

    state = batch_analysis(
        folder=str(folder), glob="*", output=str(library), max_frames=4, return_state=True
    )
    result = state.result(raise_on_failure=False)
    return state, getattr(result, "summary", result)


@pytest.mark.prefect_server
def test_batch_analyses_skips_and_survives_a_bad_clip(
    prefect_api: object, fake_vision: FakeOpenAI, footage: Path, tmp_path: Path
) -> None:
    from tasks import catalog

    library = tmp_path / "library"
    state, summary = _run(footage, library)

    # One bad clip fails alone, the run is Failed and says which clip.
    assert state.is_failed()
    assert "broken.avi" in (state.message or "")
    assert summary["clips"] == 2 and summary["ignored"] == 1
    assert summary["analysed"] == 1 and summary["failed"] == 1
    assert summary["failures"][0]["kind"] == "FootageError"
    assert summary["cost_usd"] is None  # GPU cost is only estimated on the vllm profile
    calls_first = fake_vision.chat_count
    assert calls_first == summary["llm_calls"] >= 1
    # Images went to the (vision-capable) fake as base64 parts.
    parts = fake_vision.requests[0]["messages"][-1]["content"]
    assert any(part.get("type") == "image_url" for part in parts)

    good = next(r for r in summary["results"] if r["status"] == "analysed")
    doc = json.loads((catalog.clip_dir(library, good["sha256"]) / "analysis.json").read_text())
    assert doc["complete"] is True and doc["sha256"] == good["sha256"]
    assert doc["scenes"] and doc["frames"] and doc["analyses"]
    assert doc["analyses"][0]["summary"] == ANSWER["summary"]
    assert all(f["descriptors"] and f["descriptors_text"] for f in doc["frames"])
    assert (catalog.clip_dir(library, good["sha256"]) / doc["frames"][0]["path"]).is_file()

    hits = catalog.search(library, "SUPERVILLAIN observatory")
    assert hits and hits[0].path.endswith("megamind.avi")
    assert catalog.search(library, "spaceship") == []

    # Rerun: the complete clip is skipped without a model call; the bad one fails again.
    state2, summary2 = _run(footage, library)
    assert state2.is_failed()
    assert summary2["skipped"] == 1 and summary2["analysed"] == 0 and summary2["failed"] == 1
    assert fake_vision.chat_count == calls_first

    # Fix the library: without the bad clip the batch completes.
    (footage / "broken.avi").unlink()
    state3, summary3 = _run(footage, library)
    assert state3.is_completed() and summary3["skipped"] == 1 and summary3["failed"] == 0


@pytest.mark.prefect_server
def test_a_clip_is_decoded_once_and_an_analysed_one_not_at_all(
    prefect_api: object,
    fake_vision: FakeOpenAI,
    tmp_path: Path,
    megamind: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tasks.probe
    from tasks import catalog

    expected = tasks.probe.probe(megamind)

    def whole_decode(*_: object) -> None:
        raise AssertionError("decoded the whole clip to probe it, besides sampling it")

    # The sampling's own decode is the probe; a skip needs the content hash alone.
    monkeypatch.setattr(tasks.probe, "probe", whole_decode)
    folder = tmp_path / "footage"
    folder.mkdir()
    (folder / "clip.avi").symlink_to(megamind)
    library = tmp_path / "library"

    state, summary = _run(folder, library)
    assert state.is_completed(), summary
    assert summary["analysed"] == 1
    doc = json.loads((catalog.clip_dir(library, expected.sha256) / "analysis.json").read_text())
    facts = {key: doc["probe"][key] for key in ("sha256", "frames", "declared_frames", "fps")}
    assert facts == {key: getattr(expected, key) for key in facts}

    state, summary = _run(folder, library)
    assert state.is_completed() and summary["skipped"] == 1


# Run in a child process: the batch, with the rename of analysis.json held forever, so the
# parent can SIGKILL it with the finished temporary file on disk.
_HELD_BATCH = """
import sys, time
from pathlib import Path

folder, library, ready = sys.argv[1:4]
real = Path.replace

def held(self, target):
    if Path(target).name == "analysis.json":
        Path(ready).write_text(str(self))
        time.sleep(600)
    return real(self, target)

Path.replace = held
from flows.batch_analysis import batch_analysis
batch_analysis(folder=folder, glob="*", output=library, max_frames=4)
"""


@pytest.mark.prefect_server
def test_killed_batch_leaves_no_complete_looking_file_and_resumes(
    prefect_api: object, fake_vision: FakeOpenAI, tmp_path: Path, megamind: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from studio import stack
    from tasks import catalog
    from tasks.probe import probe

    folder = tmp_path / "footage"
    folder.mkdir()
    (folder / "clip.avi").symlink_to(megamind)
    library = tmp_path / "library"
    ready = tmp_path / "ready"
    sha = probe(megamind).sha256
    env = dict(os.environ)
    env["PREFECT_API_URL"] = stack.api_url(prefect_api)  # type: ignore[arg-type]
    from studio.credential import AUTH_ENV, read_credential

    env[AUTH_ENV] = read_credential(prefect_api) or ""  # type: ignore[arg-type]
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    batch = subprocess.Popen(
        [sys.executable, "-c", _HELD_BATCH, str(folder), str(library), str(ready)], env=env
    )
    try:
        deadline = time.monotonic() + 240
        while not ready.exists() and batch.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ready.exists(), f"the batch never reached the write (exit {batch.poll()})"
        batch.send_signal(signal.SIGKILL)
        assert batch.wait(30) == -signal.SIGKILL
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait(30)
    partial = Path(ready.read_text())
    assert partial.is_file() and partial.parent == catalog.clip_dir(library, sha)
    assert not catalog.is_complete(library, sha)

    state, summary = _run(folder, library)
    assert state.is_completed()
    assert summary["analysed"] == 1 and summary["skipped"] == 0
    assert catalog.is_complete(library, sha)
    assert not partial.exists(), "the killed batch's temporary file was not removed"
    assert sorted(p.name for p in partial.parent.iterdir()) == ["analysis.json", "frames"]
    assert catalog.search(library, "grin")


def test_write_analysis_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from tasks import catalog

    sha = "ab" * 32
    catalog.write_analysis(tmp_path, {"sha256": sha, "analyses": [{"summary": "first"}]})
    assert catalog.is_complete(tmp_path, sha)

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        catalog.write_analysis(tmp_path, {"sha256": sha, "analyses": [{"summary": "second"}]})
    # The old complete file is untouched and no temp file is left behind.
    doc = catalog.load_analysis(catalog.clip_dir(tmp_path, sha) / "analysis.json")
    assert doc and doc["analyses"][0]["summary"] == "first"
    assert [p.name for p in catalog.clip_dir(tmp_path, sha).iterdir()] == ["analysis.json"]


def test_search_needs_a_catalog_and_words(tmp_path: Path) -> None:
    from core.exceptions import ConfigError
    from tasks import catalog

    with pytest.raises(ConfigError, match="no footage catalog"):
        catalog.search(tmp_path, "anything")
    catalog.index_analysis(
        tmp_path,
        {"sha256": "cd" * 32, "source": "/x/a.avi", "analyses": [{"scene": 0, "summary": "a cat"}]},
    )
    with pytest.raises(ConfigError, match="at least one word"):
        catalog.search(tmp_path, "  ...  ")
    assert [h.summary for h in catalog.search(tmp_path, "CAT")] == ["a cat"]


@pytest.mark.prefect_server
def test_studio_analyze_and_footage_search_cli(
    prefect_server: object, fake_vision: FakeOpenAI, tmp_path: Path, megamind: Path
) -> None:
    import os
    import subprocess
    import sys

    from studio import stack

    library = tmp_path / "library"
    bad = tmp_path / "bad.avi"
    bad.write_bytes(b"not a video at all")
    env = dict(os.environ)
    env["PREFECT_API_URL"] = stack.api_url(prefect_server)  # type: ignore[arg-type]
    env["STUDIO_LIBRARY_DIR"] = str(library)
    from studio.credential import AUTH_ENV, read_credential

    env[AUTH_ENV] = read_credential(prefect_server) or ""  # type: ignore[arg-type]

    def studio(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from studio.cli import main; main()", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    proc = studio("analyze", str(megamind), str(bad), "--max-frames", "3")
    assert proc.returncode == 1, proc.stderr  # a failed clip makes the command fail
    assert "analysed  " + str(megamind.resolve()) in proc.stdout
    assert "failed    " + str(bad) in proc.stdout
    assert "1 analysed, 0 already complete, 1 failed" in proc.stdout

    again = studio("analyze", str(megamind), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["skipped"] == 1

    found = studio("footage", "search", "villain observatory")
    assert found.returncode == 0, found.stderr
    assert str(megamind.resolve()) in found.stdout and ANSWER["summary"] in found.stdout
    nothing = studio("footage", "search", "spaceship")
    assert nothing.returncode == 0 and "no matches" in nothing.stdout
    missing = studio("footage", "search", "x", "--library", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and missing.stderr.startswith("error: no footage catalog")
