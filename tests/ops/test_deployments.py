"""prefect.yaml registers against a real server; a scheduled run fires and a worker runs it;
history lists it; the worker's Prometheus exporter shows what the run did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.settings import Settings
from tests.fakes.openai_server import FakeOpenAI, Reply

pytestmark = pytest.mark.prefect_server

REPO = Path(__file__).resolve().parents[2]


def test_prefect_yaml_deployments_register(deployed: Settings, prefect_api: Settings) -> None:
    from prefect.client.orchestration import get_client

    from studio import stack

    assert "exists" in stack.ensure_work_pool(prefect_api)
    stack.deploy(prefect_api)  # re-deploying updates, never duplicates
    with get_client(sync_client=True) as client:
        job = client.read_deployment_by_name("creative-job/creative-job")
        batch = client.read_deployment_by_name("footage-batch-analysis/footage-batch-analysis")
        names = [d.name for d in client.read_deployments()]
    assert sorted(names).count("creative-job") == 1

    # creative-job: on demand, JobSpec form, enforced schema, runs from this checkout.
    assert job.enforce_parameter_schema is True
    assert job.work_pool_name == prefect_api.work_pool
    assert not job.schedules
    schema = job.parameter_openapi_schema
    assert schema["required"] == ["spec"]
    spec_props = schema["definitions"]["JobSpec"]["properties"]
    assert {"name", "request", "footage", "output_dir"} <= set(spec_props)
    assert job.pull_steps == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}
    ]

    # footage-batch-analysis: nightly cron with its own parameters.
    assert batch.enforce_parameter_schema is True
    assert [s.schedule.cron for s in batch.schedules] == ["0 2 * * *"]
    assert batch.parameters["folder"] == str(prefect_api.footage_dir)
    assert batch.parameters["output"] == str(prefect_api.library_dir)
    assert batch.parameters["glob"] == "**/*"
    assert set(batch.parameter_openapi_schema["properties"]) >= {
        "folder",
        "glob",
        "focus",
        "output",
    }


def test_enforced_schema_rejects_bad_parameters(deployed: Settings, prefect_api: Settings) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import PrefectHTTPStatusError

    with get_client(sync_client=True) as client:
        job = client.read_deployment_by_name("creative-job/creative-job")
        with pytest.raises(PrefectHTTPStatusError) as info:
            client.create_flow_run_from_deployment(
                job.id, parameters={"spec": {"name": "x", "unknown_key": 1}}
            )
    assert info.value.response.status_code == 409


def _wait_for_run(deployment_id: Any, timeout: float) -> Any:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            runs = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
            )
            done = [r for r in runs if r.state and r.state.is_final()]
            if done:
                return done[0], runs
            time.sleep(1)
    raise AssertionError(f"no run of the scheduled deployment finished in {timeout}s: {runs}")


@pytest.mark.slow
def test_scheduled_run_fires_on_the_worker_and_history_lists_it(
    prefect_api: Settings,
    prefect_worker: tuple[Settings, int],
    session_fake: tuple[FakeOpenAI, Path],
    tmp_path: Path,
    megamind: Path,
) -> None:
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.schedules import IntervalSchedule

    from studio.history import recent_runs

    _, metrics_port = prefect_worker
    fake, _ = session_fake
    fake.default(Reply.json({"summary": "a grinning blue villain", "subjects": ["villain"]}))
    before = fake.chat_count  # the fake serves the whole session: count this run's calls only
    folder = tmp_path / "footage"
    folder.mkdir()
    (folder / "clip.avi").symlink_to(megamind)
    library = tmp_path / "library"

    source = flow.from_source(str(REPO), "flows/batch_analysis.py:batch_analysis")
    # First firing a few seconds after the deployment exists (registering it takes a moment;
    # a slot already past when it lands would push the first run a whole interval away),
    # the next one long after the test: exactly one run.
    schedule = IntervalSchedule(
        interval=timedelta(seconds=60), anchor_date=datetime.now(UTC) + timedelta(seconds=12)
    )
    deployment_id = source.deploy(
        name="every-minute",
        work_pool_name=prefect_api.work_pool,
        schedules=[schedule],
        parameters={"folder": str(folder), "output": str(library), "max_frames": 3},
        build=False,
        push=False,
        print_next_steps=False,
    )
    started = time.monotonic()
    try:
        run, _ = _wait_for_run(deployment_id, timeout=150)
    finally:
        with get_client(sync_client=True) as client:
            client.pause_deployment(deployment_id)  # stop the schedule
    print(f"scheduled run finished {time.monotonic() - started:.1f}s after deploying")
    assert run.state.is_completed(), run.state
    assert (library / "catalog.sqlite").is_file()
    calls = fake.chat_count - before
    assert calls >= 1

    rows = recent_runs(limit=20)
    mine = next(r for r in rows if r.id == str(run.id))
    assert mine.flow == "footage-batch-analysis"
    assert mine.deployment == "every-minute"
    assert mine.state == "Completed"
    assert mine.duration_s and mine.duration_s > 0
    assert mine.llm_calls == calls and mine.cache_hits == 0
    assert mine.output == str(library)

    # The same through the CLI, as a user runs it.
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        STUDIO_HOME=str(prefect_api.home),
        STUDIO_PREFECT_PORT=str(prefect_api.prefect_port),
    )
    cli = subprocess.run(
        [
            sys.executable,
            "-c",
            "from studio.cli import main; main()",
            "history",
            "--json",
            "-n",
            "5",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    listed = json.loads(cli.stdout)
    assert any(r["id"] == str(run.id) and r["llm_calls"] == calls for r in listed), listed
    import typer
    from typer.testing import CliRunner

    from core.settings import get_settings
    from studio.cli import _ops

    app = typer.Typer()
    _ops.register(app)
    get_settings.cache_clear()
    table = CliRunner().invoke(app, ["history", "-n", "5"], env=env, catch_exceptions=False)
    get_settings.cache_clear()
    assert table.exit_code == 0, table.output
    header, *lines = table.output.splitlines()
    assert header.split()[:4] == ["start", "flow", "run", "state"]
    line = next(x for x in lines if run.name[:20] in x)
    assert "footage-batch-analysis" in line and "Completed" in line and str(library) in line

    # The worker's exporter merged the flow-run process's metrics.
    text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
    assert 'studio_jobs_total{flow="footage-batch-analysis",state="Completed"}' in text
    ok_calls = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("studio_model_calls_total{") and 'outcome="ok"' in line
    ]
    assert sum(ok_calls) >= calls
    assert "studio_step_duration_seconds_bucket" in text


def test_the_same_flows_deploy_to_a_kubernetes_pool(
    deployed: Settings, prefect_api: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client

    from studio import stack
    from studio.heartbeat import HEARTBEAT_S

    env = stack.prefect_env(prefect_api)
    created = subprocess.run(
        [
            str(Path(sys.executable).with_name("prefect")),
            "work-pool",
            "create",
            "studio-kubernetes",
            "--type",
            "kubernetes",
            "--overwrite",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    monkeypatch.setenv("STUDIO_IMAGE", "registry.example/studio:test")
    try:
        stack.deploy(prefect_api, prefect_file=REPO / "deployments" / "k8s" / "prefect.yaml")
        with get_client(sync_client=True) as client:
            pool = client.read_work_pool("studio-kubernetes")
            job = client.read_deployment_by_name("creative-job/creative-job")
            batch = client.read_deployment_by_name("footage-batch-analysis/footage-batch-analysis")
        assert pool.type == "kubernetes"
        # The pool's job template takes the image and namespace the deployment sets.
        assert {"image", "namespace", "env"} <= set(
            pool.base_job_template["variables"]["properties"]
        )
        for deployment in (job, batch):
            assert deployment.work_pool_name == "studio-kubernetes"
            assert deployment.job_variables["image"] == "registry.example/studio:test"
            assert deployment.job_variables["env"]["STUDIO_PROFILE"] == "vllm"
            # Its pods' runs beat as often as studio.recovery's crash automation expects.
            heartbeat = deployment.job_variables["env"]["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"]
            assert heartbeat == str(HEARTBEAT_S)
        assert job.enforce_parameter_schema and job.parameter_openapi_schema["required"] == ["spec"]
        assert [s.schedule.cron for s in batch.schedules] == ["0 2 * * *"]
    finally:
        stack.deploy(prefect_api)  # back to the local process pool for the other tests
    with get_client(sync_client=True) as client:
        assert client.read_deployment_by_name("creative-job/creative-job").work_pool_name == (
            prefect_api.work_pool
        )
