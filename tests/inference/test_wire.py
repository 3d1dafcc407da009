"""The wire client against the scripted fake OpenAI server: body, key, and error classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.routing import Deployment, load_routing
from inference.wire import ChatWire, WireError, resolve_key
from tests.fakes.openai_server import Fail, FakeOpenAI, Hang, Malformed, Reply, write_routing

MESSAGES = [{"role": "user", "content": "hi"}]


def _deployment(tmp_path: Path, fake: FakeOpenAI, **kwargs: object) -> Deployment:
    path = write_routing(tmp_path / "routing.yaml", {"reasoning": [fake]}, **kwargs)  # type: ignore[arg-type]
    return load_routing("fake", path).deployments("reasoning")[0]


def test_posts_the_body_with_the_provider_prefix_dropped(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply("hello", tokens_in=5, tokens_out=2))
    deployment = _deployment(tmp_path, fake_openai)

    reply = ChatWire().chat(deployment, {"messages": MESSAGES, "max_tokens": 9}, timeout=5)

    assert (reply.text, reply.prompt_tokens, reply.completion_tokens) == ("hello", 5, 2)
    assert reply.finish_reason == "stop"
    [sent] = fake_openai.requests
    assert sent == {"model": fake_openai.name, "messages": MESSAGES, "max_tokens": 9}
    assert fake_openai.authorizations == ["Bearer fake-key"]


def test_key_reference_is_read_from_the_environment_per_call(
    tmp_path: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = _deployment(tmp_path, fake_openai, api_key="os.environ/WIRE_TEST_KEY")
    wire = ChatWire()
    assert "WIRE_TEST_KEY" not in repr(deployment) and deployment.api_key is not None

    monkeypatch.setenv("WIRE_TEST_KEY", "sk-first")
    wire.chat(deployment, {"messages": MESSAGES}, timeout=5)
    monkeypatch.setenv("WIRE_TEST_KEY", "sk-rotated")
    wire.chat(deployment, {"messages": MESSAGES}, timeout=5)
    monkeypatch.delenv("WIRE_TEST_KEY")
    wire.chat(deployment, {"messages": MESSAGES}, timeout=5)

    assert fake_openai.authorizations == ["Bearer sk-first", "Bearer sk-rotated", None]


def test_resolve_key() -> None:
    assert resolve_key(None) is None
    assert resolve_key("literal") == "literal"
    assert resolve_key("os.environ/SURELY_NOT_SET_ANYWHERE") is None


@pytest.mark.parametrize(
    ("status", "transient"),
    [(400, False), (401, False), (404, False), (408, True), (429, True), (500, True), (503, True)],
)
def test_http_errors_are_classified(
    tmp_path: Path, fake_openai: FakeOpenAI, status: int, transient: bool
) -> None:
    fake_openai.script(Fail(status, message="nope"))
    deployment = _deployment(tmp_path, fake_openai)

    with pytest.raises(WireError) as caught:
        ChatWire().chat(deployment, {"messages": MESSAGES}, timeout=5)

    assert (caught.value.status, caught.value.transient) == (status, transient)
    assert str(caught.value) == f"HTTP {status}: nope"


def test_malformed_body_timeout_and_refused_connection_are_transient(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Malformed(), Hang(2))
    deployment = _deployment(tmp_path, fake_openai)
    wire = ChatWire()

    with pytest.raises(WireError) as malformed:
        wire.chat(deployment, {"messages": MESSAGES}, timeout=5)
    with pytest.raises(WireError) as timeout:
        wire.chat(deployment, {"messages": MESSAGES}, timeout=0.3)
    fake_openai.kill()
    with pytest.raises(WireError) as refused:
        wire.chat(deployment, {"messages": MESSAGES}, timeout=5)

    assert (malformed.value.kind, malformed.value.transient) == ("MalformedResponse", True)
    assert (timeout.value.kind, timeout.value.transient) == ("Timeout", True)
    assert refused.value.transient and refused.value.status is None
