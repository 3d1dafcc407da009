"""Progress lines and Prefect artifacts of the creative job (never fail the job)."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["artifact", "count", "on_count", "on_progress", "say", "slug", "update_progress"]

_log = logging.getLogger("studio.job")

# The CLI prints these; Prefect's own logs stay quiet.
_listeners: list[Callable[[str], None]] = []
# Counted work (scenes analysed, clips done, frames decoded): ``(what, done, total)``.
Counter = Callable[[str, int, int | None], None]
_counters: list[Counter] = []


@contextlib.contextmanager
def on_progress(listener: Callable[[str], None]) -> Iterator[None]:
    """Receive one-line progress messages while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def say(message: str) -> None:
    """Log ``message`` and hand it to every progress listener."""
    _log.info(message)
    for listener in list(_listeners):
        with contextlib.suppress(Exception):
            listener(message)


@contextlib.contextmanager
def on_count(listener: Counter) -> Iterator[None]:
    """Receive ``(what, done, total)`` for counted work while the block runs (a display)."""
    _counters.append(listener)
    try:
        yield
    finally:
        _counters.remove(listener)


def count(what: str, done: int, total: int | None = None) -> None:
    """Report ``done`` of ``total`` units of ``what`` (e.g. ``"clips"``) to every listener."""
    for listener in list(_counters):
        with contextlib.suppress(Exception):
            listener(what, done, total)


def slug(text: str) -> str:
    """A file- and key-safe form of a job name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "job"


def artifact(kind: str, **kwargs: Any) -> Any:
    """Create a Prefect artifact; a failure to record one never fails the job."""
    from prefect import artifacts

    try:
        return getattr(artifacts, f"create_{kind}_artifact")(**kwargs)
    except Exception as exc:
        _log.warning("could not create %s artifact: %s", kind, exc)
        return None


def update_progress(artifact_id: Any, progress: float) -> None:
    """Move a progress artifact (a failure is only logged)."""
    if artifact_id is None:
        return
    from prefect.artifacts import update_progress_artifact

    try:
        update_progress_artifact(artifact_id=artifact_id, progress=progress)
    except Exception as exc:
        _log.debug("progress artifact update failed: %s", exc)
