"""The batch's gates: model requests of all clips within capacity, one analysis per content."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flows._batch_pipeline import MAX_CLIPS_AT_ONCE, clips_at_once, content_lock, model_gate


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
