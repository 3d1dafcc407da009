"""Issue 13: the official ``openai`` SDK against the gateway, on the scripted backend and on
the real CPU tier.

``response_format`` json_schema works whatever the deployment takes (translated per
``structured_output``); a stream is a 200 only once it holds output; what cannot be served in
time is a 503 with ``Retry-After``, never an empty success; the gateway's errors reach the SDK
as its typed exceptions.
"""

# ruff: noqa: F811  (the fixtures imported from test_gateway are parameters here)
from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from pydantic import BaseModel

from core.settings import Settings
from inference.gateway import GatewayConfig, create_app
from inference.routing import load_routing
from tests.conftest import QWEN_NEVER_ENDS
from tests.inference.test_gateway import (  # noqa: F401  (fixtures)
    GOOD_KEY,
    OTHER_KEY,
    STREAM_TOKENS,
    Backend,
    _entry,
    _Server,
    backend,
    backend_key,
)

openai = pytest.importorskip("openai")


class Pick(BaseModel):
    """What the structured requests ask for."""

    title: str
    mood: str
    scenes: list[int]


_PICK_SCHEMA = {
    "name": "Pick",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "mood": {"type": "string"},
            "scenes": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["title", "mood", "scenes"],
        "additionalProperties": False,
    },
}
_PICK_JSON = json.dumps({"title": "Night chase", "mood": "tense", "scenes": [1, 3]})


@pytest.fixture
def sdk_routing(tmp_path: Path, backend: tuple[Backend, str]) -> Path:
    """``reasoning`` takes json_schema (vLLM); ``coder`` takes json_object + schema (llama.cpp)."""
    state, url = backend
    for name, value in vars(Backend()).items():
        setattr(state, name, value)
    doc = {
        "profiles": {
            "sdk": {
                "model_list": [
                    _entry("reasoning", url, supports_vision=False),
                    _entry(
                        "coder",
                        url,
                        supports_vision=False,
                        structured_output="json_object_schema",
                        max_output_tokens=256,
                        cancel_needs_stream=True,  # as the CPU tier: streamed from always
                    ),
                ],
                "fallbacks": [],
                "router_settings": {"num_retries": 0, "allowed_fails": 100, "cooldown_time": 2},
            }
        }
    }
    path = tmp_path / "routing.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def _gateway(routing: Path, profile: str = "sdk", **extra: Any) -> _Server:
    config = GatewayConfig(
        keys=(GOOD_KEY, OTHER_KEY),
        rate_limit=extra.pop("rate_limit", 1000),
        health_interval_s=0,
        **extra,
    )
    return _Server(create_app(Settings(), config=config, routing=load_routing(profile, routing)))


def _sdk(gw: _Server, key: str = GOOD_KEY, timeout: float = 60) -> Any:
    return openai.OpenAI(base_url=f"{gw.url}/v1", api_key=key, max_retries=0, timeout=timeout)


# --- structured output ------------------------------------------------------------------


