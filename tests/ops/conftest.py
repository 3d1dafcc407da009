"""Fixtures of the operations tests: one real Prefect server per session, started by
``studio.stack`` itself (so ``studio up``'s server start is exercised) on a throwaway
PostgreSQL database (dropped at the end; SQLite where no PostgreSQL answers), plus helpers
to point this process's Prefect client at it. A failed test that used the server gets the
server's log attached to its report and copied to tests/_artifacts/.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from core.settings import Settings, get_settings
from tests.conftest import FOOTAGE_DIR
from tests.fakes.openai_server import FakeOpenAI, Reply, write_routing

if TYPE_CHECKING:
    from studio.database import Backend

ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"


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


def server_log(settings: Settings) -> Path:
    """The log of the Prefect server ``studio.stack`` started for these settings."""
    from studio.stack import StackPaths

    return StackPaths.of(settings).logs / "prefect-server.log"


def server_log_tail(settings: Settings, lines: int = 60) -> str:
    """The server log's last lines, to put in an assertion message."""
    path = server_log(settings)
    text = path.read_text(errors="replace") if path.exists() else "(no server log)"
    return f"--- {path} (last {lines} lines) ---\n" + "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def prefect_database(ops_settings: Settings) -> Iterator[Backend]:
    """The session server's database: its own PostgreSQL role and database, dropped after."""
    from studio import database

    backend = database.choose(ops_settings)
    print(backend.description)
    yield backend
    if backend.kind == "postgresql":
        print(database.drop(ops_settings))


@pytest.fixture(scope="session")
def prefect_server(ops_settings: Settings, prefect_database: Backend) -> Iterator[Settings]:
    """A real Prefect server for the whole session, on ``prefect_database``."""
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
        print(stack.start_server(ops_settings, database=prefect_database))
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


# What ``fake_vision`` answers for every scene (it fits the shared clip Megamind.avi).
VISION_ANSWER = {
    "summary": "A blue-skinned supervillain grins in a dim observatory.",
    "subjects": ["supervillain", "observatory"],
    "mood": "mischievous",
    "composition": "centered medium shot, cool palette",
    "motion": "slow push in",
    "edit_suggestions": ["hold on the grin"],
}


@pytest.fixture
def fake_vision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A scripted vision deployment answering ``VISION_ANSWER``, made this test's routing."""
    server = FakeOpenAI("fake-vision").start()
    server.default(Reply.json(VISION_ANSWER))
    routing = write_routing(tmp_path / "routing.yaml", server, vision=True)
    monkeypatch.setenv("STUDIO_ROUTING_FILE", str(routing))
    monkeypatch.setenv("STUDIO_PROFILE", "fake")
    get_settings.cache_clear()
    yield server
    server.stop()


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
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """Flag failed calls (the browser fixture saves a screenshot) and keep the server log."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.ui_failed = True  # type: ignore[attr-defined]
        settings = getattr(item, "funcargs", {}).get("prefect_server")
        if isinstance(settings, Settings) and server_log(settings).exists():
            # The whole log beside the screenshot, its tail in the report itself: a 503's
            # cause is only ever written there.
            ARTIFACTS.mkdir(exist_ok=True)
            kept = ARTIFACTS / f"{item.name}.prefect-server.log"
            kept.write_bytes(server_log(settings).read_bytes())
            report.sections.append(
                ("prefect server log", f"kept in {kept}\n" + server_log_tail(settings))
            )
