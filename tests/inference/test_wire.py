"""The wire client against the scripted fake OpenAI server: body, key, and error classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.routing import Deployment, load_routing
from inference.wire import ChatWire, WireError, on_tokens, resolve_key
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


# --- streaming for progress (issue 19) ---------------------------------------------------

_ANSWER = '{"goal": "a short teaser", "mood": "bright and playful"}'


def test_a_listener_gets_the_answer_streamed_with_the_same_reply(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.default(Reply(_ANSWER, tokens_in=40, tokens_out=17))
    deployment = _deployment(tmp_path, fake_openai, stream_usage=True)
    wire = ChatWire()
    plain = wire.chat(deployment, {"messages": MESSAGES, "max_tokens": 64}, timeout=5)
    told: list[int] = []
    with on_tokens(told.append):
        streamed = wire.chat(deployment, {"messages": MESSAGES, "max_tokens": 64}, timeout=5)

    assert streamed == plain
    assert (streamed.text, streamed.prompt_tokens, streamed.completion_tokens) == (_ANSWER, 40, 17)
    assert sum(told) == len(_ANSWER.split(" ")) == 8
    first, second = fake_openai.requests
    assert "stream" not in first
    assert second == {
        **first,
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def test_no_streaming_without_a_listener_or_where_the_server_sends_no_usage(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.default(Reply(_ANSWER))
    quiet = _deployment(tmp_path, fake_openai, stream_usage=True)
    cpu_like = _deployment(tmp_path, fake_openai)  # not vLLM, no stream_usage: the default
    wire = ChatWire()
    wire.chat(quiet, {"messages": MESSAGES}, timeout=5)
    with on_tokens(lambda pieces: None):
        wire.chat(cpu_like, {"messages": MESSAGES}, timeout=5)
    assert [r.get("stream") for r in fake_openai.requests] == [None, None]


def test_a_stream_without_usage_is_asked_again_unstreamed_and_never_streamed_again(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply(_ANSWER, tokens_in=40, tokens_out=17, stream_usage=False))
    fake_openai.default(Reply(_ANSWER, tokens_in=40, tokens_out=17))
    deployment = _deployment(tmp_path, fake_openai, stream_usage=True)
    wire = ChatWire()
    with on_tokens(lambda pieces: None):
        first = wire.chat(deployment, {"messages": MESSAGES}, timeout=5)
        second = wire.chat(deployment, {"messages": MESSAGES}, timeout=5)
    assert (first.prompt_tokens, first.completion_tokens) == (40, 17)
    assert (second.prompt_tokens, second.completion_tokens) == (40, 17)
    assert [r.get("stream") for r in fake_openai.requests] == [True, None, None]


def test_a_stream_cut_off_mid_answer_is_a_transient_error(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply(_ANSWER, cut_after=3), Fail(503, message="overloaded"))
    deployment = _deployment(tmp_path, fake_openai, stream_usage=True)
    wire = ChatWire()
    with on_tokens(lambda pieces: None):
        with pytest.raises(WireError) as cut:
            wire.chat(deployment, {"messages": MESSAGES}, timeout=5)
        with pytest.raises(WireError) as refused:
            wire.chat(deployment, {"messages": MESSAGES}, timeout=5)
    assert cut.value.transient and cut.value.kind in ("MalformedResponse", "RemoteProtocolError")
    assert (refused.value.status, refused.value.transient) == (503, True)
    assert str(refused.value) == "HTTP 503: overloaded"


def test_a_trickling_stream_still_ends_within_the_timeout(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    # Each chunk comes well within the read timeout; the whole answer does not.
    fake_openai.script(Reply(_ANSWER, chunk_delay_s=0.15), Hang(2))
    deployment = _deployment(tmp_path, fake_openai, stream_usage=True)
    wire = ChatWire()
    with on_tokens(lambda pieces: None):
        with pytest.raises(WireError) as trickle:
            wire.chat(deployment, {"messages": MESSAGES}, timeout=0.6)
        with pytest.raises(WireError) as silent:
            wire.chat(deployment, {"messages": MESSAGES}, timeout=0.3)
    assert (trickle.value.kind, trickle.value.transient) == ("Timeout", True)
    assert str(trickle.value) == "Timeout: no answer in 0.6 s"
    assert (silent.value.kind, silent.value.transient) == ("Timeout", True)


def test_every_client_of_the_tier_shares_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx loads the CA bundle for each new client (~35-65 ms of CPU), even for plain HTTP."""
    import ssl

    from inference import _tls
    from inference.health import _prober

    built: list[object] = []
    real = ssl.create_default_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        built.append(args or kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    _tls.tls_context.cache_clear()
    _prober.cache_clear()
    wires = [ChatWire(), ChatWire()]  # e.g. two job runs' clients
    clients = [w._client(f"http://127.0.0.1:{port}/v1") for w in wires for port in (9, 10)]
    clients.append(_prober())
    try:
        assert len(built) == 1
    finally:
        for client in clients:
            client.close()
        _prober.cache_clear()


def test_an_https_server_is_verified_against_the_ca_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vLLM server behind a private CA: trusted through SSL_CERT_FILE, refused without it."""
    import shutil
    import ssl
    import subprocess

    from inference import _tls

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)
    fake = FakeOpenAI("private-ca", tls=served).start()
    try:
        fake.script(Reply("over tls"), Reply("never"))
        deployment = _deployment(tmp_path, fake)
        assert deployment.api_base.startswith("https://")

        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        _tls.tls_context.cache_clear()
        assert ChatWire().chat(deployment, {"messages": MESSAGES}, timeout=5).text == "over tls"

        monkeypatch.delenv("SSL_CERT_FILE")
        _tls.tls_context.cache_clear()
        with pytest.raises(WireError):
            ChatWire().chat(deployment, {"messages": MESSAGES}, timeout=5)
        assert fake.chat_count == 1  # the unverified server never got the second request
    finally:
        fake.kill()
        _tls.tls_context.cache_clear()
