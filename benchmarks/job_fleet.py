"""A fleet of creative jobs at once: makespan next to its lower bound (prints a table, writes
JSON; not a test).

A private stack (Prefect server on its own PostgreSQL database or SQLite, the flows
deployed, a worker) runs ``--jobs`` creative jobs (intent, sampling, scene analyses; each its
own clip and request) submitted together with ``run_deployment``, against a fake model server
that serves ``--capacity`` requests at once for ``--service`` seconds each. The routing file
gives the server ``max_parallel_requests: capacity``; Prefect's global concurrency limit per
server (``flows/_model_slots.py``) keeps every process under it. Lower bound of the makespan:
requests x service time / capacity. The makespan also pays for starting one Python process
per job, which on a small machine dominates; the "model span" (first request to last answer
at the server) isolates the scheduling.

    .venv/bin/python benchmarks/job_fleet.py [--jobs 20] [--capacity 4] [--service 5.0]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _measure(jobs: int, capacity: int, service_s: float) -> dict[str, object]:
    from core.settings import Settings
    from studio import database, stack
    from tests.faults.fleet import fleet_backend, run_fleet
    from tests.faults.workers import Worker
    from tests.ops.conftest import free_port

    home = Path(tempfile.mkdtemp(prefix="studio-fleet-"))
    settings = Settings(home=home, prefect_port=free_port(), work_pool="fleet-bench")
    backend = database.choose(settings)
    print(stack.start_server(settings, database=backend), flush=True)
    server, routing = fleet_backend(home, capacity, service_s)
    worker = None
    try:
        stack.ensure_work_pool(settings)
        print(stack.deploy(settings), flush=True)
        worker = Worker(
            settings,
            {"STUDIO_ROUTING_FILE": str(routing), "STUDIO_PROFILE": "fake"},
            home / "worker.log",
        )
        return run_fleet(settings, server, home, jobs=jobs).to_dict()
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
        stack.down(settings)
        if backend.kind == "postgresql":
            database.drop(settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=4)
    parser.add_argument("--service", type=float, default=5.0, help="seconds per request")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "job-fleet.json")
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    result = _measure(args.jobs, args.capacity, args.service)
    rows = [
        ("jobs completed", f"{result['completed']} / {result['jobs']}"),
        ("model requests", f"{result['requests']}"),
        ("server capacity", f"{result['capacity']} at once, {result['service_s']} s each"),
        (
            "most in flight at the server",
            f"{result['max_in_flight']} ({result['rejected']} refused)",
        ),
        ("lower bound (work / capacity)", f"{result['lower_bound_s']:.1f} s"),
        ("makespan (submit -> last job done)", f"{result['makespan_s']:.1f} s"),
        ("makespan / lower bound", f"{result['makespan_over_lower_bound']:.2f}"),
        ("model span (first request -> last answer)", f"{result['model_span_s']:.1f} s"),
        ("longest wait for a model slot", f"{result['longest_slot_wait_s']:.1f} s"),
        (
            "job latency p50 / max",
            f"{result['job_latency_p50_s']:.1f} / {result['job_latency_max_s']:.1f} s",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
