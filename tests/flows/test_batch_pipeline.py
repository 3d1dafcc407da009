"""The batch's gates: model requests of all clips within capacity, one analysis per content;
and clips in flight together ride out a backend restart while a bad file still fails alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.settings import get_settings
from flows._batch_failure import BatchFailure
from flows._batch_pipeline import MAX_CLIPS_AT_ONCE, clips_at_once, content_lock, model_gate
from tests.fakes.openai_server import FakeOpenAI, Reply, write_routing
from tests.flows.conftest import ANALYSIS


def test_clips_at_once_fills_the_capacity_and_one_more() -> None:
    assert clips_at_once(1, 50) == 2  # CPU tier: one analysing, one being sampled
    assert clips_at_once(8, 50) == 9
    assert clips_at_once(8, 3) == 3
    assert clips_at_once(8, 0) == 1
    assert clips_at_once(500, 1000) == MAX_CLIPS_AT_ONCE


def test_model_gate_bounds_requests_of_every_caller_together() -> None:
    in_flight = most = 0
    lock = threading.Lock()

    def request(_: int) -> None:
        nonlocal in_flight, most
        # Each call looks the gate up again, as each clip's scenes do.
        with model_gate("test-role", 3):
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            time.sleep(0.02)
            with lock:
                in_flight -= 1

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(request, range(36)))
    assert most == 3
    assert model_gate("test-role", 3) is model_gate("test-role", 3)
    assert model_gate("test-role", 4) is not model_gate("test-role", 3)


def test_content_lock_serialises_one_content_not_others() -> None:
    events: list[str] = []
    entered = threading.Event()

    def hold(sha: str, name: str) -> None:
        with content_lock(sha):
            events.append(f"{name} in")
            entered.set()
            time.sleep(0.1)
            events.append(f"{name} out")

    first = threading.Thread(target=hold, args=("a" * 64, "first"))
    first.start()
    entered.wait(5)
    copy = threading.Thread(target=hold, args=("a" * 64, "copy"))
    other = threading.Thread(target=hold, args=("b" * 64, "other"))
    copy.start()
    other.start()
    for thread in (first, copy, other):
        thread.join(5)
    assert events.index("copy in") > events.index("first out")
    assert events.index("other in") < events.index("first out")


# Three times the fault test's 3 s, so that a retry after 5 s (the schedule of the clips run
# one by one) meets the outage again and fails the clip: only a schedule with margin passes.
_OUTAGE_S = 9.0


@pytest.fixture
def restarted_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeOpenAI, threading.Event]]:
    """A vision backend killed once a few calls are in, listening again ``_OUTAGE_S`` later."""
    server = FakeOpenAI("restarted-vision", service_s=0.3).default(Reply.json(ANALYSIS))
    server.start()
    routing = write_routing(
        tmp_path / "routing.yaml",
        server,
        vision=True,
        timeout=2.0,
        router_settings={"num_retries": 1, "allowed_fails": 5, "cooldown_time": 1},
    )
    footage = tmp_path / "footage"
    footage.mkdir()
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STUDIO_ROUTING_FILE", str(routing))
    monkeypatch.setenv("STUDIO_PROFILE", "fake")
    monkeypatch.setenv("STUDIO_FOOTAGE_ROOTS", str(footage))
    monkeypatch.setenv("STUDIO_REDIS_URL", "")
    get_settings.cache_clear()
    stop, killed = threading.Event(), threading.Event()

    def chaos() -> None:
        deadline = time.monotonic() + 120
        while server.chat_count < 3 and not stop.is_set() and time.monotonic() < deadline:
            time.sleep(0.02)
        if stop.is_set() or time.monotonic() >= deadline:
            return
        server.kill()
        killed.set()
        stop.wait(_OUTAGE_S)
        server.revive()

    thread = threading.Thread(target=chaos, name="restart-backend", daemon=True)
    thread.start()
    yield server, killed
    stop.set()
    thread.join(10)
    server.stop()
    get_settings.cache_clear()


@pytest.mark.slow
def test_clips_in_flight_ride_out_a_backend_restart(
    restarted_backend: tuple[FakeOpenAI, threading.Event], tmp_path: Path
) -> None:
    from flows.batch_analysis import batch_analysis
    from tests.faults.clips import write_clip

    server, killed = restarted_backend
    footage = tmp_path / "footage"
    good = [write_clip(footage / f"clip-{n}.mp4", seed=n + 1) for n in range(5)]
    (footage / "not-a-video.mp4").write_bytes(b"this is no video at all" * 100)

    state = batch_analysis(
        folder=str(footage), glob="*", output=str(tmp_path / "library"), return_state=True
    )

    assert killed.is_set(), "the backend was never killed"
    assert server.max_in_flight > 1, "the clips did not run at once"
    failure = state.result(raise_on_failure=False)
    assert isinstance(failure, BatchFailure), failure
    summary = failure.summary
    statuses = {Path(r["path"]).name: r["status"] for r in summary["results"]}
    assert statuses == {**{p.name: "analysed" for p in good}, "not-a-video.mp4": "failed"}
    assert [(Path(f["path"]).name, f["kind"]) for f in summary["failures"]] == [
        ("not-a-video.mp4", "FootageError")
    ]
