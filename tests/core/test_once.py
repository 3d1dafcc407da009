"""``locked_cache``: threads that first ask together get one value, computed once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.once import locked_cache


def test_threads_that_miss_together_compute_the_value_once() -> None:
    callers = 4
    arrived = 0
    all_arrived = threading.Event()
    lock = threading.Lock()
    computed: list[str] = []

    @locked_cache()
    def value() -> object:
        # Returns only once every caller has asked: without the lock each of them is in
        # here by then, computing a value of its own.
        assert all_arrived.wait(5)
        computed.append(threading.current_thread().name)
        return object()

    def ask(_: int) -> object:
        nonlocal arrived
        with lock:
            arrived += 1
            if arrived == callers:
                all_arrived.set()
        return value()

    with ThreadPoolExecutor(callers) as pool:
        values = list(pool.map(ask, range(callers)))

    assert len(computed) == 1
    assert all(v is values[0] for v in values)


def test_a_failed_computation_is_not_kept_and_cache_clear_forgets() -> None:
    attempts: list[int] = []

    @locked_cache(maxsize=8)
    def square(x: int) -> int:
        attempts.append(x)
        if len(attempts) == 1:
            raise RuntimeError("first try fails")
        return x * x

    with pytest.raises(RuntimeError):
        square(3)
    assert square(3) == 9
    assert square(3) == 9
    square.cache_clear()
    assert square(3) == 9
    assert attempts == [3, 3, 3]
