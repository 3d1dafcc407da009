"""Concurrent load on a Prefect API: many flow runs created at the same instant.

Shared by the concurrency test and ``benchmarks/prefect_burst.py``. Requests go through
plain httpx with no retries, so a 503 the Prefect client would silently retry is counted.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Burst", "api_headers", "burst_deployment", "create_runs_at_once"]


@dataclass(frozen=True)
class Burst:
    """What the server answered to each of the simultaneous requests."""

    statuses: list[int]  # one per request; 0 when no HTTP answer came (connection error)
    run_ids: list[str]  # ids of the runs the server reported created
    errors: list[str]  # one line per request that was not a 201

    def summary(self) -> str:
        counts = Counter(self.statuses)
        return ", ".join(f"{count} x {status or 'no answer'}" for status, count in counts.items())


def api_headers(settings: Any) -> dict[str, str]:
    """Basic auth with the stack's credential (issue 18: the API asks for it by default)."""
    import base64

    from studio.credential import read_credential

    credential = read_credential(settings)
    if not credential:
        return {}
    return {"Authorization": "Basic " + base64.b64encode(credential.encode()).decode()}


def burst_deployment(
    api: str,
    *,
    pool: str = "burst-pool",
    name: str = "burst",
    headers: dict[str, str] | None = None,
) -> str:
    """A deployment in a pool no worker polls (its runs stay Scheduled); returns its id."""
    with httpx.Client(base_url=api, timeout=30, headers=headers) as client:
        existing = client.post("/work_pools/filter", json={}).json()
        if pool not in [p["name"] for p in existing]:
            client.post("/work_pools/", json={"name": pool, "type": "process"}).raise_for_status()
        flow = client.post("/flows/", json={"name": name})
        flow.raise_for_status()
        deployment = client.post(
            "/deployments/",
            json={"name": name, "flow_id": flow.json()["id"], "work_pool_name": pool},
        )
        deployment.raise_for_status()
        return str(deployment.json()["id"])


def create_runs_at_once(
    api: str,
    deployment_id: str,
    count: int,
    timeout: float = 60,
    headers: dict[str, str] | None = None,
) -> Burst:
    """POST ``count`` create_flow_run requests released together by a barrier."""
    barrier = threading.Barrier(count)
    statuses = [0] * count
    ids: list[str | None] = [None] * count
    errors: list[str] = []

    def one(index: int) -> None:
        with httpx.Client(base_url=api, timeout=timeout, headers=headers) as client:
            barrier.wait()
            try:
                response = client.post(
                    f"/deployments/{deployment_id}/create_flow_run",
                    json={"name": f"burst-{index}"},
                )
            except httpx.HTTPError as exc:
                errors.append(f"request {index}: {type(exc).__name__}: {exc}")
                return
            statuses[index] = response.status_code
            if response.status_code == 201:
                ids[index] = response.json()["id"]
            else:
                errors.append(f"request {index}: HTTP {response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Burst(statuses, [i for i in ids if i is not None], errors)
