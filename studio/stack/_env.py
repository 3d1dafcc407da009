"""Where the stack keeps its state, and the environment its Prefect processes run with."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings
from studio.heartbeat import flow_run_heartbeats, server_env

__all__ = ["REPO_DIR", "StackPaths", "api_url", "prefect_env", "prefect_settings"]

REPO_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class StackPaths:
    """Where the stack keeps its state."""

    run: Path
    logs: Path
    prefect_home: Path
    metrics: Path

    @classmethod
    def of(cls, settings: Settings) -> StackPaths:
        """Derive the paths from settings (``prefect_home`` defaults under ``home``)."""
        return cls(
            run=settings.home / "run",
            logs=settings.home / "logs",
            prefect_home=settings.prefect_home or settings.home / "prefect",
            metrics=settings.home / "metrics",
        )


def api_url(settings: Settings) -> str:
    """The Prefect API URL of the stack's server."""
    return f"http://{settings.prefect_host}:{settings.prefect_port}/api"


def prefect_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for Prefect processes of this stack (server, worker, deploy).

    Args:
        settings: The studio settings.
        base: Environment to extend; default the current one.
    """
    paths = StackPaths.of(settings)
    env = dict(os.environ if base is None else base)
    env.update(
        PREFECT_HOME=str(paths.prefect_home),
        PREFECT_API_URL=api_url(settings),
        PREFECT_SERVER_API_HOST=settings.prefect_host,
        PREFECT_SERVER_API_PORT=str(settings.prefect_port),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # A 503 (a locked SQLite file, a lost database connection) is otherwise not logged
        # at all, and the log is the only place its cause can be read afterwards.
        PREFECT_SERVER_LOG_RETRYABLE_ERRORS="true",
        PREFECT_UI_ENABLED=env.get("PREFECT_UI_ENABLED", "true"),
        # Flow return values (the job and batch summaries) are what `studio history` reads.
        PREFECT_RESULTS_PERSIST_BY_DEFAULT="true",
        # A request waiting for a model server's slot (flows/_model_slots.py) polls again
        # within 2 s, not Prefect's default of up to 30 s (slots there last about a second).
        PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS="2",
        # What prefect.yaml's {{ $VAR }} placeholders resolve to at deploy time.
        STUDIO_REPO_DIR=str(REPO_DIR),
        STUDIO_WORK_POOL=settings.work_pool,
        STUDIO_FOOTAGE_DIR=str(settings.footage_dir or settings.home / "footage"),
        STUDIO_LIBRARY_DIR=str(settings.library_dir or settings.home / "library"),
        STUDIO_HOME=str(settings.home),
        STUDIO_JOB_ROOTS=_job_roots_text(settings),
    )
    # Runs prove they are alive; studio.recovery crashes and re-runs the silent ones.
    env.update(server_env())
    return _auth_env(settings, env)


def _job_roots_text(settings: Settings) -> str:
    from flows.admission import job_roots

    return job_roots(settings, via_deployment=True).describe()


def _auth_env(settings: Settings, env: dict[str, str]) -> dict[str, str]:
    # Issue 18: every client the stack starts authenticates (studio.credential); only the
    # server process itself gets the server-side copy (start_server adds it).
    from studio.credential import SERVER_AUTH_ENV, client_env

    env.pop(SERVER_AUTH_ENV, None)
    return client_env(settings, env)


@contextlib.contextmanager
def prefect_settings(settings: Settings) -> Iterator[None]:
    """Point this process's Prefect client at the stack's server for a block of code.

    Flow runs started inside send heartbeats every ``HEARTBEAT_S`` (``studio.heartbeat``), as
    the worker's do: the server's crash automation would mark slower ones Crashed.
    """
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    from studio.credential import read_credential

    updates: dict[Any, Any] = {PREFECT_API_URL: api_url(settings)}
    credential = read_credential(settings)
    if credential is not None:
        updates[PREFECT_API_AUTH_STRING] = credential
    with temporary_settings(updates=updates), flow_run_heartbeats():
        yield
