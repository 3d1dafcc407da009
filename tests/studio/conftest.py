"""Prefect's settings as a freshly started process would read them, for the heartbeat tests."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def prefect_started_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., None]]:
    """Call it with PREFECT_* variables: Prefect then reads its settings from those alone.

    Prefect reads its environment once, at import, so a test that wants "PREFECT_API_URL not
    set" enters a settings context built from the environment it sets (the developer's
    profile, ``.env`` and ``prefect.toml`` left out), until the test ends.
    """
    from prefect.context import SettingsContext
    from prefect.settings import Settings

    monkeypatch.chdir(tmp_path)  # no .env or prefect.toml of the checkout's
    with contextlib.ExitStack() as contexts:

        def start(**env: str) -> None:
            for name in list(os.environ):
                if name.startswith("PREFECT_") and name != "PREFECT_HOME":
                    monkeypatch.delenv(name)
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            profile = SettingsContext.get()
            assert profile is not None
            contexts.enter_context(SettingsContext(profile=profile.profile, settings=Settings()))

        yield start


def engine_heartbeat_s() -> int | None:
    """The heartbeat interval Prefect's flow engine would give a flow run started now."""
    from prefect import flow
    from prefect.flow_engine import FlowRunEngine

    @flow
    def tiny() -> None:
        return None

    return FlowRunEngine(flow=tiny).heartbeat_seconds


def command_app(register: Callable[[Any], None]) -> Any:
    """A Typer app holding the commands ``register`` adds, by name as under ``studio``."""
    import typer

    app = typer.Typer()
    app.callback()(_group)
    register(app)
    return app


def _group() -> None:
    """A command group."""
