"""The gateway over a scripted OpenAI-compatible backend, both on real local HTTP servers.

The backend here speaks what ``tests/fakes/openai_server.py`` does not (SSE streaming and
embeddings), and records what the gateway forwarded. Redis tests use the real server at
``STUDIO_REDIS_URL`` (default 127.0.0.1:6379) under a unique key prefix and clean up; when
none answers there, the session starts a private redis-server instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from core.exceptions import ConfigError
from core.settings import Settings
from inference.gateway import KEEP_ALIVE_S, GatewayConfig, create_app, key_id, load_keys
from inference.gateway.keys import KeyRing
from inference.routing import load_routing
from tests.redis_server import start_redis

REDIS_URL = os.environ.get("STUDIO_REDIS_URL", "redis://127.0.0.1:6379/0")
GOOD_KEY = "sk-gw-good-0123456789-abcdefgh"
OTHER_KEY = "sk-gw-other-9876543210-abcdefgh"
BACKEND_KEY_ENV = "GW_TEST_BACKEND_KEY"
STREAM_TOKENS = [f"tok{i} " for i in range(8)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- scripted backend -------------------------------------------------------------------


@dataclass
class Backend:
    """What the fake backend saw, and how it should answer."""

    chat_bodies: list[dict[str, Any]] = field(default_factory=list)
    auth_headers: list[str] = field(default_factory=list)
    fail_status: int | None = None
    chunk_delay_s: float = 0.03
    healthy: bool = True
    break_stream_after: int | None = None
    reply_delay_s: float = 0.0
    fail_message: str = "scripted failure"
    finished: int = 0
    disconnected: int = 0
    empty: bool = False  # a role chunk and a stop (or an empty message): no content at all
    first_chunk_delay_s: float = 0.0  # before a stream's first chunk (a busy backend)
    reply_text: str | None = None  # the answer's text instead of the echo
    streams_closed_early: int = 0  # streams the caller closed before their end


def _backend_app(backend: Backend) -> Any:
    app = FastAPI()

    @app.get("/health")
    async def health() -> Any:
        if backend.healthy:
            return {"status": "ok"}
        return JSONResponse({"status": "loading"}, status_code=503)

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Any:
        body = await request.json()
        backend.chat_bodies.append(body)
        backend.auth_headers.append(request.headers.get("authorization", ""))
        if backend.fail_status:
            return JSONResponse(
                {"error": {"message": backend.fail_message, "type": "server_error"}},
                status_code=backend.fail_status,
            )
        model = body["model"]
        if body.get("stream"):
            tokens = [] if backend.empty else STREAM_TOKENS
            if backend.reply_text is not None:
                tokens = [
                    backend.reply_text[i : i + 7] for i in range(0, len(backend.reply_text), 7)
                ]

            async def events() -> Any:
                ended = False
                try:
                    async for event in stream(tokens):
                        yield event
                    ended = True
                finally:
                    if not ended:
                        backend.streams_closed_early += 1

            async def stream(tokens: list[str]) -> Any:
                await asyncio.sleep(backend.first_chunk_delay_s)
                if backend.empty:
                    role = {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 1,
                        "model": model,
                        "choices": [{"index": 0, "delta": {"role": "assistant"}}],
                    }
                    yield f"data: {json.dumps(role)}\n\n"
                for i, tok in enumerate(tokens):
                    if i == backend.break_stream_after:
                        raise RuntimeError("backend died mid-stream")
                    chunk = {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 1,
                        "model": model,
                        "choices": [
                            {
                                "index": 0,
                                "delta": {"role": "assistant", "content": tok}
                                if i == 0
                                else {"content": tok},
                                "finish_reason": None,
                            }
                        ],
                    }
                    yield f"data: {json.dumps(chunk)}\n\n"
                    await asyncio.sleep(backend.chunk_delay_s)
                last = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": 1,
                    "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                yield f"data: {json.dumps(last)}\n\n"
                if (body.get("stream_options") or {}).get("include_usage"):
                    usage = {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 1,
                        "model": model,
                        "choices": [],
                        "usage": {"prompt_tokens": 5, "completion_tokens": 8, "total_tokens": 13},
                    }
                    yield f"data: {json.dumps(usage)}\n\n"
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")
        text = body["messages"][-1]["content"]
        if backend.empty:
            text = ""
        if backend.reply_delay_s:
            await asyncio.sleep(backend.reply_delay_s)
            if await request.is_disconnected():  # the caller hung up while we "generated"
                backend.disconnected += 1
                return JSONResponse({}, status_code=499)
        backend.finished += 1
        return {
            "id": f"chatcmpl-{len(backend.chat_bodies)}",
            "object": "chat.completion",
            "created": 1,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": backend.reply_text
                        if backend.reply_text is not None
                        else (f"echo #{len(backend.chat_bodies)}: {text}" if text else ""),
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        }

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Any:
        body = await request.json()
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        return {
            "object": "list",
            "model": body["model"],
            "data": [
                {"object": "embedding", "index": i, "embedding": [float(len(t)), 0.5, -0.5]}
                for i, t in enumerate(inputs)
            ],
            "usage": {"prompt_tokens": 3, "total_tokens": 3},
        }

    return app


class _Server:
    """A uvicorn server in a daemon thread."""

    def __init__(self, app: Any, port: int | None = None, keep_alive_s: int = 5) -> None:
        import uvicorn

        self.port = port or _free_port()
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            timeout_keep_alive=keep_alive_s,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> _Server:
        self.thread.start()
        # Waits for the start itself; the deadline only catches a hang (a loaded machine
        # takes well over 20 s to build the first router).
        deadline = time.monotonic() + 180
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def backend() -> Iterator[tuple[Backend, str]]:
    state = Backend()
    with _Server(_backend_app(state)) as server:
        yield state, server.url


def _entry(group: str, url: str, **info: Any) -> dict[str, Any]:
    """A routing entry for ``group`` served by the backend at ``url``."""
    return {
        "model_name": group,
        "litellm_params": {
            "model": f"hosted_vllm/fake-{group}",
            "api_base": f"{url}/v1",
            "api_key": f"os.environ/{BACKEND_KEY_ENV}",
            "timeout": 10,
        },
        "model_info": {"id": f"fake-{group}", **info},
    }


@pytest.fixture
def routing_file(tmp_path: Path, backend: tuple[Backend, str]) -> Path:
    state, url = backend
    state.chat_bodies.clear()
    state.auth_headers.clear()
    state.fail_status = None
    state.healthy = True
    state.break_stream_after = None
    state.reply_delay_s = 0.0
    state.fail_message = "scripted failure"
    state.finished = 0
    state.disconnected = 0
    state.empty = False
    state.first_chunk_delay_s = 0.0
    state.reply_text = None
    state.streams_closed_early = 0

    doc = {
        "profiles": {
            "gw": {
                "model_list": [
                    _entry("reasoning", url, supports_vision=False),
                    _entry("vision", url, supports_vision=False),
                    _entry("coder", url, supports_vision=False),
                    _entry("embedding", url, supports_vision=False, mode="embedding"),
                ],
                "fallbacks": [],
                "router_settings": {"num_retries": 0, "allowed_fails": 100, "cooldown_time": 0},
            }
        }
    }
    path = tmp_path / "routing.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def _redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """STUDIO_REDIS_URL's server if it answers, else a private one for the session."""
    import redis

    global REDIS_URL
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        reachable = bool(client.ping())
    except redis.RedisError:
        reachable = False
    finally:
        client.close()
    if reachable:
        yield REDIS_URL
        return
    configured = REDIS_URL
    REDIS_URL, proc = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield REDIS_URL
    finally:
        REDIS_URL = configured
        proc.kill()
        proc.wait(10)


