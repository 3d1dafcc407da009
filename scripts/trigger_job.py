#!/usr/bin/env python
"""Trigger a `creative-job` deployment run from a job spec and wait for it to finish.

    .venv/bin/python scripts/trigger_job.py examples/job.yaml [--set key=value ...] [--timeout 1800]

The spec is loaded and validated locally (same errors as `studio run`), sent as the
deployment's `spec` parameter, and the script waits for the run's final state, then prints
the summary (output video, report, model calls, cache hits). Uses PREFECT_API_URL (and
PREFECT_API_AUTH_STRING) when set, else the local stack's server (`studio up`) with its
stored credential. Exit code 0 only when the run Completed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", type=Path, help="job spec YAML")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="key=value")
    parser.add_argument("--deployment", default="creative-job/creative-job")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait")
    args = parser.parse_args()

    from contextlib import nullcontext

    from prefect.deployments import run_deployment

    from core.exceptions import StudioError
    from core.settings import get_settings
    from flows.spec import load_spec
    from studio import stack
    from studio.history import summary_fields

    try:
        spec = load_spec(args.spec, args.overrides)
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = get_settings()
    remote = os.environ.get("PREFECT_API_URL")
    if (
        remote
        and remote.rstrip("/") == stack.api_url(settings)
        and not os.environ.get("PREFECT_API_AUTH_STRING")
    ):
        remote = None  # the local stack after all: use its stored credential
    target = nullcontext() if remote else stack.prefect_settings(settings)
    with target:
        run = run_deployment(
            args.deployment,
            parameters={"spec": spec.model_dump(mode="json")},
            timeout=args.timeout,
        )
        state = run.state
        print(f"flow run {run.name} ({run.id}): {state.name if state else '?'}")
        if state is None or not state.is_final():
            print(f"still running after {args.timeout:.0f}s", file=sys.stderr)
            return 1
        summary = state.result(raise_on_failure=False)
    if isinstance(summary, dict):
        print(json.dumps(summary_fields(summary), indent=2))
    elif state.message:
        print(state.message, file=sys.stderr)
    return 0 if state.is_completed() else 1


if __name__ == "__main__":
    sys.exit(main())
