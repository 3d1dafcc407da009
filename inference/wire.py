"""The wire client: OpenAI chat completions over keep-alive HTTP, nothing else.

vLLM and llama.cpp both speak the OpenAI wire format, so a call to them needs no provider
translation: one JSON POST and one JSON answer. This module does exactly that with one
pooled ``httpx.Client`` per server. It is the client's transport for deployments whose
``transport`` is ``openai`` (see :mod:`inference.routing`); anything else goes through
litellm, which translates for other providers. Reading what a server sends back (which
statuses are transient, a body or an event stream read into a ``WireReply`` or a
``WireError``) is :mod:`inference._wire_reply`; both names are imported from here.

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

import logging
import os
import threading
import time
from typing import Any

import httpx

from inference._tls import tls_context
from inference._usage import listening, on_tokens, prompt_probe
from inference._wire_reply import (
    WireError,
    WireReply,
    check_status,
    parse_reply,
    read_events,
    timeout_error,
    transient_status,
)
from inference.routing import Deployment

__all__ = ["ChatWire", "WireError", "WireReply", "on_tokens", "transient_status"]

_log = logging.getLogger(__name__)


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


class _NoStreamUsage(Exception):
    """The server ended its stream without usage: its token counts are unknown."""


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
            raise timeout_error(timeout) from exc
        except httpx.TransportError as exc:
            raise WireError(type(exc).__name__, str(exc), status=None, transient=True) from exc
        check_status(response)
        return parse_reply(response)

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
                    check_status(response)
                if "text/event-stream" not in response.headers.get("content-type", ""):
                    response.read()  # a server that ignores ``stream`` answers in one piece
                    return parse_reply(response)
                tally = read_events(response, deadline, timeout)
        except httpx.TimeoutException as exc:
            raise timeout_error(timeout) from exc
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