@pytest.fixture
def redis_prefix(_redis_url: str) -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(_redis_url)
    prefix = f"test-gw-{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def backend_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = f"sk-backend-canary-{uuid.uuid4().hex}"
    monkeypatch.setenv(BACKEND_KEY_ENV, key)
    return key


def _gateway(
    routing_file: Path,
    *,
    keys: tuple[str, ...] = (GOOD_KEY, OTHER_KEY),
    rate_limit: int = 1000,
    redis_prefix: str | None = None,
    cache_ttl_s: int = 60,
    health_interval_s: float = 5.0,
    profile: str = "gw",
    redis_url: str | None = None,
    **extra: Any,
) -> _Server:
    config = GatewayConfig(
        keys=keys,
        rate_limit=rate_limit,
        rate_window_s=extra.pop("rate_window_s", 60),
        cache_ttl_s=cache_ttl_s,
        redis_url=redis_url or (REDIS_URL if redis_prefix else None),
        redis_prefix=redis_prefix or "unused",
        health_interval_s=health_interval_s,
        **extra,
    )
    routing = load_routing(profile, routing_file)
    return _Server(
        create_app(Settings(), config=config, routing=routing), keep_alive_s=KEEP_ALIVE_S
    )


def _auth(key: str = GOOD_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _chat(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"model": "reasoning", "messages": [{"role": "user", "content": text}], **extra}


# --- auth, models, health ---------------------------------------------------------------


def test_401_without_key_or_with_a_wrong_key(routing_file: Path, backend_key: str) -> None:
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        assert http.get("/v1/models").status_code == 401
        wrong = http.post("/v1/chat/completions", json=_chat(), headers=_auth("sk-wrong"))
        assert wrong.status_code == 401
        assert wrong.json()["error"]["type"] == "unauthorized"
        assert wrong.headers["www-authenticate"] == "Bearer"
        basic = http.get("/v1/models", headers={"Authorization": f"Basic {GOOD_KEY}"})
        assert basic.status_code == 401
        assert http.get("/v1/models", headers=_auth()).status_code == 200


def test_models_lists_the_routing_roles(routing_file: Path, backend_key: str) -> None:
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        models = http.get("/v1/models", headers=_auth()).json()
        health = http.get("/health").json()
    ids = [m["id"] for m in models["data"]]
    assert ids == ["reasoning", "vision", "coder", "embedding"]
    modes = {m["id"]: m["mode"] for m in models["data"]}
    assert modes["embedding"] == "embedding" and modes["reasoning"] == "chat"
    assert health["status"] == "ok" and health["models"] == ids and health["redis"] == "off"
    assert set(health["deployments"].values()) == {"up"}


def test_chat_completion_goes_through_the_router_with_the_backend_key(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        resp = http.post("/v1/chat/completions", json=_chat("hi there"), headers=_auth())
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["choices"][0]["message"]["content"] == "echo #1: hi there"
    assert body["usage"]["total_tokens"] == 18
    assert state.chat_bodies[0]["model"] == "fake-reasoning"
    assert state.auth_headers == [f"Bearer {backend_key}"]
    assert resp.headers["x-cache"] == "bypass"  # no Redis configured for this gateway


def test_unknown_model_and_bad_bodies_are_clean_4xx(routing_file: Path, backend_key: str) -> None:
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        unknown = http.post(
            "/v1/chat/completions", json={**_chat(), "model": "gpt-9"}, headers=_auth()
        )
        empty = http.post("/v1/chat/completions", json={**_chat(), "messages": []}, headers=_auth())
        not_json = http.post(
            "/v1/chat/completions",
            content=b"{nope",
            headers={**_auth(), "content-type": "application/json"},
        )
    assert unknown.status_code == 404 and unknown.json()["error"]["type"] == "model_not_found"
    assert "reasoning" in unknown.json()["error"]["message"]
    assert empty.status_code == 400
    assert not_json.status_code == 400


def test_routing_kwargs_from_clients_are_refused(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    """A client must not redirect a request (and the backend key) to a host of its choice."""
    state, _ = backend
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        for bad in (
            {"api_base": "http://evil.example/v1"},
            {"mock_response": "x"},
            {"api_key": "k"},
        ):
            resp = http.post("/v1/chat/completions", json=_chat(**bad), headers=_auth())
            assert resp.status_code == 400, bad
            assert "unsupported parameter" in resp.json()["error"]["message"]
    assert state.chat_bodies == []


def test_upstream_failure_is_a_502_without_backend_details(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, url = backend
    state.fail_status = 500
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        resp = http.post("/v1/chat/completions", json=_chat(), headers=_auth())
    assert resp.status_code == 502
    err = resp.json()["error"]
    assert err["type"] == "upstream_unavailable"
    assert url.split("//")[1] not in err["message"]


# --- embeddings -------------------------------------------------------------------------


def test_embeddings_where_served_and_a_clear_400_elsewhere(
    routing_file: Path, backend_key: str
) -> None:
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url) as http:
        ok = http.post(
            "/v1/embeddings", json={"model": "embedding", "input": ["ab", "abcd"]}, headers=_auth()
        )
        chat_model = http.post(
            "/v1/embeddings", json={"model": "reasoning", "input": "x"}, headers=_auth()
        )
        chat_on_embedder = http.post(
            "/v1/chat/completions", json={**_chat(), "model": "embedding"}, headers=_auth()
        )
    assert ok.status_code == 200, ok.text
    vectors = [d["embedding"] for d in ok.json()["data"]]
    assert vectors == [[2.0, 0.5, -0.5], [4.0, 0.5, -0.5]]
    assert chat_model.status_code == 400
    assert "does not serve embeddings" in chat_model.json()["error"]["message"]
    assert "embedding" in chat_model.json()["error"]["message"]
    assert chat_on_embedder.status_code == 400


# --- rate limits ------------------------------------------------------------------------


@pytest.mark.redis
def test_429_past_the_per_key_limit_in_redis(
    routing_file: Path, backend_key: str, redis_prefix: str
) -> None:
    import redis

    with (
        _gateway(routing_file, rate_limit=3, redis_prefix=redis_prefix) as gw,
        httpx.Client(base_url=gw.url) as http,
    ):
        codes = [http.get("/v1/models", headers=_auth()).status_code for _ in range(3)]
        blocked = http.post("/v1/chat/completions", json=_chat(), headers=_auth())
        other = http.get("/v1/models", headers=_auth(OTHER_KEY))
    assert codes == [200, 200, 200]
    assert blocked.status_code == 429
    assert blocked.json()["error"]["type"] == "rate_limited"
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    assert blocked.headers["x-ratelimit-remaining"] == "0"
    assert other.status_code == 200  # limits are per key
    counters = list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{redis_prefix}:rl:*"))
    names = {c.decode() for c in counters}
    config = GatewayConfig(keys=(GOOD_KEY, OTHER_KEY))
    caller = KeyRing(config.keys, config.hmac_secret).identify(GOOD_KEY)
    assert caller is not None
    assert any(caller.scope in n for n in names)  # named by the key's HMAC...
    assert not any(GOOD_KEY in n or key_id(GOOD_KEY) in n for n in names)  # ...nothing else
    unsalted = hashlib.sha256(GOOD_KEY.encode()).hexdigest()
    assert not any(unsalted[:10] in n for n in names)


def test_unreachable_redis_falls_back_to_memory_limits_without_leaking_its_password(
    routing_file: Path, backend_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    password = f"redis-pw-{uuid.uuid4().hex}"
    caplog.set_level(logging.DEBUG)
    with (
        _gateway(
            routing_file,
            rate_limit=2,
            redis_prefix="unused",
            redis_url=f"redis://:{password}@127.0.0.1:{_free_port()}/0",
        ) as gw,
        httpx.Client(base_url=gw.url) as http,
    ):
        health = http.get("/health").json()
        first = http.post("/v1/chat/completions", json=_chat(), headers=_auth())
        codes = [http.get("/v1/models", headers=_auth()).status_code for _ in range(2)]
    assert health["redis"] == "down"  # configured, not answering (tried again every second)
    assert first.status_code == 200 and first.headers["x-cache"] == "bypass"
    assert codes == [200, 429]
    assert "unreachable" in caplog.text
    assert password not in caplog.text


def test_429_past_the_limit_in_memory_without_redis(routing_file: Path, backend_key: str) -> None:
    with _gateway(routing_file, rate_limit=2) as gw, httpx.Client(base_url=gw.url) as http:
        codes = [http.get("/v1/models", headers=_auth()).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# --- response cache ---------------------------------------------------------------------


@pytest.mark.redis
def test_identical_request_is_a_cache_hit(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str, redis_prefix: str
) -> None:
    import redis

    state, _ = backend
    with (
        _gateway(routing_file, redis_prefix=redis_prefix, cache_ttl_s=120) as gw,
        httpx.Client(base_url=gw.url) as http,
    ):
        first = http.post("/v1/chat/completions", json=_chat("same"), headers=_auth())
        # Same request with its keys in another order: still identical.
        reordered = {"messages": [{"content": "same", "role": "user"}], "model": "reasoning"}
        second = http.post("/v1/chat/completions", json=reordered, headers=_auth())
        # The same request from another key is that key's own: never another tenant's answer.
        other = http.post("/v1/chat/completions", json=_chat("same"), headers=_auth(OTHER_KEY))
        different = http.post(
            "/v1/chat/completions", json=_chat("same", temperature=0.7), headers=_auth()
        )
        no_cache = http.post(
            "/v1/chat/completions",
            json=_chat("same"),
            headers={**_auth(), "Cache-Control": "no-cache"},
        )
        health = http.get("/health").json()
    assert [r.status_code for r in (first, second, other, different, no_cache)] == [200] * 5
    assert first.headers["x-cache"] == "miss"
    assert second.headers["x-cache"] == "hit"
    assert second.json() == first.json()
    assert other.headers["x-cache"] == "miss" and other.json()["id"] != first.json()["id"]
    assert different.headers["x-cache"] == "miss"
    assert no_cache.headers["x-cache"] == "bypass"
    assert len(state.chat_bodies) == 4  # the hit never reached the backend
    assert health["redis"] == "ok"
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{redis_prefix}:cache:*"))
    assert len(keys) == 3
    assert all(0 < client.ttl(k) <= 120 for k in keys)


# --- streaming --------------------------------------------------------------------------


def test_streaming_chunks_arrive_in_order_and_incrementally(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    state.chunk_delay_s = 0.05
    contents: list[str] = []
    arrivals: list[float] = []
    events: list[str] = []
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url, timeout=30) as http:
        with http.stream(
            "POST",
            "/v1/chat/completions",
            json=_chat("stream please", stream=True),
            headers=_auth(),
        ) as resp:
            assert resp.status_code == 200
            assert resp.headers["content-type"].startswith("text/event-stream")
            for line in resp.iter_lines():
                if not line.startswith("data: "):
                    continue
                data = line.removeprefix("data: ")
                events.append(data)
                if data == "[DONE]":
                    continue
                chunk = json.loads(data)
                assert "error" not in chunk, chunk
                for choice in chunk.get("choices", []):
                    text = (choice.get("delta") or {}).get("content")
                    if text:
                        contents.append(text)
                        arrivals.append(time.monotonic())
        metrics = http.get("/metrics").text
    assert contents == STREAM_TOKENS
    assert events[-1] == "[DONE]"
    assert not any('"usage"' in e for e in events)  # the client did not ask for usage
    # The backend paces chunks 50 ms apart; a buffered response would arrive all at once.
    assert arrivals[-1] - arrivals[0] >= 0.15
    assert 'studio_gateway_tokens_total{kind="completion",model="reasoning"} 8.0' in metrics


def test_a_stream_that_breaks_mid_way_ends_with_an_error_event(
    routing_file: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    state.break_stream_after = 3
    state.chunk_delay_s = 0.0
    with _gateway(routing_file) as gw, httpx.Client(base_url=gw.url, timeout=30) as http:
        with http.stream(
            "POST", "/v1/chat/completions", json=_chat(stream=True), headers=_auth()
        ) as resp:
            assert resp.status_code == 200
            events = [
                line.removeprefix("data: ")
                for line in resp.iter_lines()
                if line.startswith("data: ")
            ]
        metrics = http.get("/metrics").text
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    texts = [c["choices"][0]["delta"].get("content") for c in chunks if c.get("choices")]
    assert texts == STREAM_TOKENS[:3]
    assert chunks[-1]["error"]["type"] == "upstream_unavailable"
    assert 'studio_gateway_errors_total{kind="upstream_unavailable"} 1.0' in metrics


# --- secrets in logs --------------------------------------------------------------------


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:
            self.lines.append(str(record.__dict__))


@pytest.mark.redis
def test_canary_secrets_never_appear_in_logs(
    routing_file: Path,
    backend: tuple[Backend, str],
    backend_key: str,
    redis_prefix: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    state, _ = backend
    canary = f"sk-canary-{uuid.uuid4().hex}"
    wrong_canary = f"sk-wrong-canary-{uuid.uuid4().hex}"
    prompt = f"prompt-canary-{uuid.uuid4().hex}"  # a prompt, and the backend's reply quotes it
    capture = _Capture()
    capture.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    names = [
        "",
        "inference",
        "uvicorn",
        "uvicorn.access",
        "uvicorn.error",
        "LiteLLM",
        "LiteLLM Router",
        "LiteLLM Proxy",
        "httpx",
        "httpcore",
    ]
    saved = {}
    for name in names:
        logger = logging.getLogger(name)
        saved[name] = (logger.level, logger.propagate)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(capture)
        logger.propagate = False
    try:
        with (
            _gateway(routing_file, keys=(canary,), rate_limit=5, redis_prefix=redis_prefix) as gw,
            httpx.Client(base_url=gw.url, timeout=30) as http,
        ):
            for _ in range(2):  # a miss, then a cache hit
                sent = http.post("/v1/chat/completions", json=_chat(prompt), headers=_auth(canary))
                assert sent.status_code == 200
                assert prompt in sent.text  # the completion quotes it
            with http.stream(
                "POST",
                "/v1/chat/completions",
                json=_chat(prompt, stream=True),
                headers=_auth(canary),
            ) as resp:
                resp.read()
            assert http.get("/v1/models", headers=_auth(wrong_canary)).status_code == 401
            state.fail_message = f"backend cannot do {prompt}"  # error bodies quote prompts
            for status, answered in ((500, 502), (400, 400)):
                state.fail_status = status
                failed = http.post(
                    "/v1/chat/completions", json=_chat(prompt + "!"), headers=_auth(canary)
                )
                assert failed.status_code == answered
                assert prompt not in failed.text  # nor does the client get the backend's text
                assert failed.json()["error"]["request_id"] == failed.headers["x-request-id"]
            state.fail_status = None
            for _ in range(3):
                http.get("/v1/models", headers=_auth(canary))  # runs into the limit
    finally:
        for name in names:
            logger = logging.getLogger(name)
            logger.removeHandler(capture)
            logger.setLevel(saved[name][0])
            logger.propagate = saved[name][1]
    out, err = capfd.readouterr()  # litellm also prints some debug lines to stdout
    text = "\n".join([*capture.lines, out, err])
    assert key_id(canary) in text  # the capture saw the gateway's request log lines
    assert any(line.startswith("LiteLLM ") for line in capture.lines)  # and litellm's debug
    assert "rate limit reached" in text
    assert "text withheld" in text  # litellm logged, without its text
    for secret in (canary, wrong_canary, backend_key, prompt):
        assert secret not in text
        assert secret[-16:] not in text  # not even a tail of it


# --- metrics ----------------------------------------------------------------------------


@pytest.mark.redis
def test_metrics_expose_requests_latency_tokens_cache_and_errors(
    routing_file: Path, backend_key: str, redis_prefix: str
) -> None:
    with (
        _gateway(routing_file, redis_prefix=redis_prefix, rate_limit=4) as gw,
        httpx.Client(base_url=gw.url) as http,
    ):
        http.post("/v1/chat/completions", json=_chat("m"), headers=_auth())
        http.post("/v1/chat/completions", json=_chat("m"), headers=_auth())
        http.get("/v1/models")
        http.post("/v1/chat/completions", json={**_chat(), "model": "nope"}, headers=_auth())
        http.get("/v1/models", headers=_auth())
        http.get("/v1/models", headers=_auth())  # 5th request of GOOD_KEY: limited
        text = http.get("/metrics").text
    assert 'studio_gateway_requests_total{model="reasoning",route="chat",status="200"} 2.0' in text
    assert 'studio_gateway_cache_total{result="hit",route="chat"} 1.0' in text
    assert 'studio_gateway_cache_total{result="miss",route="chat"} 1.0' in text
    assert 'studio_gateway_tokens_total{kind="prompt",model="reasoning"} 11.0' in text
    assert 'studio_gateway_tokens_total{kind="completion",model="reasoning"} 7.0' in text
    assert 'studio_gateway_errors_total{kind="unauthorized"} 1.0' in text
    assert 'studio_gateway_errors_total{kind="model_not_found"} 1.0' in text
    assert 'studio_gateway_errors_total{kind="rate_limited"} 1.0' in text
    assert (
        'studio_gateway_request_latency_seconds_count{model="reasoning",route="chat"} 2.0' in text
    )


# --- keys -------------------------------------------------------------------------------


def test_keys_come_from_env_and_file_and_are_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match="no keys"):
        load_keys(Settings())
    keys_file = tmp_path / "keys"
    pad = "-0123456789abcdefghijkl"
    keys_file.write_text(
        f"# team keys\nsk-file-1{pad}\n\n  sk-file-2{pad}  \nsk-env-1{pad}\n", encoding="utf-8"
    )
    monkeypatch.setenv("STUDIO_GATEWAY_KEYS", f"sk-env-1{pad}, sk-env-2{pad},")
    monkeypatch.setenv("STUDIO_GATEWAY_KEYS_FILE", str(keys_file))
    settings = Settings()
    assert load_keys(settings) == tuple(
        f"{k}{pad}" for k in ("sk-env-1", "sk-env-2", "sk-file-1", "sk-file-2")
    )
    assert "sk-env-1" not in repr(settings) and "sk-env-1" not in repr(
        GatewayConfig.from_settings(settings)
    )
    monkeypatch.setenv("STUDIO_GATEWAY_KEYS", "key-a")  # weak: refused at start-up
    with pytest.raises(ConfigError, match="shorter than 24") as weak:
        load_keys(Settings())
    assert "key-a" not in str(weak.value)
    monkeypatch.setenv("STUDIO_GATEWAY_KEYS_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="unreadable"):
        load_keys(Settings())


# --- the CLI ----------------------------------------------------------------------------


def test_studio_gateway_serves_the_routing_file_and_refuses_to_run_without_keys(
    routing_file: Path, backend_key: str
) -> None:
    import subprocess
    import sys

    port = _free_port()
    env = {
        **os.environ,
        "STUDIO_ROUTING_FILE": str(routing_file),
        "STUDIO_PROFILE": "gw",
        "STUDIO_REDIS_URL": "",
    }
    cmd = [sys.executable, "-c", "from studio.cli import main; main()", "gateway"]
    no_keys = subprocess.run(
        [*cmd, "--port", str(port)], env=env, capture_output=True, text=True, timeout=120
    )
    assert no_keys.returncode == 1
    assert no_keys.stderr.strip().splitlines()[-1].startswith("error: the gateway has no keys")
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--log-level", "debug"],
        env={**env, "STUDIO_GATEWAY_KEYS": f"{GOOD_KEY},{OTHER_KEY}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            while True:
                try:
                    health = http.get("/health")
                    break
                except httpx.TransportError:
                    assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                    assert time.monotonic() < deadline, "gateway did not start"
                    time.sleep(0.2)
            assert health.json()["models"] == ["reasoning", "vision", "coder", "embedding"]
            resp = http.post("/v1/chat/completions", json=_chat("via cli"), headers=_auth())
            assert resp.status_code == 200, resp.text
            assert resp.json()["choices"][0]["message"]["content"].endswith("via cli")
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=20)
    assert "POST /v1/chat/completions" in output  # uvicorn's access log was on
    assert f"key={key_id(GOOD_KEY)}" in output  # and the gateway's own request log
    assert GOOD_KEY not in output and OTHER_KEY not in output and backend_key not in output


# --- active health probe ----------------------------------------------------------------


def _await_health(http: httpx.Client, expected: dict[str, str], timeout_s: float = 30.0) -> None:
    """Wait until the gateway's probe state (what its router routes by) is ``expected``."""
    deadline = time.monotonic() + timeout_s
    seen: dict[str, str] = {}
    while time.monotonic() < deadline:
        seen = http.get("/health").json()["deployments"]
        if seen == expected:
            return
        time.sleep(0.05)
    pytest.fail(f"gateway health never became {expected}: last {seen}")


@pytest.mark.redis
def test_probe_routes_around_an_unhealthy_deployment_and_back(
    tmp_path: Path, backend: tuple[Backend, str], backend_key: str, redis_prefix: str
) -> None:
    """A deployment whose /health fails gets no traffic; its fallback answers, uncached."""
    primary, primary_url = backend
    primary.chat_bodies.clear()
    primary.healthy = False
    spare = Backend()

    try:
        with _Server(_backend_app(spare)) as spare_server:
            doc = {
                "profiles": {
                    "probe": {
                        "model_list": [
                            _entry("reasoning", primary_url),
                            _entry("spare", spare_server.url),
                        ],
                        "fallbacks": [{"reasoning": ["spare"]}],
                        "router_settings": {"num_retries": 0, "cooldown_time": 0},
                    }
                }
            }
            path = tmp_path / "probe.yaml"
            path.write_text(yaml.safe_dump(doc), encoding="utf-8")
            with (
                _gateway(
                    path, profile="probe", health_interval_s=0.2, redis_prefix=redis_prefix
                ) as gw,
                httpx.Client(base_url=gw.url) as http,
            ):
                health = http.get("/health").json()["deployments"]
                routed = http.post("/v1/chat/completions", json=_chat("a"), headers=_auth())
                assert routed.status_code == 200, routed.text
                assert routed.headers["x-served-by"] == "spare"
                assert routed.headers["x-cache"] == "bypass"  # a fallback's answer is not kept
                assert health == {"fake-reasoning": "down", "fake-spare": "up"}
                assert primary.chat_bodies == []  # never sent to the unhealthy deployment
                assert [b["model"] for b in spare.chat_bodies] == ["fake-spare"]
                spare.healthy = False
                _await_health(http, {"fake-reasoning": "down", "fake-spare": "down"})
                down = http.post("/v1/chat/completions", json=_chat("b"), headers=_auth())
                assert down.status_code == 503
                assert "no healthy deployment" in down.json()["error"]["message"]
                primary.healthy = True
                _await_health(http, {"fake-reasoning": "up", "fake-spare": "down"})
                back = http.post("/v1/chat/completions", json=_chat("a"), headers=_auth())
                again = http.post("/v1/chat/completions", json=_chat("a"), headers=_auth())
                metrics = http.get("/metrics").text
            assert back.status_code == 200
            assert (back.headers["x-served-by"], back.headers["x-cache"]) == ("reasoning", "miss")
            assert again.headers["x-cache"] == "hit"
            assert [b["model"] for b in primary.chat_bodies] == ["fake-reasoning"]
            assert 'studio_gateway_deployment_up{deployment="fake-reasoning"} 1.0' in metrics
            assert 'studio_gateway_deployment_up{deployment="fake-spare"} 0.0' in metrics
    finally:
        primary.healthy = True


def test_a_text_only_fallback_gets_notes_instead_of_images(
    tmp_path: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    eyes, eyes_url = backend
    eyes.chat_bodies.clear()
    eyes.healthy = False
    cpu = Backend()

    image = {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/AA=="}}
    body = {
        "model": "vision",
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": [{"type": "text", "text": "what is this?"}, image]},
        ],
    }
    try:
        with _Server(_backend_app(cpu)) as cpu_server:
            doc = {
                "profiles": {
                    "eyes": {
                        "model_list": [
                            _entry("vision", eyes_url, supports_vision=True),
                            _entry("cpu", cpu_server.url, supports_vision=False),
                        ],
                        "fallbacks": [{"vision": ["cpu"]}],
                        "router_settings": {"num_retries": 0, "cooldown_time": 0},
                    }
                }
            }
            path = tmp_path / "eyes.yaml"
            path.write_text(yaml.safe_dump(doc), encoding="utf-8")
            with (
                _gateway(path, profile="eyes", health_interval_s=0.2) as gw,
                httpx.Client(base_url=gw.url) as http,
            ):
                answer = http.post("/v1/chat/completions", json=body, headers=_auth())
    finally:
        eyes.healthy = True

    assert answer.status_code == 200, answer.text
    assert answer.headers["x-served-by"] == "cpu"
    assert eyes.chat_bodies == []
    [sent] = cpu.chat_bodies
    assert sent["messages"][0] == {"role": "system", "content": "be brief"}
    parts = sent["messages"][1]["content"]
    assert [p["type"] for p in parts] == ["text", "text"]
    assert "image omitted" in parts[1]["text"] and "base64" not in json.dumps(sent)
