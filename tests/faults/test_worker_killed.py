"""A worker SIGKILLed (with the flow run under it) while a creative job runs: the run does
not stay Running. The recovery automations (``studio.recovery``) mark it Crashed once its
heartbeats stop, schedule it again, and a worker re-runs it; the steps finished before the
kill come from the step cache, so the model is not asked again for them.
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from tests.fakes.openai_server import FakeOpenAI, Gate, Reply, write_routing
from tests.flows.conftest import ANALYSIS, EXAMPLE_CLIP, INTENT

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]

GRACE_S = 40.0  # silence before Crashed (the product's default is 90 s)


def _states(run_id: Any) -> list[Any]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return sorted(client.read_flow_run_states(run_id), key=lambda s: s.timestamp)


def _wait(condition: Any, timeout: float, what: str, step: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"{what}: not after {timeout:.0f}s")


@pytest.fixture
def recovery(prefect_api: Settings) -> Iterator[None]:
    """The recovery automations at this test's short grace, removed afterwards.

    The session's server outlives the test: a later flow run there must not meet a 40 s grace.
    """
    from prefect.client.orchestration import get_client

    from studio.recovery import CRASH_AUTOMATION, RERUN_AUTOMATION, ensure_recovery
    from studio.stack import prefect_settings

    print(ensure_recovery(prefect_api, grace_s=GRACE_S))
    yield
    with prefect_settings(prefect_api), get_client(sync_client=True) as client:
        for name in (CRASH_AUTOMATION, RERUN_AUTOMATION):
            for automation in client.read_automations_by_name(name):
                client.delete_automation(automation.id)


def test_killed_worker_run_is_crashed_then_rerun_from_the_cache(
    prefect_api: Settings, start_worker: Any, tmp_path: Path, recovery: None
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    tag = uuid.uuid4().hex[:6]  # fresh deployment ids: nothing cached by an earlier test
    held = threading.Event()
    fakes = {
        "reasoning": FakeOpenAI(f"reasoning-{tag}").default(Reply.json(INTENT)).start(),
        "vision": FakeOpenAI(f"vision-{tag}")
        .script(Reply.json(ANALYSIS), Gate(held, timeout_s=400))
        .default(Reply.json(ANALYSIS))
        .start(),
        "coder": FakeOpenAI(f"coder-{tag}").start(),
    }
    routing = write_routing(
        tmp_path / "routing.yaml",
        {role: [fake] for role, fake in fakes.items()},
        vision=True,
        timeout=600.0,  # the held call must not time out before the kill
        max_parallel_requests=1,  # scenes one after another: one done, one held
    )
    clip = shutil.copy(EXAMPLE_CLIP, tmp_path / "clip.mp4")
    spec = {
        "name": f"killed-{tag}",
        "request": "Cut a short teaser that keeps the hard cuts.",
        "footage": [str(clip)],
        "output_dir": str(tmp_path / "out"),
        "steps": ["understand_intent", "sample_frames", "analyze_frames"],
        "sample_frames": {"strategy": "scene", "max_frames": 4},
    }
    env = {"STUDIO_ROUTING_FILE": str(routing), "STUDIO_PROFILE": "fake"}
    try:
        worker = start_worker(env, name="doomed")
        run = run_deployment("creative-job/creative-job", parameters={"spec": spec}, timeout=0)
        _wait(
            lambda: fakes["vision"].chat_count >= 2,
            240,
            f"the job never reached its second scene\n{worker.tail()}",
        )
        assert fakes["reasoning"].chat_count == 1 and fakes["vision"].chat_count == 2
        killed = worker.kill()
        killed_at = time.monotonic()
        print(f"SIGKILLed the worker and its flow run: pids {killed}")
        replacement = start_worker(env, name="replacement")

        def rerun_over() -> bool:
            state = client.read_flow_run(run.id).state
            return bool(state and state.is_final() and not state.is_crashed())

        with get_client(sync_client=True) as client:
            _wait(
                rerun_over,
                GRACE_S + 200,
                f"the killed run never finished again\n{replacement.tail()}",
                step=1.0,
            )
            final = client.read_flow_run(run.id)
        print(f"re-run finished {time.monotonic() - killed_at:.0f}s after the kill")
    finally:
        held.set()
        for fake in fakes.values():
            fake.stop()

    names = [s.name for s in _states(run.id)]
    assert "Crashed" in names, names
    crashed = names.index("Crashed")
    assert names[:crashed].count("Running") == 1 and "Running" in names[crashed:], names
    assert final.state.is_completed(), f"{final.state}\n{replacement.tail()}"
    assert final.run_count == 2
    summary = final.state.result()
    scenes = len(summary["scenes"])
    assert scenes >= 3, summary
    # Done before the kill, so not asked again: the intent and the first scene.
    assert fakes["reasoning"].chat_count == 1
    assert fakes["vision"].chat_count == scenes + 1  # the held scene was asked twice
    assert summary["llm_calls"] == scenes - 1
    assert summary["cache_hits"] >= 2
