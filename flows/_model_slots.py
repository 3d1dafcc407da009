"""One model server's capacity, shared by every flow run that uses it.

Each client caps its own requests in flight per deployment (``inference.pool``), but many jobs
at once are many processes, each with its own cap: twenty creative jobs against a server
that takes four requests at a time would send it up to eighty. A deployment run therefore
also holds a slot of a Prefect **global concurrency limit** around each request, one limit
per model server (``api_base``), its size the routing file's ``max_parallel_requests`` for
that server (the smallest, where several deployments name one server, as the CPU tier's
three roles do). The limits are created, or resized to the routing file, when a run starts.

Prefect hands free slots to waiting clients that poll (with a ``Retry-After`` that grows
with the queue, capped by the server's ``maximum_concurrency_slot_wait_seconds`` and here by
``POLL_S``), not in arrival order, so a wait is bounded by ``WAIT_S`` rather than by
position; slots are leases, so a process killed while holding one frees it when its lease
runs out. ``waits`` keeps how long each request of this run waited for its slot
(``model_slot_wait_s`` in the summary).

A slot is held only while its request is served: one API call takes it and one gives it
back, on one client kept for the run. Prefect's ``concurrency()`` helper also builds a new
API client to release each slot, renews the lease at once from a new thread with a client
of its own (joined on release) and emits two events; in a fleet of 20 jobs on 2 cores that
work ran while the slot was held and the model server sat idle (issue 13: the server was
idle 47% of its span, and a slot was given back a median 1.7 s after its answer).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

__all__ = ["POLL_S", "WAIT_S", "SlotGate", "limit_name", "server_limits", "shared_gate"]

_log = logging.getLogger("studio.slots")

WAIT_S = 30 * 60.0  # the longest a request waits for a slot before it fails as overloaded
POLL_S = 2.0  # the longest between two tries for a slot, whatever Retry-After says
_LEASE_S = 120.0  # renewed while held; a dead holder's slot is free after this
_LOCKED = 423  # the API's answer when the limit has no free slot


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


class _Renewal:
    """Renews one lease every half lease while its request runs (most end long before)."""

    def __init__(self, renew: Callable[[], object]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(renew,), daemon=True)
        self._thread.start()

    def _run(self, renew: Callable[[], object]) -> None:
        while not self._stop.wait(_LEASE_S / 2):
            try:
                renew()
            except Exception as exc:
                if not self._stop.is_set():
                    _log.warning("model slot lease not renewed (%s: %s)", type(exc).__name__, exc)
                return

    def stop(self) -> None:
        # Not joined: the release must not wait for a renewal, and a renewal that loses the
        # race with it only fails (the lease is gone).
        self._stop.set()


class SlotGate:
    """The client's ``gate``: a slot of its server's limit held around each request.

    Args:
        names: api_base -> limit name, for the servers that have a limit.
        api: The Prefect API client (sync) the gate uses for every slot; ``close`` closes
            it.
    """

    def __init__(self, names: dict[str, str], api: Any) -> None:
        self._names = names
        self._api = api
        self._lock = threading.Lock()
        self.waits: list[float] = []

    def _acquire(self, name: str) -> UUID:
        """Take a slot of ``name``, trying again at most ``POLL_S`` apart, for ``WAIT_S``."""
        import httpx

        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                response = self._api.increment_concurrency_slots_with_lease(
                    names=[name], slots=1, mode="concurrency", lease_duration=_LEASE_S
                )
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code != _LOCKED:
                    raise
                pause = min(float(exc.response.headers.get("Retry-After", POLL_S)), POLL_S)
                if time.monotonic() + pause > deadline:
                    raise TimeoutError(f"no slot of {name} freed up in {WAIT_S:.0f} s") from exc
                time.sleep(pause)
                continue
            granted = response.json()
            if not granted.get("limits"):  # deleted since the run began: refuse, as strict did
                raise RuntimeError(f"the concurrency limit {name} does not exist")
            return UUID(str(granted["lease_id"]))

    @contextlib.contextmanager
    def __call__(self, deployment: Any) -> Iterator[None]:
        """Hold one slot of ``deployment``'s server for the block (none: no limit)."""
        name = self._names.get(deployment.api_base)
        if name is None:
            yield
            return
        asked = time.monotonic()
        lease = self._acquire(name)
        with self._lock:
            self.waits.append(time.monotonic() - asked)
        renewal = _Renewal(
            lambda: self._api.renew_concurrency_lease(lease_id=lease, lease_duration=_LEASE_S)
        )
        try:
            yield
        finally:
            renewal.stop()
            try:
                self._api.release_concurrency_slots_with_lease(lease_id=lease)
            except Exception as exc:  # the lease still ends on its own
                _log.warning(
                    "model slot not given back (%s: %s); it frees within %.0f s",
                    type(exc).__name__,
                    exc,
                    _LEASE_S,
                )

    @property
    def longest_wait_s(self) -> float:
        """The longest this run's requests waited for a slot, in seconds."""
        with self._lock:
            return round(max(self.waits, default=0.0), 3)

    def close(self) -> None:
        """Close the gate's API client (at the end of the run)."""
        self._api.__exit__(None, None, None)


def shared_gate(routing: Any) -> SlotGate | None:
    """Create or resize ``routing``'s server limits and return the gate; None without any.

    The gate keeps the client that did it (close the gate when the run ends). An API that
    cannot be reached leaves the run ungated, with one warning: the run still gets its own
    per-process caps.
    """
    from prefect.client.orchestration import get_client

    limits = server_limits(routing)
    if not limits:
        return None
    client = get_client(sync_client=True)
    try:
        client.__enter__()
        for name, slots in limits.items():
            _ensure(client, name, slots)
    except Exception as exc:
        client.__exit__(None, None, None)
        _log.warning("model slots not shared across runs (%s: %s)", type(exc).__name__, exc)
        return None
    names = {d.api_base: limit_name(d.api_base) for d in routing.all_deployments if d.max_parallel}
    return SlotGate(names, client)
