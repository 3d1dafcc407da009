"""DeploymentPool: least-loaded picks, cooldowns and concurrency caps (no network)."""

from __future__ import annotations

import threading
import time

import pytest

from inference.pool import DeploymentPool
from inference.routing import Deployment


def _d(name: str, max_parallel: int | None = None, rpm: int | None = None) -> Deployment:
    return Deployment(
        id=name,
        group="g",
        model=f"hosted_vllm/{name}",
        api_base=f"http://{name}/v1",
        supports_vision=False,
        structured_output="json_schema",
        health_url=f"http://{name}/health",
        timeout=5,
        max_parallel=max_parallel,
        rpm=rpm,
    )


def _ids(pool: DeploymentPool, candidates: list[Deployment], n: int = 4) -> list[str | None]:
    return [d.id if (d := pool.pick(candidates)) else None for _ in range(n)]


def test_ties_go_round_robin() -> None:
    a, b = _d("a"), _d("b")
    pool = DeploymentPool()
    assert _ids(pool, [a, b]) == ["a", "b", "a", "b"]


def test_the_least_loaded_deployment_wins() -> None:
    a, b = _d("a"), _d("b")
    pool = DeploymentPool()
    with pool.slot(a, timeout=1):
        assert _ids(pool, [a, b], 3) == ["b", "b", "b"]
    assert set(_ids(pool, [a, b])) == {"a", "b"}


def test_cooldown_after_allowed_fails_then_recovery() -> None:
    a, b = _d("a"), _d("b")
    pool = DeploymentPool(allowed_fails=1, cooldown_s=0.3)

    assert pool.failed(a, can_cool=True) is False  # one failure is allowed
    assert pool.failed(a, can_cool=True) is True
    assert pool.cooling(a)
    assert set(_ids(pool, [a, b])) == {"b"}
    assert pool.pick([a]) is None

    time.sleep(0.35)
    assert not pool.cooling(a)
    assert set(_ids(pool, [a, b])) == {"a", "b"}
    assert pool.failed(a, can_cool=True) is False  # the count restarted after the cooldown


def test_a_lone_deployment_is_never_cooled() -> None:
    a = _d("a")
    pool = DeploymentPool(allowed_fails=0, cooldown_s=60)
    for _ in range(5):
        assert pool.failed(a, can_cool=False) is False
    assert pool.pick([a]) is a


def test_max_parallel_caps_requests_in_flight() -> None:
    a = _d("a", max_parallel=1)
    pool = DeploymentPool()
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with pool.slot(a, timeout=1):
            entered.set()
            release.wait(2)

    holder = threading.Thread(target=hold)
    holder.start()
    assert entered.wait(2)
    with pytest.raises(TimeoutError, match="busy"), pool.slot(a, timeout=0.1):
        pass
    release.set()
    holder.join()
    with pool.slot(a, timeout=0.1):  # freed
        pass


def test_a_deployment_at_its_rpm_is_passed_over_until_the_minute_rolls_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    a, b = _d("a", rpm=2), _d("b")
    pool = DeploymentPool()

    assert _ids(pool, [a, b], 6) == ["a", "b", "a", "b", "b", "b"]
    assert pool.pick([a]) is None
    clock[0] += 60
    assert _ids(pool, [a], 3) == ["a", "a", None]
