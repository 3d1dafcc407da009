"""A fleet of creative jobs submitted at once against one model server of bounded capacity.

Shared by ``tests/faults/test_job_fleet.py`` (what must hold) and ``benchmarks/job_fleet.py``
(the numbers). Every job gets its own clip and request (so no job is answered from another's
cache), all are submitted together with ``run_deployment`` from a barrier, and a worker runs
them as separate processes. The fake server takes ``capacity`` requests at once (one more gets
a 503 and is counted), spends ``service_s`` on each, and records the most it ever had in
flight. The makespan's lower bound is the model work (requests x ``service_s``) over the
capacity.
"""

from __future__ import annotations

import contextvars
import statistics
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.settings import Settings
from tests.fakes.openai_server import FakeOpenAI, Reply, write_routing
from tests.faults.clips import write_clip

__all__ = ["FleetResult", "fleet_backend", "run_fleet"]

# One answer that is both a valid intent and a valid frame analysis (extra keys are ignored),
# so one server can play every role.
ANSWER = {
    "goal": "A short teaser of the moving block.",
    "style_and_mood": "calm",
    "target_audience": "anyone",
    "success_criteria": ["under 5 seconds"],
    "technical_challenges": ["tiny frames"],
    "summary": "A bright block slides across a flat ground.",
    "subjects": ["block"],
    "mood": "calm",
    "composition": "centred block",
    "motion": "slides right",
    "edit_suggestions": ["keep the slide"],
}


@dataclass
class FleetResult:
    """What a fleet run measured."""

    jobs: int
    completed: int
    states: dict[str, int]
    capacity: int
    service_s: float
    requests: int
    max_in_flight: int
    rejected: int
    makespan_s: float
    model_span_s: float  # the server's first request to its last answer
    lower_bound_s: float
    longest_slot_wait_s: float
    job_latency_p50_s: float
    job_latency_max_s: float
    slot_waits_s: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Makespan over its lower bound (1.0 is perfect)."""
        return self.makespan_s / self.lower_bound_s if self.lower_bound_s else float("inf")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, with the ratio."""
        return {**asdict(self), "makespan_over_lower_bound": round(self.ratio, 3)}


def fleet_backend(folder: Path, capacity: int, service_s: float) -> tuple[FakeOpenAI, Path]:
    """The bounded fake server and a routing file whose roles it all serves."""
    server = FakeOpenAI(f"fleet-{uuid.uuid4().hex[:6]}", capacity=capacity, service_s=service_s)
    server.default(Reply.json(ANSWER)).start()
    routing = write_routing(
        folder / "fleet-routing.yaml",
        server,
        vision=True,
        timeout=120.0,
        max_parallel_requests=capacity,
    )
    return server, routing


def _specs(folder: Path, jobs: int) -> list[dict[str, Any]]:
    tag = uuid.uuid4().hex[:8]
    specs = []
    for n in range(jobs):
        clip = write_clip(folder / f"fleet-{tag}-{n:02d}.mp4", seed=int(tag, 16) % 10_000 + n)
        specs.append(
            {
                "name": f"fleet-{n:02d}",
                "request": f"Job {n} of fleet {tag}: a short teaser of the moving block.",
                "footage": [str(clip)],
                "output_dir": str(folder / f"out-{n:02d}"),
                "steps": ["understand_intent", "sample_frames", "analyze_frames"],
                "sample_frames": {"strategy": "uniform", "max_frames": 3},
            }
        )
    return specs


def _submit_at_once(specs: list[dict[str, Any]]) -> list[Any]:
    from prefect.deployments import run_deployment

    barrier = threading.Barrier(len(specs))
    runs: list[Any] = [None] * len(specs)
    errors: list[str] = []

    def one(index: int) -> None:
        barrier.wait()
        try:
            runs[index] = run_deployment(
                "creative-job/creative-job", parameters={"spec": specs[index]}, timeout=0
            )
        except Exception as exc:
            errors.append(f"job {index}: {type(exc).__name__}: {exc}")

    # Each thread runs in a copy of this context: the Prefect settings (API URL, credential)
    # are context variables, which a bare thread would not see.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(one, i))
        for i in range(len(specs))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    if errors:
        raise AssertionError("submissions failed:\n" + "\n".join(errors))
    return runs


def run_fleet(
    settings: Settings,
    server: FakeOpenAI,
    folder: Path,
    *,
    jobs: int = 20,
    timeout_s: float = 480.0,
) -> FleetResult:
    """Submit ``jobs`` creative jobs at once and wait for all (a worker must be running)."""
    from prefect.client.orchestration import get_client

    from studio.stack import prefect_settings

    capacity = int(server.capacity or 0)
    specs = _specs(folder, jobs)
    before = server.chat_count
    with prefect_settings(settings):
        submitted = time.time()
        runs = _submit_at_once(specs)
        deadline = time.monotonic() + timeout_s
        finished: dict[Any, Any] = {}
        with get_client(sync_client=True) as client:
            while len(finished) < jobs and time.monotonic() < deadline:
                for run in runs:
                    if run.id not in finished:
                        current = client.read_flow_run(run.id)
                        if current.state and current.state.is_final():
                            finished[run.id] = current
                time.sleep(1.0)
            for run in runs:
                finished.setdefault(run.id, client.read_flow_run(run.id))
        results = [finished[run.id] for run in runs]
        waits = []
        for run in results:
            if run.state.is_completed():
                waits.append(float(run.state.result().get("model_slot_wait_s", 0.0)))
    states: dict[str, int] = {}
    for run in results:
        states[run.state.name] = states.get(run.state.name, 0) + 1
    ends = [r.end_time.timestamp() for r in results if r.end_time]
    latencies = [end - submitted for end in ends]
    requests = server.chat_count - before
    spans = server.spans[-requests:] if requests else []
    return FleetResult(
        jobs=jobs,
        completed=states.get("Completed", 0),
        states=states,
        capacity=capacity,
        service_s=server.service_s,
        requests=requests,
        max_in_flight=server.max_in_flight,
        rejected=server.rejected,
        makespan_s=round(max(ends, default=submitted) - submitted, 2),
        model_span_s=round(max(e for _, e in spans) - min(a for a, _ in spans), 2)
        if spans
        else 0.0,
        lower_bound_s=round(requests * server.service_s / capacity, 2) if capacity else 0.0,
        longest_slot_wait_s=round(max(waits, default=0.0), 2),
        job_latency_p50_s=round(statistics.median(latencies), 2) if latencies else 0.0,
        job_latency_max_s=round(max(latencies, default=0.0), 2),
        slot_waits_s=sorted(round(w, 2) for w in waits),
    )
