"""Per-run state the step tasks reach by reference: the run's model client and settings.

A step body takes ``run_ref`` (a string, left out of every cache key) and looks the run up
here, so the client and settings it uses never become cache content or Prefect parameters.
``flows.creative_job`` registers a run before its steps and unregisters it after.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from core.settings import Settings

__all__ = ["register_run", "run_state", "unregister_run"]


@dataclass
class _RunState:
    client: Any
    settings: Settings


_runs: dict[str, _RunState] = {}
_runs_lock = threading.Lock()


def run_state(run_ref: str) -> _RunState:
    with _runs_lock:
        return _runs[run_ref]


def register_run(run_ref: str, client: Any, settings: Settings) -> None:
    """Let the step tasks reach ``client`` and ``settings`` through ``run_ref``."""
    with _runs_lock:
        _runs[run_ref] = _RunState(client=client, settings=settings)


def unregister_run(run_ref: str) -> None:
    """Forget a finished run."""
    with _runs_lock:
        _runs.pop(run_ref, None)
