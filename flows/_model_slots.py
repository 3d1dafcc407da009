"""One model server's capacity, shared by every flow run that uses it.

Each client caps its own requests in flight per deployment (``inference.pool``), but many jobs
at once are many processes, each with its own cap: twenty creative jobs against a server
that takes four requests at a time would send it up to eighty. A deployment run therefore
also holds a slot of a Prefect **global concurrency limit** around each request, one limit
per model server (``api_base``), its size the routing file's ``max_parallel_requests`` for
that server (the smallest, where several deployments name one server, as the CPU tier's
three roles do). The limits are created, or resized to the routing file, when a run starts.

Prefect hands free slots to waiting clients that poll (with a ``Retry-After`` that grows
with the queue, capped by the server's ``maximum_concurrency_slot_wait_seconds``), not in
arrival order, so a wait is bounded by ``WAIT_S`` rather than by position; slots are leases,
so a process killed while holding one frees it when its lease runs out. ``waits`` keeps how
long each request of this run waited for its slot (``model_slot_wait_s`` in the summary).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

__all__ = ["WAIT_S", "SlotGate", "limit_name", "server_limits", "shared_gate"]

_log = logging.getLogger("studio.slots")

WAIT_S = 30 * 60.0  # the longest a request waits for a slot before it fails as overloaded
_LEASE_S = 120.0  # renewed while held; a dead holder's slot is free after this


def limit_name(api_base: str) -> str:
    """The global concurrency limit of one model server (Prefect names ban ``/ % & < >``)."""
    bare = re.sub(r"^[a-z]+://", "", api_base.rstrip("/"))
    return "model-server:" + re.sub(r"[^A-Za-z0-9_.:-]", "_", bare)


def server_limits(routing: Any) -> dict[str, int]:
    """Limit name -> slots, for every server of ``routing`` that declares a cap."""
    caps: dict[str, int] = {}
    for deployment in routing.all_deployments:
        if deployment.max_parallel:
            name = limit_name(deployment.api_base)
            caps[name] = min(caps.get(name, deployment.max_parallel), deployment.max_parallel)
    return caps


def _ensure(client: Any, name: str, slots: int) -> None:
    from prefect.client.schemas.actions import (
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitUpdate,
    )
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    try:
        current = client.read_global_concurrency_limit_by_name(name)
    except ObjectNotFound:
        with contextlib.suppress(ObjectAlreadyExists):  # another run created it first
            client.create_global_concurrency_limit(
                GlobalConcurrencyLimitCreate(name=name, limit=slots, active=True)
            )
        return
    if current.limit != slots or not current.active:
        client.update_global_concurrency_limit(
            name, GlobalConcurrencyLimitUpdate(limit=slots, active=True)
        )


class SlotGate:
    """The client's ``gate``: a slot of its server's limit held around each request.

    Args:
        names: api_base -> limit name, for the servers that have a limit.
    """

    def __init__(self, names: dict[str, str]) -> None:
        self._names = names
        self._lock = threading.Lock()
        self.waits: list[float] = []

    @contextlib.contextmanager
    def __call__(self, deployment: Any) -> Iterator[None]:
        """Hold one slot of ``deployment``'s server for the block (none: no limit)."""
        name = self._names.get(deployment.api_base)
        if name is None:
            yield
            return
        from prefect.concurrency.sync import concurrency

        asked = time.monotonic()
        with concurrency(
            name, occupy=1, timeout_seconds=WAIT_S, lease_duration=_LEASE_S, strict=True
        ):
            with self._lock:
                self.waits.append(time.monotonic() - asked)
            yield

    @property
    def longest_wait_s(self) -> float:
        """The longest this run's requests waited for a slot, in seconds."""
        with self._lock:
            return round(max(self.waits, default=0.0), 3)


def shared_gate(routing: Any) -> SlotGate | None:
    """Create or resize ``routing``'s server limits and return the gate; None without any.

    An API that cannot be reached leaves the run ungated, with one warning: the run still
    gets its own per-process caps.
    """
    from prefect.client.orchestration import get_client

    limits = server_limits(routing)
    if not limits:
        return None
    try:
        with get_client(sync_client=True) as client:
            for name, slots in limits.items():
                _ensure(client, name, slots)
    except Exception as exc:
        _log.warning("model slots not shared across runs (%s: %s)", type(exc).__name__, exc)
        return None
    names = {d.api_base: limit_name(d.api_base) for d in routing.all_deployments if d.max_parallel}
    return SlotGate(names)
