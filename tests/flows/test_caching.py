from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

from flows._cache_keys import ContentPolicy, content_digest
from flows._cache_locks import FileLockManager, GuardedLockManager
from flows._cache_storage import GuardedStorage, _Health


def _key(policy: ContentPolicy, **inputs: Any) -> str:
    key = policy.compute_key(None, inputs, {})  # type: ignore[arg-type]
    assert key is not None
    return key


def test_keys_follow_file_content_not_path(tmp_path: Path) -> None:
    a = tmp_path / "a.mp4"
    a.write_bytes(b"frames")
    b = tmp_path / "sub" / "renamed.mp4"
    b.parent.mkdir()
    shutil.copy(a, b)
    c = tmp_path / "c.mp4"
    c.write_bytes(b"other frames")
    policy = ContentPolicy(step="sample_frames")
    assert _key(policy, video=a, n=4) == _key(policy, video=b, n=4)
    assert _key(policy, video=a, n=4) != _key(policy, video=c, n=4)
    assert _key(policy, video=a, n=4) != _key(policy, video=a, n=5)
    assert _key(policy, video=a, n=4).startswith("sample_frames-")


def test_ignored_inputs_and_step_name() -> None:
    policy = ContentPolicy(step="x", ignore=("run_ref",))
    assert _key(policy, q=1, run_ref="r1") == _key(policy, q=1, run_ref="r2")
    assert _key(ContentPolicy(step="y"), q=1) != _key(ContentPolicy(step="x"), q=1)


def test_digest_is_order_insensitive_for_mappings() -> None:
    assert content_digest({"a": 1, "b": [1, 2]}) == content_digest({"b": [1, 2], "a": 1})
    assert content_digest(b"x") != content_digest(b"y")


def test_local_storage_roundtrip_and_miss(tmp_path: Path) -> None:
    storage = GuardedStorage.local(tmp_path, _Health("local"))
    storage.write_path("k-1", b"payload")
    assert storage.read_path("k-1") == b"payload"
    with pytest.raises(KeyError):
        storage.read_path("absent")
    assert not storage.health.down


class _Broken:
    def read_path(self, path: str, _sync: bool = True) -> bytes:
        raise ConnectionError("redis gone")

    def write_path(self, path: str, content: bytes, _sync: bool = True) -> None:
        raise ConnectionError("redis gone")


class _BrokenLocks:
    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("redis gone")

        return fail


def test_local_records_expire_like_redis_keys(tmp_path: Path) -> None:
    import os
    import time

    storage = GuardedStorage.local(tmp_path, _Health("local"), ttl_s=60)
    storage.write_path("fresh", b"1")
    storage.write_path("stale", b"2")
    old = time.time() - 61
    os.utime(tmp_path / "stale", (old, old))

    assert storage.read_path("fresh") == b"1"
    with pytest.raises(KeyError):
        storage.read_path("stale")
    assert not (tmp_path / "stale").exists()  # removed, as Redis would
    forever = GuardedStorage.local(tmp_path, _Health("local"), ttl_s=0)
    os.utime(tmp_path / "fresh", (0, 0))
    assert forever.read_path("fresh") == b"1"


def test_backend_failure_turns_into_misses_with_one_warning() -> None:
    health = _Health("redis")
    storage = GuardedStorage()
    storage._inner = _Broken()
    storage._health = health
    locks = GuardedLockManager(_BrokenLocks(), health)  # type: ignore[arg-type]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        storage.write_path("k", b"x")
        with pytest.raises(KeyError):
            storage.read_path("k")
        assert locks.acquire_lock("k", "me") is True
        locks.release_lock("k", "me")
    assert health.down
    assert len([w for w in caught if "became unavailable" in str(w.message)]) == 1


def test_file_locks_exclude_other_holders_and_expire(tmp_path: Path) -> None:
    locks = FileLockManager(tmp_path, poll_s=0.01)
    assert locks.acquire_lock("step-1", "a", hold_timeout=60)
    assert locks.is_locked("step-1") and locks.is_lock_holder("step-1", "a")
    assert not locks.acquire_lock("step-1", "b", acquire_timeout=0.05)
    locks.release_lock("step-1", "b")  # not b's: still locked
    assert locks.is_locked("step-1")
    locks.release_lock("step-1", "a")
    assert not locks.is_locked("step-1")
    # a crashed holder's lock expires
    assert locks.acquire_lock("step-2", "dead", hold_timeout=0.05)
    assert locks.acquire_lock("step-2", "b", acquire_timeout=2, hold_timeout=60)
    assert locks.is_lock_holder("step-2", "b")
