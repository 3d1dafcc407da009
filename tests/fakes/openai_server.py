"""A scripted, in-process fake of an OpenAI-compatible chat server, for fault injection.

Each server listens on its own localhost port and answers ``POST /v1/chat/completions``,
``GET /v1/models`` and ``GET /health``. Replies follow a script: a queue of steps consumed
one per chat request, then a default. A step is one of:

* ``Reply(content)``          a normal completion with this text (JSON string or prose)
* ``Reply.json(obj)``         a completion whose content is ``json.dumps(obj)``
* ``Fail(status)``            an HTTP error (500, 503, 429, 400, 401 ...)
* ``Hang(seconds)``           wait before answering (drives client timeouts)
* ``Gate(event)``             hold the answer until a test sets ``event`` (forces overlaps)
* ``Signal(event)``           set ``event``, then answer (a second request opens a Gate)
* ``Malformed()``             a 200 whose body is not JSON at all
* ``Die()``                   drop the connection and stop listening (a killed server)
* ``Cycle(steps)``            the next of ``steps`` in turn, round and round (a default that
                              fails a fixed share of calls, deterministically)

A server made with ``capacity=N`` serves at most N chat requests at once, like a saturated
model server: one more in flight gets a 503 and is counted in ``rejected``. Whatever the
capacity, ``in_flight`` and ``max_in_flight`` count chat requests being served, and
``service_s`` makes every successful reply take that long (the model's work per request).

A request with ``"stream": true`` gets a ``Reply`` as server-sent events: a role-only
opening chunk, then one word per chunk, ending with the usage chunk (unless
``Reply(stream_usage=False)``, like llama-cpp-python) and ``[DONE]``; ``Reply(cut_after=n)``
drops the connection after n chunks, ``Reply(chunk_delay_s=s)`` waits before each chunk.

Every request body is kept in ``requests`` so tests can assert what the client sent
(messages, ``response_format``, image parts...). ``kill()`` / ``revive()`` stop and
restart the listener on the same port, for cooldown-recovery tests.

Usage in tests goes through the ``fake_openai`` fixture in ``tests/conftest.py``; other
areas can point an ``InferenceClient`` at a fake with :func:`write_routing`.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "Cycle",
    "Die",
    "Fail",
    "FakeOpenAI",
    "Gate",
    "Hang",
    "Malformed",
    "Reply",
    "Signal",
    "Step",
    "write_routing",
]


@dataclass(frozen=True)
class Reply:
    """A successful chat completion with ``content`` as the assistant message."""

    content: str
    tokens_in: int = 11
    tokens_out: int = 7
    stream_usage: bool = True
    cut_after: int | None = None
    chunk_delay_s: float = 0.0

    @classmethod
    def json(cls, obj: Any) -> Reply:
        """A reply whose content is the JSON encoding of ``obj``."""
        return cls(json.dumps(obj))


@dataclass(frozen=True)
class Fail:
    """An HTTP error status with an OpenAI-style error body."""

    status: int = 500
    message: str = "scripted failure"


@dataclass(frozen=True)
class Hang:
    """Sleep ``seconds`` before replying with ``then`` (a default reply if None)."""

    seconds: float
    then: Reply | None = None


@dataclass(frozen=True, eq=False)
class Gate:
    """Hold the reply until ``opens`` is set, then answer ``then`` (a default reply if None).

    Unlike ``Hang`` it waits for an event, not a time, so a test can hold a step open until
    the concurrent work it wants to overlap has provably arrived. After ``timeout_s`` it
    answers anyway and ``timed_out`` is set, so the test can fail with a clear reason.
    """

    opens: threading.Event
    timeout_s: float = 120.0
    then: Reply | None = None
    timed_out: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True, eq=False)
class Signal:
    """Set ``event`` on arrival, then answer ``then`` (a default reply if None)."""

    event: threading.Event
    then: Reply | None = None


@dataclass(frozen=True)
class Malformed:
    """A 200 response whose body is not JSON."""

    body: str = "<html>this is not json"


@dataclass(frozen=True)
class Die:
    """Close the connection without answering and stop the listener."""


@dataclass(eq=False)
class Cycle:
    """Answer with ``steps`` in turn, starting over after the last (thread-safe)."""

    steps: tuple[Reply | Fail | Hang | Malformed, ...]
    _next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def taken(self) -> int:
        """How many requests this cycle has answered."""
        with self._lock:
            return self._next

    def take(self) -> Reply | Fail | Hang | Malformed:
        """The step for this request."""
        with self._lock:
            step = self.steps[self._next % len(self.steps)]
            self._next += 1
            return step


Step = Reply | Fail | Hang | Gate | Signal | Malformed | Die | Cycle


@dataclass
class _State:
    script: deque[Step] = field(default_factory=deque)
    default: Step = field(default_factory=lambda: Reply("ok"))
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    connections: set[socket.socket] = field(default_factory=set)
    healthy: bool = True
    health_delay: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    rejected: int = 0
    spans: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeOpenAI:
    """One scripted server. Start with ``start()``; always ``stop()`` (the fixture does)."""

    def __init__(
        self,
        name: str = "fake",
        port: int | None = None,
        *,
        capacity: int | None = None,
        service_s: float = 0.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.name = name
        self.port = port or _free_port()
        self.capacity = capacity
        self.service_s = service_s
        self.tls = tls  # a server-side context: HTTPS with its certificate
        self._state = _State()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._release = threading.Event()

    # --- lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL including ``/v1`` (what litellm wants as ``api_base``)."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}/v1"

    @property
    def running(self) -> bool:
        """True while the listener accepts connections."""
        return self._server is not None

    def start(self) -> FakeOpenAI:
        """Listen on ``port`` in a daemon thread."""
        if self._server is not None:
            return self
        self._release.clear()
        handler = _make_handler(self)
        server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        server.daemon_threads = True
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), daemon=True, name=self.name
        )
        self._thread.start()
        return self

    def kill(self) -> None:
        """Stop listening (connections are refused) and release hanging requests."""
        server, self._server = self._server, None
        self._release.set()
        if server is not None:
            server.shutdown()
            server.server_close()
        # Keep-alive connections outlive the listener; a killed server must drop them too.
        with self._state.lock:
            connections = list(self._state.connections)
            self._state.connections.clear()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def revive(self) -> FakeOpenAI:
        """Listen again on the same port, with the same script and request log."""
        return self.start()

    stop = kill

    # --- scripting -----------------------------------------------------------------------
    def script(self, *steps: Step | Iterable[Step]) -> FakeOpenAI:
        """Queue steps (consumed one per chat request, in order)."""
        with self._state.lock:
            for step in steps:
                if isinstance(step, Reply | Fail | Hang | Gate | Signal | Malformed | Die | Cycle):
                    self._state.script.append(step)
                else:
                    self._state.script.extend(step)
        return self

    def default(self, step: Step) -> FakeOpenAI:
        """Set what every request gets once the script is used up."""
        with self._state.lock:
            self._state.default = step
        return self

    def set_healthy(self, healthy: bool, delay: float = 0.0) -> None:
        """Make ``/health`` answer 503 (False) or 200 (True), after ``delay`` seconds."""
        self._state.healthy = healthy
        self._state.health_delay = delay

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Bodies of chat requests received, in arrival order."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def authorizations(self) -> list[str | None]:
        """``Authorization`` header of each chat request (None when absent), in order."""
        with self._state.lock:
            return list(self._state.authorizations)

    @property
    def chat_count(self) -> int:
        """Number of chat requests received."""
        with self._state.lock:
            return len(self._state.requests)

    @property
    def in_flight(self) -> int:
        """Chat requests being served now."""
        with self._state.lock:
            return self._state.in_flight

    @property
    def max_in_flight(self) -> int:
        """The most chat requests ever served at once."""
        with self._state.lock:
            return self._state.max_in_flight

    @property
    def rejected(self) -> int:
        """Chat requests turned away with a 503 because the server was at ``capacity``."""
        with self._state.lock:
            return self._state.rejected

    def _next_step(self, body: dict[str, Any]) -> Step:
        with self._state.lock:
            self._state.requests.append(body)
            step = self._state.script.popleft() if self._state.script else self._state.default
        return step.take() if isinstance(step, Cycle) else step

    @property
    def spans(self) -> list[tuple[float, float]]:
        """``(arrived, answered)`` wall-clock times of every chat request served."""
        with self._state.lock:
            return list(self._state.spans)

    def _enter(self) -> bool:
        """Count a request in; False (and counted as rejected) when over capacity."""
        with self._state.lock:
            if self.capacity is not None and self._state.in_flight >= self.capacity:
                self._state.rejected += 1
                return False
            self._state.in_flight += 1
            self._state.max_in_flight = max(self._state.max_in_flight, self._state.in_flight)
            return True

    def _leave(self, arrived: float) -> None:
        with self._state.lock:
            self._state.in_flight -= 1
            self._state.spans.append((arrived, time.time()))


def _completion(model: str, reply: Reply) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.tokens_in,
            "completion_tokens": reply.tokens_out,
            "total_tokens": reply.tokens_in + reply.tokens_out,
        },
    }


def _make_handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY, as real servers (uvicorn) set it: the headers and the body are two
        # writes, and with Nagle the body waits for the client's delayed ACK (~40 ms a reply).
        disable_nagle_algorithm = True

        def setup(self) -> None:
            super().setup()
            with fake._state.lock:
                fake._state.connections.add(self.connection)

        def finish(self) -> None:
            with fake._state.lock:
                fake._state.connections.discard(self.connection)
            with contextlib.suppress(OSError):  # the peer (or kill()) already closed it
                super().finish()

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep pytest output clean

        def _send(self, status: int, payload: Any, raw: str | None = None) -> None:
            data = (raw if raw is not None else json.dumps(payload)).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                self.close_connection = True  # the client gave up (timeout) or we were killed

        def _stream(self, model: str, reply: Reply) -> None:
            full = _completion(model, reply)
            words = reply.content.split(" ")
            pieces = [w if i == 0 else " " + w for i, w in enumerate(words)]
            base = {k: full[k] for k in ("id", "created", "model")}
            opening = {"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}
            chunks = [{**base, "object": "chat.completion.chunk", "choices": [opening]}]
            chunks += [
                {
                    **base,
                    "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                }
                for piece in pieces
            ]
            chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            if reply.stream_usage:
                chunks.append({**base, "choices": [], "usage": full["usage"]})
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for number, chunk in enumerate([*chunks, "[DONE]"]):
                    if reply.cut_after is not None and number >= reply.cut_after:
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    time.sleep(reply.chunk_delay_s)
                    text = chunk if isinstance(chunk, str) else json.dumps(chunk)
                    data = f"data: {text}\n\n".encode()
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                self.close_connection = True

        def do_GET(self) -> None:
            if self.path.rstrip("/") in ("/health", "/v1/health"):
                if fake._state.health_delay and fake._release.wait(fake._state.health_delay):
                    return
                if fake._state.healthy:
                    self._send(200, {"status": "ok"})
                else:
                    self._send(503, {"status": "unavailable"})
            elif self.path.rstrip("/") in ("/v1/models", "/models"):
                self._send(200, {"object": "list", "data": [{"id": fake.name, "object": "model"}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw)
            except json.JSONDecodeError:
                self._send(400, {"error": {"message": "bad json"}})
                return
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            with fake._state.lock:
                fake._state.authorizations.append(self.headers.get("Authorization"))
            if not fake._enter():
                err = {"error": {"message": "server at capacity", "type": "server_error"}}
                self._send(503, err)
                return
            arrived = time.time()
            try:
                self._answer(body)
            finally:
                fake._leave(arrived)

        def _answer(self, body: dict[str, Any]) -> None:
            step = fake._next_step(body)
            model = str(body.get("model", fake.name))
            if isinstance(step, Hang):
                if fake._release.wait(step.seconds):
                    return  # killed while hanging: drop the connection
                step = step.then or Reply("ok")
            elif isinstance(step, Gate):
                deadline = time.monotonic() + step.timeout_s
                while not step.opens.wait(0.05):
                    if fake._release.is_set():
                        return  # killed while held: drop the connection
                    if time.monotonic() > deadline:
                        step.timed_out.set()
                        break
                step = step.then or Reply("ok")
            elif isinstance(step, Signal):
                step.event.set()
                step = step.then or Reply("ok")
            if isinstance(step, Reply) and fake.service_s and fake._release.wait(fake.service_s):
                return  # killed while working: drop the connection
            if not fake.running:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if isinstance(step, Reply) and body.get("stream"):
                self._stream(model, step)
            elif isinstance(step, Reply):
                self._send(200, _completion(model, step))
            elif isinstance(step, Fail):
                err = {"error": {"message": step.message, "type": "server_error", "code": None}}
                self._send(step.status, err)
            elif isinstance(step, Malformed):
                self._send(200, None, raw=step.body)
            elif isinstance(step, Die):
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                threading.Thread(target=fake.kill, daemon=True).start()

    return Handler


def write_routing(
    path: Path,
    servers: dict[str, list[FakeOpenAI]] | FakeOpenAI,
    *,
    fallbacks: dict[str, list[str]] | None = None,
    timeout: float = 5.0,
    vision: bool | Iterable[str] = False,
    structured_output: str = "json_schema",
    router_settings: dict[str, Any] | None = None,
    api_key: str = "fake-key",
    profile: str = "fake",
    transport: str | None = None,
    stream_usage: bool | str | None = None,
    max_parallel_requests: int = 8,
) -> Path:
    """Write a routing file whose roles are served by fake servers.

    Args:
        path: Where to write the YAML.
        servers: Role (or model group) to servers; a single server serves every role.
        fallbacks: Model group to the groups tried after it.
        timeout: Per-call timeout of every deployment.
        vision: Whether deployments claim ``supports_vision``: all, or the named groups.
        structured_output: ``json_schema`` (vLLM style) or ``json_object_schema`` (llama.cpp).
        router_settings: litellm Router settings (default: fast retries and cooldowns).
        api_key: Literal key, or ``os.environ/NAME``.
        profile: Name of the profile in the file.
        transport: ``model_info.transport`` of every deployment (default: the file's default).
        stream_usage: ``model_info.stream_usage`` of every deployment (default: the file's).
        max_parallel_requests: The cap of every deployment.

    Returns:
        ``path``; select it with ``STUDIO_ROUTING_FILE`` and ``STUDIO_PROFILE``.
    """
    if isinstance(servers, FakeOpenAI):
        servers = {role: [servers] for role in ("reasoning", "vision", "coder")}
    vision_groups = set(servers) if vision is True else set() if vision is False else set(vision)
    model_list = []
    for group, group_servers in servers.items():
        for server in group_servers:
            model_list.append(
                {
                    "model_name": group,
                    "litellm_params": {
                        "model": f"hosted_vllm/{server.name}",
                        "api_base": server.url,
                        "api_key": api_key,
                        "timeout": timeout,
                        "max_parallel_requests": max_parallel_requests,
                    },
                    "model_info": {
                        "id": f"{group}-{server.name}",
                        "supports_vision": group in vision_groups,
                        "structured_output": structured_output,
                        "health_path": "/health",
                        **({"transport": transport} if transport else {}),
                        **({} if stream_usage is None else {"stream_usage": stream_usage}),
                    },
                }
            )
    doc = {
        "profiles": {
            profile: {
                "model_list": model_list,
                "fallbacks": [{k: v} for k, v in (fallbacks or {}).items()],
                "router_settings": router_settings
                or {"num_retries": 1, "allowed_fails": 1, "cooldown_time": 1},
            }
        }
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path
