"""Many flow runs submitted at once (users starting jobs together, scripts in a loop): the
session server, on its PostgreSQL database, creates them all and never answers 5xx.
"""

from __future__ import annotations

import httpx
import pytest

from core.settings import Settings
from tests.ops.conftest import server_log_tail
from tests.ops.load import api_headers, burst_deployment, create_runs_at_once

pytestmark = [pytest.mark.prefect_server]

RUNS = 20


def test_twenty_flow_runs_created_at_once_all_land(prefect_server: Settings) -> None:
    from studio import stack

    api = stack.api_url(prefect_server)
    headers = api_headers(prefect_server)
    deployment_id = burst_deployment(api, headers=headers)
    burst = create_runs_at_once(api, deployment_id, RUNS, headers=headers)
    try:
        assert burst.statuses == [201] * RUNS, (
            f"{burst.summary()}\n"
            + "\n".join(burst.errors)
            + "\n"
            + server_log_tail(prefect_server)
        )
        with httpx.Client(base_url=api, timeout=30, headers=headers) as client:
            stored = client.post(
                "/flow_runs/filter",
                json={"flow_runs": {"deployment_id": {"any_": [deployment_id]}}},
            ).json()
        assert sorted(run["id"] for run in stored) == sorted(burst.run_ids)
        assert sorted(run["name"] for run in stored) == sorted(f"burst-{i}" for i in range(RUNS))
    finally:
        # Other tests list recent runs; these scheduled ones must not crowd them out.
        with httpx.Client(base_url=api, timeout=30, headers=headers) as client:
            for run_id in burst.run_ids:
                client.delete(f"/flow_runs/{run_id}")
            client.delete(f"/deployments/{deployment_id}")
