"""Twenty creative jobs submitted at once, through the ``creative-job`` deployment, against a
model server that takes four requests at a time: all complete, the server never has more in
flight than the routing file's ``max_parallel_requests`` (the Prefect global concurrency
limit per server, ``flows._model_slots``), and no request waits unboundedly for its slot.
The numbers (makespan vs its lower bound) are ``benchmarks/job_fleet.py``'s to report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from tests.faults.fleet import fleet_backend, run_fleet

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]

CAPACITY = 4
# Long enough that requests overlap even when the jobs' processes start slowly (2 loaded cores).
SERVICE_S = 5.0


def test_twenty_jobs_at_once_share_a_bounded_server(
    prefect_api: Settings, start_worker: Any, tmp_path: Path
) -> None:
    server, routing = fleet_backend(tmp_path, CAPACITY, SERVICE_S)
    try:
        worker = start_worker({"STUDIO_ROUTING_FILE": str(routing), "STUDIO_PROFILE": "fake"})
        result = run_fleet(prefect_api, server, tmp_path, jobs=20, timeout_s=480)
    finally:
        server.stop()
    print(result.to_dict())
    assert result.completed == 20, f"{result.states}\n{worker.tail()}"
    assert result.rejected == 0 and result.max_in_flight <= CAPACITY, result.to_dict()
    assert result.max_in_flight >= 2, "the jobs' requests never overlapped: nothing was tested"
    assert result.requests >= 40
    # No starvation: no request waited for its slot longer than it takes to serve the whole
    # fleet's model work once over (every other request in front of it).
    assert result.longest_slot_wait_s <= result.lower_bound_s + 60, result.to_dict()
