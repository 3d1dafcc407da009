"""The nightly batch under fire: ``footage-batch-analysis`` run through its deployment by a
real worker over a library of 50+ clips (PyAV-written ones, a few damaged or unreadable, and
the shared clips), against a model backend that fails one call in ten (500s, timeouts,
malformed bodies, malformed JSON answers) and is killed and restarted mid-batch.

Afterwards every good clip is in the catalog exactly once with a complete analysis.json,
every bad clip is named in the run's state, its artifact and ``studio history``, and a
second run of the deployment sends no model call.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from tests.conftest import MEGAMIND, VTEST
from tests.fakes.openai_server import Cycle, Fail, FakeOpenAI, Hang, Malformed, Reply, write_routing
from tests.faults.clips import Library, write_library

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]

DEPLOYMENT = "footage-batch-analysis/footage-batch-analysis"
TIMEOUT_S = 2.0  # per model call; the scripted hang outlasts it
ANSWER = {
    "summary": "A bright block slides across a flat coloured ground.",
    "subjects": ["block"],
    "mood": "calm",
    "composition": "centred block on a flat ground",
    "motion": "the block slides right",
    "edit_suggestions": ["keep the slide"],
}


def _faulty_cycle() -> Cycle:
    """40 answers, 4 of them faults (10%): a 500, a timeout, a non-JSON body, broken JSON."""
    good = Reply.json(ANSWER)
    steps: list[Any] = [good] * 40
    steps[9] = Fail(500)
    steps[19] = Hang(TIMEOUT_S + 1.5)
    steps[29] = Malformed()
    steps[39] = Reply('{"summary": "A bright block sli')  # cut off mid-answer
    return Cycle(tuple(steps))


@pytest.fixture
def faulty_backend(tmp_path: Path) -> Iterator[tuple[FakeOpenAI, Cycle, Path]]:
    cycle = _faulty_cycle()
    server = FakeOpenAI("faulty-vision").default(cycle).start()
    routing = write_routing(
        tmp_path / "routing.yaml",
        server,
        vision=True,
        timeout=TIMEOUT_S,
        router_settings={"num_retries": 1, "allowed_fails": 5, "cooldown_time": 1},
    )
    yield server, cycle, routing
    server.stop()


def _wait_final(run_id: Any, timeout: float) -> Any:
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            run = client.read_flow_run(run_id)
            if run.state and run.state.is_final():
                return run
            time.sleep(1)
    raise AssertionError(f"flow run {run_id} not finished after {timeout:.0f}s: {run.state}")


def _start(folder: Path, library: Path) -> Any:
    from prefect.deployments import run_deployment

    return run_deployment(
        DEPLOYMENT,
        parameters={"folder": str(folder), "glob": "*", "output": str(library), "max_frames": 3},
        timeout=0,
    )


def _kill_and_revive(
    server: FakeOpenAI, at_calls: int, stop: threading.Event, killed: threading.Event
) -> threading.Thread:
    """Kill the backend once it has taken ``at_calls`` requests; bring it back 3 s later."""

    def chaos() -> None:
        deadline = time.monotonic() + 300
        while server.chat_count < at_calls and not stop.is_set():
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
        if stop.is_set():
            return
        server.kill()
        killed.set()
        stop.wait(3.0)
        server.revive()

    thread = threading.Thread(target=chaos, name="kill-backend", daemon=True)
    thread.start()
    return thread


def _retried_clips(run_id: Any) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])), limit=200
        )
    return [t.name for t in tasks if t.run_count > 1]


def _history(settings: Settings) -> list[dict[str, Any]]:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(STUDIO_HOME=str(settings.home), STUDIO_PREFECT_PORT=str(settings.prefect_port))
    proc = subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", "history", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows: list[dict[str, Any]] = json.loads(proc.stdout)
    return rows


def _artifact(run_id: Any) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    return "\n".join(str(a.data) for a in found if a.key == "footage-batch-summary")


def _library_state(library: Path, lib: Library) -> None:
    """Catalog rows and analysis files: one per good content, complete, nothing partial."""
    from tasks import catalog
    from tasks.probe import probe

    good_shas = {probe(path).sha256 for path in lib.good}
    with sqlite3.connect(library / catalog.CATALOG_FILE) as conn:
        clips = [row[0] for row in conn.execute("SELECT sha256 FROM clips")]
        entries = conn.execute("SELECT sha256, scene FROM entries").fetchall()
    assert sorted(clips) == sorted(good_shas), "catalog rows differ from the good clips"
    assert not [k for k, n in Counter(entries).items() if n > 1], "duplicate scene rows"
    assert {sha for sha, _ in entries} == good_shas, "a good clip has no analysed scene"
    folders = [p for p in library.iterdir() if p.is_dir()]
    assert sorted(p.name for p in folders) == sorted(
        catalog.clip_dir(library, s).name for s in good_shas
    )
    for sha in good_shas:
        assert catalog.is_complete(library, sha), f"{sha[:16]}: analysis.json not complete"
        leftovers = [
            p.name
            for p in catalog.clip_dir(library, sha).iterdir()
            if p.name not in ("analysis.json", "frames")
        ]
        assert not leftovers, f"{sha[:16]}: half-written files left: {leftovers}"


def test_batch_with_a_faulty_backend_killed_mid_batch(
    prefect_api: Settings,
    start_worker: Any,
    faulty_backend: tuple[FakeOpenAI, Cycle, Path],
    tmp_path: Path,
) -> None:
    if not (MEGAMIND.exists() and VTEST.exists()):
        pytest.skip(f"shared footage missing: {MEGAMIND.parent}")
    server, cycle, routing = faulty_backend
    lib = write_library(tmp_path / "footage", count=48, shared=[MEGAMIND, VTEST])
    assert len(lib.clips) >= 50
    library = tmp_path / "library"
    worker = start_worker(
        {"STUDIO_ROUTING_FILE": str(routing), "STUDIO_PROFILE": "fake", "STUDIO_REDIS_URL": ""}
    )

    stop, killed = threading.Event(), threading.Event()
    chaos = _kill_and_revive(server, at_calls=45, stop=stop, killed=killed)
    started = time.monotonic()
    try:
        run = _wait_final(_start(lib.folder, library).id, timeout=420)
    finally:
        stop.set()
        chaos.join(10)
        if not server.running:
            server.revive()
    assert cycle.taken >= 40, "not every kind of fault was served"
    assert killed.is_set(), "the backend was never killed"
    retried = _retried_clips(run.id)
    print(
        f"batch of {len(lib.clips)} clips: {run.state.name} in {time.monotonic() - started:.0f}s, "
        f"{server.chat_count} model calls, {cycle.taken} scripted answers, "
        f"{len(retried)} clips retried"
    )
    assert retried, "no clip needed a second attempt: the faults did not reach the batch"

    # The run is red and names exactly the bad clips.
    assert run.state.is_failed(), f"{run.state}\n{worker.tail()}"
    summary = run.state.result(raise_on_failure=False).summary
    failed = sorted(Path(f["path"]).name for f in summary["failures"])
    assert failed == sorted(p.name for p in lib.bad), summary["failures"]
    for bad in lib.bad:
        assert bad.name in (run.state.message or "")
    good_names = {p.name for p in lib.good + lib.copies}
    assert not [n for n in good_names if f"{n} (" in (run.state.message or "")]
    artifact = _artifact(run.id)
    for bad in lib.bad:
        assert f"| {bad.name} | failed |" in artifact, artifact
    row = next(r for r in _history(prefect_api) if r["id"] == str(run.id))
    assert row["state"] == "Failed" and row["llm_calls"] == summary["llm_calls"]
    for bad in lib.bad:
        assert bad.name in (row["message"] or "")

    # Each good content analysed once (the copy of a clip is that clip's analysis).
    statuses = {Path(r["path"]).name: r["status"] for r in summary["results"]}
    assert [n for n in good_names if statuses[n] == "failed"] == []
    assert summary["analysed"] == len(lib.good) and summary["skipped"] == len(lib.copies)
    _library_state(library, lib)

    # Second run: everything good is already complete, so no model call at all.
    calls = server.chat_count
    again = _wait_final(_start(lib.folder, library).id, timeout=300)
    summary2 = again.state.result(raise_on_failure=False).summary
    assert server.chat_count == calls, "the second run called the model"
    assert summary2["analysed"] == 0 and summary2["llm_calls"] == 0
    assert summary2["skipped"] == len(lib.good) + len(lib.copies)
    assert sorted(Path(f["path"]).name for f in summary2["failures"]) == sorted(
        p.name for p in lib.bad
    )
    _library_state(library, lib)
