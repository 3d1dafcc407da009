"""Fixtures of the fault tests: the ops tests' session Prefect server (its own instance, own
work pool, so nothing here disturbs the ops tests' worker), prefect.yaml deployed on it, and
workers these tests start, kill and restart themselves.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from tests.faults.workers import Worker
from tests.ops.conftest import (
    deployed,
    free_port,
    prefect_api,
    prefect_database,
    prefect_server,
    pytest_runtest_makereport,
)

__all__ = [
    "Worker",
    "deployed",
    "ops_settings",
    "prefect_api",
    "prefect_database",
    "prefect_server",
    "pytest_runtest_makereport",
]


@pytest.fixture(scope="session")
def ops_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private stack for the fault tests: own home, port and work pool."""
    home = tmp_path_factory.mktemp("faults-home")
    return Settings(
        home=home,
        prefect_port=free_port(),
        work_pool="faults-pool",
        footage_dir=home / "footage",
        library_dir=home / "library",
    )


@pytest.fixture
def start_worker(deployed: Settings, tmp_path: Path) -> Iterator[object]:
    """Start workers for the fault pool with extra environment; all stopped after the test."""
    started: list[Worker] = []

    def start(env: dict[str, str], name: str = "worker") -> Worker:
        worker = Worker(deployed, env, tmp_path / f"{name}-{len(started)}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    time.sleep(0.1)
