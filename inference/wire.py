"""The wire client: OpenAI chat completions over keep-alive HTTP, nothing else.

vLLM and llama.cpp both speak the OpenAI wire format, so a call to them needs no provider
translation: one JSON POST and one JSON answer. This module does exactly that with one
pooled ``httpx.Client`` per server. It is the client's transport for deployments whose
``transport`` is ``openai`` (see :mod:`inference.routing`); anything else goes through
litellm, which translates for other providers.

While a token listener is registered (``on_tokens``; ``studio run`` registers one for its
progress display), answers from deployments marked ``stream_usage`` are streamed, and each
chunk of text is counted to the listeners as it arrives; the reply (text, exact token counts,
finish reason) is the unstreamed one's, and nothing that enters a cache key changes. Where the
server sends no usage with a stream (llama-cpp-python, ``stream_usage: chunks``), the counts
come as :mod:`inference._usage` says.

Why not litellm for these too: its per-call bookkeeping (logging objects, cost lookup,
callbacks) costs ~5 ms of CPU per request on this class of machine, more than the whole
round trip to a local server (``benchmarks/routing_overhead.py``). Routing (which
deployment, retries, cooldowns, fallbacks) is not done here; see :mod:`inference.pool` and
:class:`inference.client.InferenceClient`.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from inference._tls import tls_context
from inference._usage import StreamTally, listening, on_tokens, prompt_probe, tell
from inference.routing import Deployment

__all__ = ["ChatWire", "WireError", "WireReply", "on_tokens", "transient_status"]

_log = logging.getLogger(__name__)

# Statuses worth another attempt elsewhere: overload, throttling and server faults.
_TRANSIENT_STATUSES = frozenset({408, 409, 425, 429})


def transient_status(status: int) -> bool:
    """Whether an HTTP error status is worth another attempt (the one rule, for every path)."""
    return status >= 500 or status in _TRANSIENT_STATUSES


class WireError(Exception):
    """A request that got no usable answer.

    Attributes:
        kind: Short name of what happened (``HTTP 503``, ``Timeout``, ``ConnectError``,
            ``MalformedResponse``).
        status: The HTTP status, when there was one.
        transient: Whether another attempt (here or on another deployment) may succeed.
    """

    def __init__(self, kind: str, detail: str, *, status: int | None, transient: bool) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.status = status
        self.transient = transient


@dataclass(frozen=True)
class WireReply:
    """The parts of a chat completion the tier uses.

    Attributes:
        text: ``choices[0].message.content`` (empty when the server sent none).
        prompt_tokens: ``usage.prompt_tokens`` (0 when absent).
        completion_tokens: ``usage.completion_tokens`` (0 when absent).
        finish_reason: ``choices[0].finish_reason`` (``stop``, ``length``...).
        tokens_estimated: ``completion_tokens`` was counted from a stream and may be low
            (:mod:`inference._usage`).
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str
    tokens_estimated: bool = False


def resolve_key(reference: str | None) -> str | None:
    """The key a routing entry names: ``os.environ/NAME`` reads the environment.

    Resolved per call, so a rotated key is picked up and the secret is never stored in
    routing objects that may be printed.
    """
    if reference is None:
        return None
    if reference.startswith("os.environ/"):
        return os.environ.get(reference.removeprefix("os.environ/")) or None
    return reference


def _detail(response: httpx.Response) -> str:
    """The server's error message in one short line (OpenAI error shape, else the body)."""
    try:
        body = response.json()
    except ValueError:
        text = response.text
    else:
        error = body.get("error") if isinstance(body, dict) else None
        text = error.get("message", "") if isinstance(error, dict) else json.dumps(body)
    return " ".join(str(text).split())[:300]


def _check_status(response: httpx.Response) -> None:
    """Raise the :class:`WireError` of an HTTP error status (the body must have been read)."""
    status = response.status_code
    if status >= 400:
        raise WireError(
            f"HTTP {status}",
            _detail(response),
            status=status,
            transient=transient_status(status),
        )


