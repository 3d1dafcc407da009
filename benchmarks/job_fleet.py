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

No target: issue 13 asks for the makespan next to its lower bound, and states none. The bound
is not reachable by design (every job is its own process, started by the worker), and how far
the makespan stays above it depends mostly on the machine's cores, so ``TARGET`` is None and
``benchmarks/run.py`` reports both ratios (makespan and model span, each over the bound) as
figures only.

    .venv/bin/python benchmarks/job_fleet.py [--quick] [--jobs 20] [--capacity 4] [--service 5.0]

``measure(...)`` returns the figures as a dict (``benchmarks/run.py`` uses it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

__all__ = ["FULL", "QUICK", "TARGET", "measure"]

# No stated target (see the module's docstring): the ratios are reported, not judged.
TARGET: float | None = None
# (jobs, capacity, seconds per request): the recorded run, and a small one for ``--quick``
# (the same shape, 4 jobs queueing for 2 slots, in about a minute with the stack's start).
FULL = (20, 4, 5.0)
QUICK = (4, 2, 1.0)


def measure(
    quick: bool = False,
    jobs: int | None = None,
    capacity: int | None = None,
    service_s: float | None = None,
) -> dict[str, Any]:
    """Start a private stack, run a fleet against the bounded fake server, stop it all.

    Args:
        quick: The small fleet (``QUICK``) instead of the recorded one (``FULL``).
        jobs: Jobs submitted at once (overrides the preset).
        capacity: Requests the fake server serves at once (overrides the preset).
        service_s: Seconds each request holds a slot (overrides the preset).

    Returns:
        ``FleetResult.to_dict()``: ``makespan_s``, ``lower_bound_s``, ``model_span_s``,
        ``makespan_over_lower_bound``, the slot waits and job latencies, and ``target``.
    """
    preset = QUICK if quick else FULL
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    figures = _measure(
        preset[0] if jobs is None else jobs,
        preset[1] if capacity is None else capacity,
        preset[2] if service_s is None else service_s,
    )
    return {**figures, "target": TARGET}


def _measure(jobs: int, capacity: int, service_s: float) -> dict[str, Any]:
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
    """Run the fleet, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"jobs, capacity, service {QUICK}")
    parser.add_argument("--jobs", type=int, help=f"default {FULL[0]}")
    parser.add_argument("--capacity", type=int, help=f"default {FULL[1]}")
    parser.add_argument("--service", type=float, help=f"seconds per request, default {FULL[2]}")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "job-fleet.json")
    args = parser.parse_args()
    result = measure(args.quick, args.jobs, args.capacity, args.service)
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
