"""Flow runs created at once: a SQLite-backed Prefect server vs a PostgreSQL-backed one
(prints a table; not a test).

Each backend gets its own server in a temporary studio home; each round releases
``--runs`` create_flow_run requests together (a barrier) with no client retries, and counts
what the server answered. The PostgreSQL database is dropped at the end.

    .venv/bin/python benchmarks/prefect_burst.py [--runs 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _measure(kind: str, runs: int, rounds: int) -> Counter[int]:
    from core.settings import Settings
    from studio import database, stack
    from tests.ops.conftest import free_port
    from tests.ops.load import burst_deployment, create_runs_at_once

    home = Path(tempfile.mkdtemp(prefix=f"studio-burst-{kind}-"))
    settings = Settings(home=home, prefect_port=free_port(), work_pool="burst-bench")
    if kind == "sqlite":
        backend = database.Backend("sqlite", None, "database: SQLite (forced)")
    else:
        backend = database.choose(settings)
    if backend.kind != kind:
        raise SystemExit(f"no PostgreSQL: {backend.description}")
    print(stack.start_server(settings, database=backend), flush=True)
    counts: Counter[int] = Counter()
    try:
        api = stack.api_url(settings)
        deployment_id = burst_deployment(api)
        for index in range(rounds):
            burst = create_runs_at_once(api, deployment_id, runs)
            counts.update(burst.statuses)
            print(f"  {kind} round {index + 1}: {burst.summary()}", flush=True)
            for line in burst.errors[:3]:
                print(f"    {line}")
    finally:
        stack.down(settings)
        if backend.kind == "postgresql":
            database.drop(settings)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    results = {kind: _measure(kind, args.runs, args.rounds) for kind in ("sqlite", "postgresql")}
    total = args.runs * args.rounds
    print(f"\n{args.rounds} rounds of {args.runs} create_flow_run requests at once")
    print(f"  {'backend':10}  {'201':>5}  {'503':>5}  {'other':>5}  of")
    for kind, counts in results.items():
        other = total - counts[201] - counts[503]
        print(f"  {kind:10}  {counts[201]:>5}  {counts[503]:>5}  {other:>5}  {total}")


if __name__ == "__main__":
    main()
