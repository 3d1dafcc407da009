"""The one retry condition of every Prefect task: retry only transient inference failures."""

from __future__ import annotations

from typing import Any

from prefect.client.schemas.objects import State

from core.exceptions import is_transient

__all__ = ["retry_transient"]


def retry_transient(task: Any, task_run: Any, state: State[Any]) -> bool:
    """Prefect ``retry_condition_fn``: True when the failed state holds a transient error.

    The exception is read from the state's data when Prefect kept it in memory, else from
    its persisted result.
    """
    data = state.data
    if isinstance(data, BaseException):
        return is_transient(data)
    try:
        exc = state.result(raise_on_failure=False)
    except Exception:
        return False
    return isinstance(exc, BaseException) and is_transient(exc)