def _parse(response: httpx.Response) -> WireReply:
    try:
        body = response.json()
        choice = body["choices"][0]
        usage = body.get("usage") or {}
        return WireReply(
            text=str(choice["message"].get("content") or ""),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=str(choice.get("finish_reason") or ""),
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        # A 200 that is not a chat completion: the server is broken (or was cut off
        # mid-answer); another deployment may well answer.
        raise WireError(
            "MalformedResponse", type(exc).__name__, status=response.status_code, transient=True
        ) from None


def _timeout(timeout: float) -> WireError:
    return WireError("Timeout", f"no answer in {timeout:g} s", status=None, transient=True)


class _NoStreamUsage(Exception):
    """The server ended its stream without usage: its token counts are unknown."""


def _read_events(response: httpx.Response, deadline: float, timeout: float) -> StreamTally:
    """Read a streamed chat completion (server-sent events) to its end, telling listeners."""
    tally, ended = StreamTally(), False
    for line in response.iter_lines():
        if time.monotonic() > deadline:
            raise _timeout(timeout)
        if not line.startswith("data:"):
            continue
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            ended = True
            break
        try:
            chunk = json.loads(data)
            if chunk.get("error"):
                detail = " ".join(str(chunk["error"]).split())[:300]
                raise WireError("StreamError", detail, status=response.status_code, transient=True)
            pieces = tally.add(chunk)
        except (ValueError, TypeError, AttributeError) as exc:
            raise WireError(
                "MalformedResponse", type(exc).__name__, status=response.status_code, transient=True
            ) from None
        if pieces:
            tell(pieces)
    if not (ended and tally.finish_reason):
        raise WireError(
            "MalformedResponse",
            "the stream ended before the answer did",
            status=response.status_code,
            transient=True,
        )
    return tally


class ChatWire:
    """Thread-safe OpenAI chat-completions client with one connection pool per server."""

    def __init__(self) -> None:
        self._clients: dict[str, httpx.Client] = {}
        self._no_stream_usage: set[str] = set()
        self._lock = threading.Lock()

    def _client(self, api_base: str) -> httpx.Client:
        with self._lock:
            client = self._clients.get(api_base)
            if client is None:
                # No env proxies: deployments are addressed directly (and trust_env would
                # read netrc files on every new connection).
                client = httpx.Client(base_url=api_base, trust_env=False, verify=tls_context())
                self._clients[api_base] = client
            return client

    def chat(self, deployment: Deployment, body: dict[str, Any], timeout: float) -> WireReply:
        """POST ``body`` (without ``model``) to ``deployment``'s ``/chat/completions``.

        Args:
            deployment: Where to send it; its ``wire_model`` becomes ``model``.
            body: The OpenAI request body: messages, max_tokens, response_format...
            timeout: Seconds for connect, each read and the pool wait.

        Returns:
            The answer's text and token counts.

        Raises:
            WireError: No usable answer; ``transient`` says whether to try again.
        """
        headers = {}
        key = resolve_key(deployment.api_key)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        payload = {"model": deployment.wire_model, **body}
        if (
            listening()
            and deployment.stream_usage
            and deployment.api_base not in self._no_stream_usage
        ):
            try:
                return self._stream(deployment, payload, headers, timeout)
            except _NoStreamUsage:
                # ``stream_usage`` is wrong for this server: ask again, unstreamed, so the
                # record keeps its exact token counts, and never stream to it again.
                _log.warning("%s sent no usage with its stream; not streaming to it", deployment.id)
                self._no_stream_usage.add(deployment.api_base)
        return self._post(deployment.api_base, payload, headers, timeout)

    def _post(
        self, api_base: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
    ) -> WireReply:
        try:
            response = self._client(api_base).post(
                "/chat/completions", json=payload, headers=headers, timeout=timeout
            )
        except httpx.TimeoutException as exc:
            raise _timeout(timeout) from exc
        except httpx.TransportError as exc:
            raise WireError(type(exc).__name__, str(exc), status=None, transient=True) from exc
        _check_status(response)
        return _parse(response)

    def _stream(
        self,
        deployment: Deployment,
        payload: dict[str, Any],
        headers: dict[str, str],
        timeout: float,
    ) -> WireReply:
        """The same request, streamed: the whole answer still within ``timeout``."""
        streamed = {**payload, "stream": True, "stream_options": {"include_usage": True}}
        deadline = time.monotonic() + timeout
        client = self._client(deployment.api_base)
        try:
            with client.stream(
                "POST", "/chat/completions", json=streamed, headers=headers, timeout=timeout
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    _check_status(response)
                if "text/event-stream" not in response.headers.get("content-type", ""):
                    response.read()  # a server that ignores ``stream`` answers in one piece
                    return _parse(response)
                tally = _read_events(response, deadline, timeout)
        except httpx.TimeoutException as exc:
            raise _timeout(timeout) from exc
        except httpx.TransportError as exc:
            raise WireError(type(exc).__name__, str(exc), status=None, transient=True) from exc
        usage = tally.usage
        if not usage and deployment.stream_usage != "chunks":
            raise _NoStreamUsage
        counted = True
        if not usage:  # llama-cpp-python: its chunks are its tokens (see inference._usage)
            prompt = self._probe_prompt(deployment.api_base, payload, headers, deadline)
            counted = prompt is not None
            usage = {"prompt_tokens": prompt or 0, "completion_tokens": tally.chunks}
        return WireReply(
            text=tally.text,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=tally.finish_reason,
            tokens_estimated=not (counted and (tally.usage or tally.ascii)),
        )

    def _probe_prompt(
        self, api_base: str, payload: dict[str, Any], headers: dict[str, str], deadline: float
    ) -> int | None:
        """The server's count of ``payload``'s prompt tokens, or None when it gave none in time.

        The answer is already whole: a count that cannot be had (the server busy with another
        caller until the deadline, or down) leaves a record marked estimated, never a failed call
        that would be paid for again.
        """
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            return self._post(api_base, prompt_probe(payload), headers, left).prompt_tokens
        except WireError as exc:
            _log.warning("no prompt token count from %s: %s", api_base, exc)
            return None

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()
