"""Issue 20: bounded requests, cancel on disconnect, honest limits, client errors as such.

Same real servers as ``test_gateway.py`` (scripted backend, uvicorn gateway, real Redis),
plus the real CPU tier for cancellation.
"""

# ruff: noqa: F811  (the fixtures imported from test_gateway are parameters here)
from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from core.settings import Settings
from inference.gateway import GatewayConfig, create_app
from inference.gateway.limits import Limits
from inference.routing import load_routing
from tests.conftest import QWEN_NEVER_ENDS
from tests.inference.test_gateway import (  # noqa: F401  (fixtures)
    GOOD_KEY,
    OTHER_KEY,
    REDIS_URL,
    Backend,
    _auth,
    _chat,
    _entry,
    _gateway,
    _redis_url,
    _Server,
    backend,
    backend_key,
    redis_prefix,
    routing_file,
)

# --- 1. requests are validated before anything is forwarded -----------------------------


def _post(http: httpx.Client, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return http.post("/v1/chat/completions", json=body, headers=headers or _auth())


def test_invalid_requests_are_400s_naming_the_field_and_never_reach_the_backend(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    image = {"type": "image_url", "image_url": {"url": "http://127.0.0.1:6379/x.png"}}
    file_part = {"type": "file", "file": {"file_id": "http://127.0.0.1/secret"}}
    cases = {
        "max_tokens": _chat(max_tokens=100000),
        "n": _chat(n=100),
        "stream_options": _chat(stream_options="x"),
        "temperature": _chat(temperature="hot"),
        "messages.0.content.0": {
            "model": "reasoning",
            "messages": [{"role": "user", "content": [file_part]}],
        },
        "messages.0.content.0.image_url.url": {
            "model": "reasoning",
            "messages": [{"role": "user", "content": [image]}],
        },
        "messages.0.role": {"model": "reasoning", "messages": [{"role": "god", "content": "x"}]},
    }
    cases["max_tokens "] = _chat(max_tokens="5")  # a string where an int belongs
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url, timeout=30) as http:
        answers = {field: _post(http, body) for field, body in cases.items()}
    for field, resp in answers.items():
        assert resp.status_code == 400, (field, resp.text)
        error = resp.json()["error"]
        assert f"'{field.strip()}'" in error["message"], (field, error)
        assert error["code"] in ("invalid_request", "bad_request")
        assert error["request_id"] == resp.headers["x-request-id"]
        assert "127.0.0.1" not in error["message"] and "hot" not in error["message"]
    assert state.chat_bodies == []  # nothing was forwarded, so nothing was retried


def test_oversized_and_deeply_nested_bodies_are_refused_unparsed(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    huge_model = "m" * 10_000_000
    with (
        _gateway(routing_file, max_body_bytes=1_000_000) as gw,
        httpx.Client(base_url=gw.url, timeout=60) as http,
    ):
        big = _post(http, _chat() | {"model": huge_model})
        deep = http.post(
            "/v1/chat/completions",
            content=b"[" * 5000 + b"]" * 5000,
            headers={**_auth(), "content-type": "application/json"},
        )
        long_name = _post(http, _chat() | {"model": "x" * 5000})
    assert big.status_code == 413 and len(big.content) < 1000
    assert deep.status_code == 400 and "nests deeper" in deep.json()["error"]["message"]
    assert long_name.status_code == 404 and len(long_name.content) < 1000  # no echo
    assert state.chat_bodies == []


def test_caps_from_the_routing_file_and_a_default_max_tokens(
    tmp_path: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, url = backend
    state.chat_bodies.clear()
    doc = {
        "profiles": {
            "caps": {
                "model_list": [
                    _entry("reasoning", url, context_window=1000, max_output_tokens=200),
                ],
                "router_settings": {"num_retries": 0},
            }
        }
    }
    path = tmp_path / "caps.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with _gateway(path, profile="caps") as gw, httpx.Client(base_url=gw.url, timeout=30) as http:
        over = _post(http, _chat(max_tokens=201))
        overflow = _post(http, _chat("word " * 1000, max_tokens=100))
        fine = _post(http, _chat("hi"))
    assert over.status_code == 400 and "at most 200" in over.json()["error"]["message"]
    assert overflow.status_code == 400
    assert overflow.json()["error"]["code"] == "context_length_exceeded"
    assert fine.status_code == 200
    assert [b.get("max_tokens") for b in state.chat_bodies] == [200]  # the cap, filled in


# --- 2. cancel on disconnect ------------------------------------------------------------


@pytest.mark.redis
def test_an_abandoned_request_is_cancelled_and_not_cached(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str, redis_prefix: str
) -> None:
    import redis

    state, _ = backend
    with _gateway(routing_file, redis_prefix=redis_prefix) as gw:
        with httpx.Client(base_url=gw.url, timeout=60) as http:
            warm = _post(http, _chat("warm-up"), headers={**_auth(), "Cache-Control": "no-store"})
            assert warm.status_code == 200  # litellm imported and connected: no cold start
        state.chat_bodies.clear()
        state.finished = 0
        state.reply_delay_s = 2.0
        with httpx.Client(base_url=gw.url, timeout=0.5) as http, pytest.raises(httpx.ReadTimeout):
            _post(http, _chat("abandoned"))
        time.sleep(3.0)
        with httpx.Client(base_url=gw.url) as http:
            metrics = http.get("/metrics").text
    assert len(state.chat_bodies) == 1
    # The gateway closed its upstream connection when the client left.
    assert (state.finished, state.disconnected) == (0, 1)
    assert list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{redis_prefix}:cache:*")) == []
    assert 'studio_gateway_requests_total{model="reasoning",route="chat",status="499"} 1.0' in (
        metrics
    )


@pytest.mark.cpu_tier
def test_on_the_cpu_tier_the_slot_is_free_within_a_second_of_the_client_leaving(
    cpu_tier: str,
) -> None:
    routing = load_routing("embedded", settings=Settings())
    config = GatewayConfig(keys=(GOOD_KEY,), health_interval_s=0)
    tiny = {
        "model": "qwen2.5-coder-1.5b-instruct",
        "max_tokens": 1,
        "temperature": 0,
        "messages": [{"role": "user", "content": "Say ok."}],
    }
    with (
        _Server(create_app(Settings(), config=config, routing=routing)) as gw,
        httpx.Client(timeout=120) as direct,
    ):
        started = time.monotonic()
        assert direct.post(f"{cpu_tier}/chat/completions", json=tiny).status_code == 200
        idle_s = time.monotonic() - started
        long = _chat(
            "Count from 1 to 1000, one number per line.",
            max_tokens=1000,
            logit_bias=QWEN_NEVER_ENDS,  # a shortened count ends before the client leaves
        )
        with httpx.Client(base_url=gw.url, timeout=2.0) as http, pytest.raises(httpx.ReadTimeout):
            _post(http, long)  # generating by now; the client leaves
        started = time.monotonic()
        assert direct.post(f"{cpu_tier}/chat/completions", json=tiny).status_code == 200
        after_s = time.monotonic() - started
    # Without cancellation the tiny request waits for ~1000 tokens (a minute or more).
    print(f"cpu tier: tiny request {idle_s:.2f} s idle, {after_s:.2f} s after the client left")
    assert after_s < idle_s + 1.0, (idle_s, after_s)


# --- 4. limits that hold ----------------------------------------------------------------


async def _accepted_times(limits: Limits, seconds: float) -> list[float]:
    accepted: list[float] = []
    end = time.monotonic() + seconds

    async def hammer() -> None:
        while time.monotonic() < end:
            if (await limits.admit("scope")).allowed:
                accepted.append(time.monotonic())
            await asyncio.sleep(0.002)

    await asyncio.gather(*(hammer() for _ in range(8)))
    return sorted(accepted)


def _most_in_a_window(times: list[float], window_s: float) -> int:
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window_s:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.mark.redis
@pytest.mark.parametrize("store", ["redis", "memory"])
def test_never_more_than_the_limit_in_any_window(store: str, redis_prefix: str) -> None:
    from inference.gateway.redis_link import RedisLink

    async def run() -> list[float]:
        link = RedisLink(REDIS_URL if store == "redis" else None, 1.0)
        await link.connect()
        limits = Limits(redis_prefix, 1.0, 10, 0, 5, link)
        try:
            return await _accepted_times(limits, 3.2)
        finally:
            await link.aclose()

    times = asyncio.run(run())
    # Client clocks lag the limiter's by scheduling jitter: allow 20 ms of slack on the window.
    assert _most_in_a_window(times, 0.98) <= 10
    assert len(times) >= 25  # and the limit is reached each window (it is not just blocking)


@pytest.mark.redis
def test_tokens_per_key_and_failed_auth_per_address_are_limited(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str, redis_prefix: str
) -> None:
    with (
        _gateway(routing_file, redis_prefix=redis_prefix, token_limit=300, auth_failures=3) as gw,
        httpx.Client(base_url=gw.url, timeout=30) as http,
    ):
        alone = _post(http, _chat(max_tokens=400))
        first = _post(http, _chat("a", max_tokens=100))  # reserves ~100, settles at 18
        second = _post(http, _chat("b", max_tokens=250))  # 18 + 250 fits
        third = _post(http, _chat("c", max_tokens=250))  # 36 + 250 fits, 18*3 + 250 does not
        fourth = _post(http, _chat("d", max_tokens=250))
        wrong = [
            http.get("/v1/models", headers=_auth("sk-wrong-0123456789abcdefghij")).status_code
            for _ in range(4)
        ]
        good_from_there = http.get("/v1/models", headers=_auth(OTHER_KEY))
    assert alone.status_code == 400 and "lower max_tokens" in alone.json()["error"]["message"]
    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert fourth.status_code == 429 and "token limit" in fourth.json()["error"]["message"]
    assert wrong == [401, 401, 401, 429]
    assert good_from_there.status_code == 429  # the address is throttled, whatever the key


def test_shared_cache_only_when_the_setting_says_so(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str, redis_prefix: str
) -> None:
    with (
        _gateway(routing_file, redis_prefix=redis_prefix, cache_scope="shared") as gw,
        httpx.Client(base_url=gw.url, timeout=30) as http,
    ):
        first = _post(http, _chat("shared"))
        other = http.post("/v1/chat/completions", json=_chat("shared"), headers=_auth(OTHER_KEY))
    assert (first.headers["x-cache"], other.headers["x-cache"]) == ("miss", "hit")


# --- 7. no open documentation -----------------------------------------------------------


def test_openapi_and_docs_are_off(routing_file: Path, backend_key: str) -> None:
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        codes = [
            http.get(p, headers=_auth()).status_code for p in ("/openapi.json", "/redoc", "/docs")
        ]
    assert codes == [404, 404, 404]


# --- 5. the client's errors are the client's --------------------------------------------


def test_a_backend_400_is_a_400_sent_once_without_the_backends_text(
    tmp_path: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, url = backend
    state.chat_bodies.clear()
    state.fail_status = 400
    state.fail_message = "ContextWindowExceededError Hosted_vllmException internal detail"
    doc = {
        "profiles": {
            "retry": {
                "model_list": [_entry("reasoning", url)],
                "router_settings": {"num_retries": 2, "cooldown_time": 0},
            }
        }
    }
    path = tmp_path / "retry.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    try:
        with (
            _gateway(path, profile="retry") as gw,
            httpx.Client(base_url=gw.url, timeout=30) as http,
        ):
            resp = _post(http, _chat("x"))
    finally:
        state.fail_status = None
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] in ("bad_request", "context_length_exceeded")
    assert "Hosted_vllm" not in resp.text and "internal detail" not in resp.text
    assert error["request_id"].startswith("req-")
    assert len(state.chat_bodies) == 1  # never retried


def test_a_stream_only_deployment_answers_non_streaming_callers_whole(
    tmp_path: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    """``cancel_needs_stream``: the gateway streams upstream and hands back one completion."""
    from tests.inference.test_gateway import STREAM_TOKENS

    state, url = backend
    state.chat_bodies.clear()
    state.chunk_delay_s = 0.0
    doc = {
        "profiles": {
            "cpu": {
                "model_list": [_entry("reasoning", url, cancel_needs_stream=True)],
                "router_settings": {"num_retries": 0},
            }
        }
    }
    path = tmp_path / "cpu.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with _gateway(path, profile="cpu") as gw, httpx.Client(base_url=gw.url, timeout=30) as http:
        resp = _post(http, _chat("whole please"))
    assert resp.status_code == 200, resp.text
    answer = resp.json()
    assert answer["object"] == "chat.completion"
    assert answer["choices"][0]["message"]["content"] == "".join(STREAM_TOKENS)
    assert answer["usage"]["total_tokens"] == 13
    assert [b.get("stream") for b in state.chat_bodies] == [True]
