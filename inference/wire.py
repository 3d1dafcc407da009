"""The wire client: OpenAI chat completions over keep-alive HTTP, nothing else.

vLLM and llama.cpp both speak the OpenAI wire format, so a call to them needs no provider
translation: one JSON POST and one JSON answer. This module does exactly that with one
pooled ``httpx.Client`` per server. It is the client's transport for deployments whose
``transport`` is ``openai`` (see :mod:`inference.routing`); anything else goes through
litellm, which translates for other providers.

Why not litellm for these too: its per-call bookkeeping (logging objects, cost lookup,
callbacks) costs ~5 ms of CPU per request on this class of machine, more than the whole
round trip to a local server (``benchmarks/routing_overhead.py``). Routing (which
deployment, retries, cooldowns, fallbacks) is not done here; see :mod:`inference.pool` and
:class:`inference.client.InferenceClient`.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from typing import Any

import httpx

from inference.routing import Deployment

__all__ = ["ChatWire", "WireError", "WireReply"]

# Statuses worth another attempt elsewhere: overload, throttling and server faults.
_TRANSIENT_STATUSES = frozenset({408, 409, 425, 429})


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
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str


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


class ChatWire:
    """Thread-safe OpenAI chat-completions client with one connection pool per server."""

    def __init__(self) -> None:
        self._clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()

    def _client(self, api_base: str) -> httpx.Client:
        with self._lock:
            client = self._clients.get(api_base)
            if client is None:
                # No env proxies: deployments are addressed directly (and trust_env would
                # read netrc files on every new connection).
                client = httpx.Client(base_url=api_base, trust_env=False)
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
        try:
            response = self._client(deployment.api_base).post(
                "/chat/completions", json=payload, headers=headers, timeout=timeout
            )
        except httpx.TimeoutException as exc:
            detail = f"no answer in {timeout:g} s"
            raise WireError("Timeout", detail, status=None, transient=True) from exc
        except httpx.TransportError as exc:
            raise WireError(type(exc).__name__, str(exc), status=None, transient=True) from exc
        status = response.status_code
        if status >= 400:
            raise WireError(
                f"HTTP {status}",
                _detail(response),
                status=status,
                transient=status >= 500 or status in _TRANSIENT_STATUSES,
            )
        return _parse(response)

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()
