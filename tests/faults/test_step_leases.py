"""A step lock outlives neither its process nor the step: a SIGKILLed run's lock is free
for its re-run within the lease, while a live run keeps its lock for as long as it works.
(Before, a killed run's lock blocked the step for thirty minutes.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

LEASE = 2.0
REPO = Path(__file__).resolve().parents[2]

# A child that takes the lock through the product's lock manager, says so, then sleeps.
_HOLDER = """
import sys, time
import flows._leases as leases
leases.LEASE_S = float(sys.argv[3])
from tests.faults.test_step_leases import manager
locks = manager(sys.argv[1], sys.argv[2])
assert locks.acquire_lock("step-key", "dead-holder")
print("held", flush=True)
time.sleep(600)
"""


def manager(backend: str, where: str) -> Any:
    from flows._cache_locks import FileLockManager, GuardedLockManager
    from flows._cache_storage import _Health

    if backend == "file":
        return GuardedLockManager(FileLockManager(Path(where)), _Health("local"))
    from prefect_redis import RedisDatabase, RedisLockManager

    params = RedisDatabase.from_connection_string(where).as_connection_params()
    return GuardedLockManager(
        RedisLockManager(**params), _Health("redis"), prefix=f"{os.getpid()}-"
    )


@pytest.fixture(params=["file", pytest.param("redis", marks=pytest.mark.redis)])
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str]]:
    import flows._leases as leases

    monkeypatch.setattr(leases, "LEASE_S", LEASE)
    if request.param == "file":
        yield "file", str(tmp_path / "locks")
        return
    import redis

    url = os.environ.get("STUDIO_REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    yield "redis", url


def test_a_live_holder_keeps_its_lock_past_the_lease(backend: tuple[str, str]) -> None:
    kind, where = backend
    holder, other = manager(kind, where), manager(kind, where)
    if kind == "redis":
        other._prefix = holder._prefix
    assert holder.acquire_lock("step", "alive")
    try:
        time.sleep(LEASE * 2.5)
        assert not other.acquire_lock("step", "second", acquire_timeout=0.2), "lease not renewed"
    finally:
        holder.release_lock("step", "alive")
    assert other.acquire_lock("step", "second", acquire_timeout=1.0)
    other.release_lock("step", "second")


def test_a_killed_holders_lock_is_free_within_the_lease(backend: tuple[str, str]) -> None:
    kind, where = backend
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, kind, where, str(LEASE)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        waiter = manager(kind, where)
        if kind == "redis":
            waiter._prefix = f"{child.pid}-"
        assert not waiter.acquire_lock("step-key", "rerun", acquire_timeout=0.2)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        started = time.monotonic()
        assert waiter.acquire_lock("step-key", "rerun", acquire_timeout=LEASE * 4)
        waited = time.monotonic() - started
        waiter.release_lock("step-key", "rerun")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    assert waited <= LEASE + 1.0, f"the re-run waited {waited:.1f}s for a dead run's lock"