def test_json_schema_is_forwarded_as_is_or_translated_per_deployment(
    sdk_routing: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    state.reply_text = _PICK_JSON
    fmt = {"type": "json_schema", "json_schema": _PICK_SCHEMA}
    messages = [{"role": "user", "content": "Pick the scenes."}]
    with _gateway(sdk_routing) as gw:
        sdk = _sdk(gw)
        vllm_like = sdk.chat.completions.create(
            model="reasoning", messages=messages, response_format=fmt, max_tokens=100
        )
        cpp_like = sdk.chat.completions.create(
            model="coder", messages=messages, response_format=fmt, max_tokens=100
        )
        parsed = sdk.chat.completions.parse(model="coder", messages=messages, response_format=Pick)
    assert Pick.model_validate_json(vllm_like.choices[0].message.content or "").scenes == [1, 3]
    assert Pick.model_validate_json(cpp_like.choices[0].message.content or "").mood == "tense"
    assert parsed.choices[0].message.parsed == Pick(
        title="Night chase", mood="tense", scenes=[1, 3]
    )
    sent = [b["response_format"] for b in state.chat_bodies]
    assert sent[0] == fmt  # json_schema deployments get the OpenAI form unchanged
    for translated in sent[1:]:
        # llama.cpp's form: json_object plus the schema, strings and lists bounded.
        assert translated["type"] == "json_object" and "json_schema" not in translated
        props = translated["schema"]["properties"]
        assert set(props) == {"title", "mood", "scenes"}
        assert props["title"]["maxLength"] > 0 and props["scenes"]["maxItems"] == 3


def test_a_malformed_response_format_is_a_400_naming_the_field(
    sdk_routing: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    messages = [{"role": "user", "content": "x"}]
    with _gateway(sdk_routing) as gw:
        sdk = _sdk(gw)
        with pytest.raises(openai.BadRequestError) as missing:
            sdk.chat.completions.create(
                model="coder", messages=messages, response_format={"type": "json_schema"}
            )
        with pytest.raises(openai.BadRequestError) as unknown:
            sdk.chat.completions.create(
                model="coder", messages=messages, response_format={"type": "xml"}
            )
    assert "response_format.json_schema" in missing.value.message
    assert "response_format.type" in unknown.value.message
    assert state.chat_bodies == []


# --- never an empty success -------------------------------------------------------------


def test_streams_arrive_through_the_sdk_with_usage(
    sdk_routing: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    state.chunk_delay_s = 0.0
    with _gateway(sdk_routing) as gw:
        stream = _sdk(gw).chat.completions.create(
            model="reasoning",
            messages=[{"role": "user", "content": "stream"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
    text = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert text == STREAM_TOKENS
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 13


@pytest.mark.parametrize("stream", [True, False])
def test_an_answer_without_output_is_a_503_with_retry_after_not_a_200(
    sdk_routing: Path, backend: tuple[Backend, str], backend_key: str, stream: bool
) -> None:
    state, _ = backend
    state.empty = True  # a role chunk and a stop: what the busy CPU tier once sent
    with _gateway(sdk_routing) as gw:
        sdk = _sdk(gw)
        with pytest.raises(openai.InternalServerError) as failed:
            result = sdk.chat.completions.create(
                model="reasoning", messages=[{"role": "user", "content": "x"}], stream=stream
            )
            list(result) if stream else None
    assert failed.value.status_code == 503
    assert failed.value.body["code"] == "upstream_empty"  # type: ignore[index]
    assert int(failed.value.response.headers["retry-after"]) >= 1
    assert len(state.chat_bodies) == 1


@pytest.mark.parametrize(("model", "stream"), [("reasoning", True), ("coder", False)])
def test_a_deployment_that_cannot_start_in_time_is_a_prompt_503_and_its_stream_is_closed(
    sdk_routing: Path, backend: tuple[Backend, str], backend_key: str, model: str, stream: bool
) -> None:
    state, _ = backend
    state.first_chunk_delay_s = 8.0  # busy with another job
    with _gateway(sdk_routing, first_token_s=1.0) as gw:
        sdk = _sdk(gw, timeout=30)
        started = time.monotonic()
        with pytest.raises(openai.InternalServerError) as failed:
            result = sdk.chat.completions.create(
                model=model, messages=[{"role": "user", "content": "x"}], stream=stream
            )
            list(result) if stream else None
        waited = time.monotonic() - started
        deadline = time.monotonic() + 5
        while state.streams_closed_early < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert failed.value.status_code == 503
    assert failed.value.body["code"] == "upstream_busy"  # type: ignore[index]
    assert failed.value.response.headers["retry-after"] == "2"  # the routing's cooldown
    assert waited < 5.0, waited  # not the backend's 8 s
    assert state.streams_closed_early == 1  # the gateway hung up: the backend stops


def test_sdk_errors_keep_their_types_status_and_retry_after(
    sdk_routing: Path, backend: tuple[Backend, str], backend_key: str
) -> None:
    state, _ = backend
    messages = [{"role": "user", "content": "x"}]
    with _gateway(sdk_routing, rate_limit=2) as gw:
        with pytest.raises(openai.AuthenticationError):
            _sdk(gw, key="sk-not-a-key-0123456789abcdef").models.list()
        sdk = _sdk(gw)
        assert [m.id for m in sdk.models.list()] == ["reasoning", "coder"]
        with pytest.raises(openai.NotFoundError):
            sdk.chat.completions.create(model="gpt-9", messages=messages)  # the 2nd request
        with pytest.raises(openai.RateLimitError) as limited:
            sdk.chat.completions.create(model="reasoning", messages=messages)
        other = _sdk(gw, key=OTHER_KEY).chat.completions.create(
            model="reasoning", messages=messages
        )
        state.break_stream_after = 3
        state.chunk_delay_s = 0.0
        broken = _sdk(gw, key=OTHER_KEY).chat.completions.create(
            model="reasoning", messages=messages, stream=True
        )
        with pytest.raises(openai.APIError) as mid_stream:
            list(broken)
    assert int(limited.value.response.headers["retry-after"]) >= 1
    assert limited.value.body["code"] == "rate_limited"  # type: ignore[index]
    assert other.choices[0].message.content  # the other key has its own limit
    assert "upstream_unavailable" in str(mid_stream.value.body)


# --- the real CPU tier ------------------------------------------------------------------


def _busy(cpu_tier: str, started: threading.Event, stop: threading.Event) -> None:
    """Hold the CPU tier's one slot with a long stream until ``stop`` is set."""
    long = {
        "model": "qwen2.5-coder-1.5b-instruct",
        "max_tokens": 1000,
        "stream": True,
        "messages": [{"role": "user", "content": "Count from 1 to 1000, one per line."}],
        "logit_bias": QWEN_NEVER_ENDS,  # else a shortened count frees the slot in seconds
    }
    with (
        httpx.Client(timeout=120) as http,
        http.stream("POST", f"{cpu_tier}/chat/completions", json=long) as resp,
    ):
        for _ in resp.iter_lines():
            started.set()
            if stop.is_set():
                return  # closing the stream makes llama-cpp-python stop generating


@pytest.mark.cpu_tier
def test_the_sdk_on_the_embedded_cpu_tier(cpu_tier: str) -> None:
    routing = load_routing("embedded", settings=Settings())
    messages = [
        {"role": "system", "content": "You pick scenes of a film. Answer in JSON."},
        {"role": "user", "content": "A title, a one-word mood and two scene numbers."},
    ]
    started, stop = threading.Event(), threading.Event()

    def gateway(first_token_s: float) -> _Server:
        config = GatewayConfig(keys=(GOOD_KEY,), health_interval_s=0, first_token_s=first_token_s)
        return _Server(create_app(Settings(), config=config, routing=routing))

    with gateway(first_token_s=240) as gw:  # a loaded 2-core host is slow to start an answer
        sdk = _sdk(gw, timeout=300)
        fmt = {"type": "json_schema", "json_schema": _PICK_SCHEMA}
        raw = sdk.chat.completions.create(
            model="reasoning", messages=messages, response_format=fmt, max_tokens=80
        )
        parsed = sdk.chat.completions.parse(
            model="reasoning", messages=messages, response_format=Pick, max_tokens=80
        )
        streamed = "".join(
            c.choices[0].delta.content or ""
            for c in sdk.chat.completions.create(
                model="coder",
                messages=[{"role": "user", "content": "Say hello."}],
                max_tokens=8,
                stream=True,
            )
            if c.choices
        )
    with gateway(first_token_s=5.0) as gw:
        sdk = _sdk(gw, timeout=300)
        busy = threading.Thread(target=_busy, args=(cpu_tier, started, stop), daemon=True)
        busy.start()
        try:
            assert started.wait(120), "the CPU tier never started the long answer"
            t0 = time.monotonic()
            with pytest.raises(openai.InternalServerError) as refused:
                list(
                    sdk.chat.completions.create(
                        model="coder",
                        messages=[{"role": "user", "content": "Say hello."}],
                        max_tokens=8,
                        stream=True,
                    )
                )
            waited = time.monotonic() - t0
        finally:
            stop.set()
            busy.join(60)
    # Before: 502 (llama.cpp's server rejects json_schema). Now valid JSON of the schema.
    assert Pick.model_validate_json(raw.choices[0].message.content or "").title
    assert isinstance(parsed.choices[0].message.parsed, Pick)
    assert streamed.strip()
    assert refused.value.status_code == 503
    assert refused.value.body["code"] == "upstream_busy"  # type: ignore[index]
    assert int(refused.value.response.headers["retry-after"]) >= 1
    assert waited < 30, waited
