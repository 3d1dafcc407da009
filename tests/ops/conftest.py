"""Fixtures of the operations tests: one real Prefect server per session, started by
``studio.stack`` itself (so ``studio up``'s server start is exercised), plus helpers to point
this process's Prefect client at it.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from tests.conftest import FOOTAGE_DIR
from tests.fakes.openai_server import FakeOpenAI, write_routing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def ops_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a private stack: its own home, Prefect home, port and pool name."""
    home = tmp_path_factory.mktemp("ops-home")
    return Settings(
        home=home,
        prefect_port=free_port(),
        work_pool="ops-test-pool",
        footage_dir=home / "footage",
        library_dir=home / "library",
    )


@pytest.fixture(scope="session")
def prefect_server(ops_settings: Settings) -> Iterator[Settings]:
    """A real Prefect server (SQLite under a temp PREFECT_HOME) for the whole session."""
    from studio import stack

    # Fast scheduling so a scheduled run is created within seconds; only the server process
    # sees it (the environment is restored so other areas' tests are unaffected).
    fast = {
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    }
    saved = {name: os.environ.get(name) for name in fast}
    os.environ.update(fast)
    started = time.monotonic()
    try:
        stack.start_server(ops_settings)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    print(f"prefect server healthy after {time.monotonic() - started:.1f}s")
    yield ops_settings
    from prefect.logging.handlers import APILogHandler

    with stack.prefect_settings(ops_settings):
        APILogHandler().flush()  # ship buffered run logs before the server goes away
    stack.down(ops_settings)


@pytest.fixture(scope="session")
def session_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeOpenAI, Path]]:
    """One fake OpenAI server for runs executed by the worker (other processes)."""
    server = FakeOpenAI("fake-session").start()
    routing = write_routing(
        tmp_path_factory.mktemp("routing") / "routing.yaml", server, vision=True
    )
    yield server, routing
    server.stop()


@pytest.fixture(scope="session")
def prefect_worker(
    prefect_server: Settings,
    session_fake: tuple[FakeOpenAI, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, int]]:
    """``studio worker`` for the test pool (flow runs use the fake server), with metrics."""
    from studio import stack

    stack.ensure_work_pool(prefect_server)
    metrics_port = free_port()
    env = {
        "STUDIO_ROUTING_FILE": str(session_fake[1]),
        "STUDIO_PROFILE": "fake",
        "STUDIO_METRICS_PORT": str(metrics_port),
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_WORKER_PREFETCH_SECONDS": "5",
        # Deployment runs are confined (issue 18): the tests' clips and temp folders.
        "STUDIO_FOOTAGE_ROOTS": f"{FOOTAGE_DIR},{tmp_path_factory.getbasetemp()}",
        "STUDIO_OUTPUT_ROOT": str(tmp_path_factory.getbasetemp()),
    }
    stack.start_worker(prefect_server, env=env)
    yield prefect_server, metrics_port


@pytest.fixture(scope="session")
def deployed(prefect_server: Settings) -> Settings:
    """The work pool and prefect.yaml's deployments, registered once per session."""
    from studio import stack

    stack.ensure_work_pool(prefect_server)
    stack.deploy(prefect_server)
    return prefect_server


@pytest.fixture
def prefect_api(prefect_server: Settings) -> Iterator[Settings]:
    """Point this process's Prefect client at the session server for one test."""
    from studio import stack

    with stack.prefect_settings(prefect_server):
        yield prefect_server


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parents[1] / "_artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Flag failed calls so the browser fixture can save a screenshot."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.ui_failed = True  # type: ignore[attr-defined]
