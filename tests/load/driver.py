"""Concurrent OpenAI-style clients for load on loopback (the load tests and the benchmark).

``hammer`` runs ``clients`` async clients, spread over ``keys`` round-robin, each sending
chat completions one after another (or paced, one every ``interval_s``) until its own
request budget or the deadline: bounded either way. Every answer is kept as a :class:`Shot`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Shot", "hammer"]


@dataclass(frozen=True)
class Shot:
    """One request: who sent it, when, and what came back."""

    key: int
    client: int
    sent: float
    done: float
    status: int
    cache: str
    retry_after: str
    error: str = ""  # the transport error of a request that got no answer (status 0)

    @property
    def ms(self) -> float:
        """Latency in milliseconds."""
        return (self.done - self.sent) * 1000


def _default_body(key: int, client: int, n: int) -> dict[str, Any]:
    return {
        "model": "reasoning",
        "messages": [{"role": "user", "content": f"key {key} client {client} request {n}"}],
    }


async def hammer(
    url: str,
    keys: list[str],
    clients: int,
    *,
    per_client: int | None = None,
    seconds: float | None = None,
    body: Callable[[int, int, int], dict[str, Any]] = _default_body,
    headers: dict[str, str] | None = None,
    path: str = "/v1/chat/completions",
    timeout_s: float = 60.0,
    interval_s: float = 0.0,
    sink: list[Shot] | None = None,
    stop: asyncio.Event | None = None,
) -> list[Shot]:
    """Send the load; return every request's outcome (in completion order).

    Args:
        url: Base URL of the gateway (or of a backend, for a baseline).
        keys: Bearer keys; client ``i`` uses ``keys[i % len(keys)]``.
        clients: Concurrent clients.
        per_client: Requests each client sends at most.
        seconds: Wall-clock budget of the whole load.
        body: The request body of client ``c``'s ``n``-th request under key ``k``.
        headers: Extra headers of every request.
        path: The route.
        timeout_s: Per-request timeout (a request without an answer is status 0).
        interval_s: Paced clients: each sends one request every ``interval_s`` (starts
            spread over the first interval; a late request goes at once), so the offered
            rate is ``clients / interval_s`` whatever the latency. 0: back to back.
        sink: Where the shots go as they come (to watch a running load); default a new list.
        stop: Set to end the load early (requests in flight finish).
    """
    if per_client is None and seconds is None:
        raise ValueError("bound the load: per_client, seconds or both")
    end = time.monotonic() + seconds if seconds is not None else float("inf")
    shots: list[Shot] = sink if sink is not None else []
    limits = httpx.Limits(max_connections=clients + 8, max_keepalive_connections=clients + 8)
    async with httpx.AsyncClient(
        base_url=url, timeout=timeout_s, limits=limits, trust_env=False
    ) as http:

        async def client(index: int) -> None:
            key = index % len(keys)
            auth = {"Authorization": f"Bearer {keys[key]}", **(headers or {})}
            n = 0
            due = time.monotonic() + interval_s * index / clients
            while (
                (per_client is None or n < per_client)
                and time.monotonic() < end
                and not (stop is not None and stop.is_set())
            ):
                if interval_s:
                    if due >= end:
                        break
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    due += interval_s
                sent = time.monotonic()
                error = ""
                try:
                    resp = await http.post(path, json=body(key, index, n), headers=auth)
                    status, cache = resp.status_code, resp.headers.get("x-cache", "")
                    retry_after = resp.headers.get("retry-after", "")
                except httpx.TransportError as exc:  # timeouts, refused or dropped connections
                    status, cache, retry_after, error = 0, "", "", type(exc).__name__
                done = time.monotonic()
                shots.append(Shot(key, index, sent, done, status, cache, retry_after, error))
                n += 1

        await asyncio.gather(*(client(i) for i in range(clients)))
    return shots
