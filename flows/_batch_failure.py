"""The batch's failure, in a module always imported by its package path.

A deployment's worker loads ``flows/batch_analysis.py`` by file path, as a module named
``batch_analysis``; a class defined there would be pickled into the run's persisted result
under that name, which no other process (``studio history``, the UI's result view) can
import. Defined here, it is pickled as ``flows._batch_failure.BatchFailure`` wherever the
flow was loaded from.
"""

from __future__ import annotations

from typing import Any

from core.exceptions import JobError

__all__ = ["BatchFailure"]


class BatchFailure(JobError):
    """Some clips of a batch failed; ``summary`` still lists everything that was done."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.summary: dict[str, Any] = summary or {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Results are pickled for persistence: keep the summary through the round trip.
        return (type(self), (str(self), self.summary))
