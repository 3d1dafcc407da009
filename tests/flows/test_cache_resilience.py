"""Redis result caching: shared results, TTL, prefix, and Redis dying mid-run."""

from __future__ import annotations

import socket
import subprocess
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flows.conftest import FakeRoles, write_job
from tests.redis_server import start_redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A private redis-server on a free port that the test may kill."""
    url, proc = start_redis(tmp_path)
    try:
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def _use_redis(monkeypatch: pytest.MonkeyPatch, url: str, prefix: str) -> None:
    from core.settings import get_settings

    monkeypatch.setenv("STUDIO_REDIS_URL", url)
    monkeypatch.setenv("STUDIO_CACHE_PREFIX", prefix)
    monkeypatch.setenv("STUDIO_CACHE_TTL_S", "600")
    get_settings.cache_clear()


@pytest.mark.redis
def test_results_live_in_redis_with_prefix_and_ttl_and_are_reused(
    tmp_path: Path,
    fake_roles: FakeRoles,
    monkeypatch: pytest.MonkeyPatch,
    own_redis: tuple[str, subprocess.Popen[bytes]],
) -> None:
    import redis

    from flows.creative_job import run_job

    url, _ = own_redis
    prefix = f"t{uuid.uuid4().hex[:8]}"
    _use_redis(monkeypatch, url, prefix)
    first = run_job(write_job(tmp_path))
    assert first["cache_backend"] == "redis"

    client = redis.Redis.from_url(url)
    keys = [k.decode() if isinstance(k, bytes) else k for k in client.keys("*")]
    results = [k for k in keys if k.startswith(f"{prefix}:result:")]
    assert {k.split(":")[-1].split("-")[0] for k in results} >= {
        "understand_intent",
        "sample_frames",
        "analyze_frames",
        "generate_edit",
        "render",
    }
    assert all(0 < client.ttl(k) <= 600 for k in results)
    assert not [k for k in keys if not k.startswith(f"{prefix}:")]

    # A different studio home (another machine) shares the results through Redis.
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "other-home"))
    from core.settings import get_settings

    get_settings.cache_clear()
    sent = fake_roles.chat_count
    second = run_job(write_job(tmp_path))
    assert second["llm_calls"] == 0
    assert fake_roles.chat_count == sent


@pytest.mark.redis
def test_redis_dying_mid_run_degrades_with_one_warning(
    tmp_path: Path,
    fake_roles: FakeRoles,
    monkeypatch: pytest.MonkeyPatch,
    own_redis: tuple[str, subprocess.Popen[bytes]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from flows.creative_job import on_progress, run_job

    url, proc = own_redis
    _use_redis(monkeypatch, url, f"t{uuid.uuid4().hex[:8]}")

    def kill_on_first_scene(message: str) -> None:
        if message.startswith("scene ") and proc.poll() is None:
            proc.kill()
            proc.wait(10)

    with (
        on_progress(kill_on_first_scene),
        warnings.catch_warnings(record=True) as caught,
        caplog.at_level("WARNING", logger="studio.cache"),
    ):
        warnings.simplefilter("always")
        summary = run_job(write_job(tmp_path))

    assert proc.poll() is not None, "redis was not stopped during the run"
    assert Path(summary["output_video"]).is_file()
    assert summary["cache_degraded"] is True
    ours = [w for w in caught if "result cache (redis) became unavailable" in str(w.message)]
    assert len(ours) == 1
    assert len([r for r in caplog.records if "became unavailable" in r.getMessage()]) == 1
    assert "caching was off" in (tmp_path / "out" / "report.md").read_text()


def test_unreachable_redis_falls_back_to_local_storage_and_says_so(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.creative_job import on_progress, run_job

    _use_redis(monkeypatch, f"redis://127.0.0.1:{_free_port()}/0", "x")
    said: list[str] = []
    with on_progress(said.append):
        summary = run_job(write_job(tmp_path))
    assert summary["cache_backend"] == "local"
    assert any("caching step results locally" in m and "unreachable" in m for m in said)
    assert run_job(write_job(tmp_path))["llm_calls"] == 0


@pytest.mark.redis
def test_two_concurrent_runs_share_redis_locks_and_compute_once(
    tmp_path: Path,
    fake_roles: FakeRoles,
    monkeypatch: pytest.MonkeyPatch,
    own_redis: tuple[str, subprocess.Popen[bytes]],
) -> None:
    """Both runs are inside the intent step at once; the lock makes one wait and reuse.

    The overlap is forced, not hoped for: the first intent request is held open (a Gate)
    until the other run has asked for the same step's lock while it is held, or, if nothing
    locks, until the other run's own intent request arrives (a Signal). Without locking,
    that second request always happens, so the test fails every time.
    """
    import threading

    from flows import _cache_locks
    from flows.creative_job import creative_job
    from flows.spec import load_spec
    from tests.fakes.openai_server import Gate, Reply, Signal
    from tests.flows.conftest import INTENT

    url, _ = own_redis
    _use_redis(monkeypatch, url, f"t{uuid.uuid4().hex[:8]}")
    overlap = threading.Event()
    seen: dict[str, set[str]] = {}
    seen_lock = threading.Lock()
    real_acquire = _cache_locks.GuardedLockManager.acquire_lock

    def spy_acquire(
        self: _cache_locks.GuardedLockManager,
        key: str,
        holder: str,
        acquire_timeout: float | None = None,
        hold_timeout: float | None = None,
    ) -> bool:
        if key.startswith("understand_intent-"):
            with seen_lock:
                seen.setdefault(key, set()).add(holder)
            # Someone else holds the step: this run is now bound to wait for it, by the
            # lock's semantics, so the held request may go on. No lock held: keep waiting.
            if self.is_locked(key):
                overlap.set()
        return real_acquire(self, key, holder, acquire_timeout, hold_timeout)

    monkeypatch.setattr(_cache_locks.GuardedLockManager, "acquire_lock", spy_acquire)
    gate = Gate(overlap, timeout_s=120, then=Reply.json(INTENT))
    fake_roles.reasoning.script(gate, Signal(overlap, Reply.json(INTENT)))
    specs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        specs.append(load_spec(write_job(tmp_path / name)))
    results: list[dict[str, object]] = []
    threads = [threading.Thread(target=lambda s=s: results.append(creative_job(s))) for s in specs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)

    assert not gate.timed_out.is_set(), "the second run never reached the intent step"
    assert [len(holders) for holders in seen.values()] == [2], seen
    assert len(results) == 2
    assert all(r["cache_backend"] == "redis" for r in results)
    assert fake_roles.reasoning.chat_count == 1, "both runs computed the intent"
    assert fake_roles.vision.chat_count == 4
    assert sum(int(str(r["llm_calls"])) for r in results) == fake_roles.chat_count
