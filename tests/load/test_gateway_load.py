"""Issue 13: the gateway under load on loopback -- 50 concurrent clients over several keys.

The gateway (a real uvicorn server) stands before the scripted backend of
``tests/inference/test_gateway.py``, with its own redis-server on a free port that the tests
kill and bring back. Every load is bounded (a request budget per client and a deadline).
The latency the gateway adds is a benchmark (``benchmarks/gateway_load.py``), not a test.
"""

# ruff: noqa: F811  (the fixtures imported from test_gateway are parameters here)
from __future__ import annotations

import asyncio
import logging
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.inference.test_gateway import (  # noqa: F401  (fixtures)
    Backend,
    _gateway,
    backend,
    backend_key,
    routing_file,
)
from tests.load.driver import Shot, hammer
from tests.redis_server import start_redis

pytestmark = pytest.mark.redis

KEYS = [f"sk-load-{i}-0123456789-abcdefghij" for i in range(5)]
CLIENTS = 50


@pytest.fixture
def shipped_retries(routing_file: Path) -> Path:
    """The scripted backend's routing with one retry per request, as every shipped profile has.

    Under heavy host load a pooled backend connection now and then closes under a request
    (its idle timers run late); that one retry is what keeps such a request from a 502.
    """
    doc = yaml.safe_load(routing_file.read_text(encoding="utf-8"))
    for profile in doc["profiles"].values():
        profile["router_settings"]["num_retries"] = 1
    routing_file.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return routing_file


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.kill()
        proc.wait(10)


def _by_key(shots: list[Shot]) -> dict[int, Counter[int]]:
    counts: dict[int, Counter[int]] = {k: Counter() for k in range(len(KEYS))}
    for shot in shots:
        counts[shot.key][shot.status] += 1
    return counts


def test_fifty_clients_get_exactly_their_keys_limit_and_never_a_5xx(
    shipped_retries: Path, backend_key: str, tmp_path: Path
) -> None:
    url, proc = start_redis(tmp_path)
    try:
        with _gateway(
            shipped_retries,
            keys=tuple(KEYS),
            rate_limit=20,
            rate_window_s=600,  # longer than the load: exact means exactly 20 per key
            token_limit=0,
            redis_url=url,
            redis_prefix="load",
        ) as gw:
            shots = asyncio.run(hammer(gw.url, KEYS, CLIENTS, per_client=8, seconds=150))
    finally:
        _stop([proc])
    assert len(shots) == CLIENTS * 8  # every request was answered within the deadline
    assert [s.error for s in shots if s.error] == []
    counts = _by_key(shots)
    assert {k: dict(c) for k, c in counts.items()} == {
        k: {200: 20, 429: 60} for k in range(len(KEYS))
    }
    assert all(int(s.retry_after) >= 1 for s in shots if s.status == 429)


def _few_prompts(key: int, client: int, n: int) -> dict[str, Any]:
    """Four prompts per key, repeated: the cache answers most of them while Redis lives."""
    return {"model": "reasoning", "messages": [{"role": "user", "content": f"prompt {n % 4}"}]}


def test_redis_killed_under_load_serving_goes_on_uncached_with_one_warning_then_the_cache_returns(
    shipped_retries: Path,
    backend: tuple[Backend, str],
    backend_key: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="inference.gateway")
    url, first = start_redis(tmp_path / "before")
    procs = [first]
    marks: dict[str, float] = {}

    async def until(what: str, condition: Callable[[], bool], limit_s: float = 60.0) -> None:
        deadline = time.monotonic() + limit_s
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            await asyncio.sleep(0.05)

    async def scenario(gw_url: str) -> list[Shot]:
        shots: list[Shot] = []
        stop = asyncio.Event()
        load = asyncio.create_task(
            hammer(
                gw_url,
                KEYS,
                CLIENTS,
                seconds=150,
                body=_few_prompts,
                timeout_s=30,
                sink=shots,
                stop=stop,
            )
        )
        try:
            await until("cache hits", lambda: sum(s.cache == "hit" for s in shots) >= 20)
            first.kill()
            marks["killed"] = time.monotonic()
            await until(
                "answers without redis",
                lambda: sum(s.sent > marks["killed"] + 0.2 for s in shots) >= 60,
            )
            marks["restarting"] = time.monotonic()
            _, again = await asyncio.to_thread(start_redis, tmp_path / "after", _port(url))
            procs.append(again)
            marks["back"] = time.monotonic()
            await until(
                "cache hits again",
                lambda: sum(s.cache == "hit" and s.sent > marks["back"] for s in shots) >= 20,
            )
        finally:
            stop.set()
            await load
        return shots

    try:
        with _gateway(
            shipped_retries,
            keys=tuple(KEYS),
            rate_limit=1_000_000,
            token_limit=0,
            redis_url=url,
            redis_prefix="load",
            cache_ttl_s=600,
            health_interval_s=0,
        ) as gw:
            shots = asyncio.run(scenario(gw.url))
    finally:
        _stop(procs)

    statuses = Counter(f"{s.status}{s.error}" for s in shots)
    assert statuses == {"200": len(shots)}, statuses  # no 5xx, no dropped connection
    outage = [s for s in shots if s.sent > marks["killed"] + 0.2 and s.done < marks["restarting"]]
    assert len(outage) >= 40, len(outage)
    assert "hit" not in {s.cache for s in outage}  # served, uncached
    assert Counter(s.cache for s in outage)["bypass"] >= len(outage) - 5  # (a try may miss)
    gateway_warnings = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("inference.gateway") and r.levelno >= logging.WARNING
    ]
    assert len(gateway_warnings) == 1, gateway_warnings
    assert "unreachable" in gateway_warnings[0] and "until it returns" in gateway_warnings[0]
    assert any("is back" in r.getMessage() for r in caplog.records)


def test_per_key_limits_stay_exact_while_redis_is_dead_and_after_it_returns_empty(
    shipped_retries: Path, backend_key: str, tmp_path: Path
) -> None:
    url, first = start_redis(tmp_path / "before")
    procs = [first]
    try:
        with _gateway(
            shipped_retries,
            keys=tuple(KEYS),
            rate_limit=12,
            rate_window_s=600,
            token_limit=0,
            redis_url=url,
            redis_prefix="load",
            cache_ttl_s=0,
            health_interval_s=0,
        ) as gw:

            def wave() -> list[Shot]:
                return asyncio.run(hammer(gw.url, KEYS, CLIENTS, per_client=1, seconds=60))

            up = wave()  # 10 per key, counted in Redis (and in memory)
            first.kill()
            first.wait(10)
            down = wave()  # 10 more per key: only 2 fit
            procs.append(start_redis(tmp_path / "after", _port(url))[1])
            time.sleep(1.2)  # the link tries Redis again
            back = wave()  # Redis came back empty; this replica still remembers
    finally:
        _stop(procs)
    assert [s.error for s in up + down + back if s.error] == []
    assert [dict(c) for c in _by_key(up).values()] == [{200: 10}] * len(KEYS)
    assert [dict(c) for c in _by_key(down).values()] == [{200: 2, 429: 8}] * len(KEYS)
    assert [dict(c) for c in _by_key(back).values()] == [{429: 10}] * len(KEYS)
