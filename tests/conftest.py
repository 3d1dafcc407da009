"""Fixtures shared by the whole suite.

Every test runs with its own PREFECT_HOME, STUDIO_HOME-derived state and a clean settings
cache, so no test sees another's results or the developer's machine. The CPU-tier model is
the one exception: it is large and read-only, so tests use the real one under the user's
studio home (``STUDIO_MODEL_HOME`` overrides).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The shared clips live beside the checkout (../shared/footage), for CI as for developers.
FOOTAGE_DIR = Path(
    os.environ.get("STUDIO_TEST_FOOTAGE_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "footage"
)
MEGAMIND = FOOTAGE_DIR / "Megamind.avi"
VTEST = FOOTAGE_DIR / "vtest.avi"

# === no silent skips in CI ===============================================================
# A test that needs a real component (Redis, the CPU tier, a Prefect server, Chromium, the
# shared footage) may skip on a developer's machine, but in CI (env CI set) such a skip would
# keep the run green without testing anything, so it becomes a failure. Locally the run ends
# with a list of what was not exercised.
REAL_COMPONENT_MARKERS = ("redis", "cpu_tier", "prefect_server", "browser")
_FOOTAGE_FIXTURES = ("megamind", "vtest")
_FOOTAGE_SKIP = "shared footage missing"
_real_skips: list[str] = []


def in_ci() -> bool:
    """True when env CI is set to anything but an empty, "0" or "false" value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _real_component(item: pytest.Item, message: str) -> str | None:
    """The real component a test needs, or None for a test whose skip is acceptable."""
    for name in REAL_COMPONENT_MARKERS:
        if item.get_closest_marker(name) is not None:
            return name
    fixtures = getattr(item, "fixturenames", ())
    if any(name in fixtures for name in _FOOTAGE_FIXTURES) or _FOOTAGE_SKIP in message:
        return "shared footage"
    return None


def _skip_message(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI, turn the skip of a real-component test into a failure with a one-line reason."""
    outcome: Any = yield
    report: pytest.TestReport = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    message = _skip_message(report)
    component = _real_component(item, message)
    if component is None:
        return
    if in_ci():
        report.outcome = "failed"
        report.longrepr = f"CI forbids skipping a {component} test: {message}"
    else:
        _real_skips.append(f"{item.nodeid} ({component}): {message}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """List the real-component tests that were skipped (locally; in CI they failed)."""
    if not _real_skips:
        return
    terminalreporter.section("real components not exercised", yellow=True)
    for line in _real_skips:
        terminalreporter.line(line)
    terminalreporter.line(f"{len(_real_skips)} real-component test(s) skipped; CI fails them")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from core.settings import Settings, get_settings

    real_model = Settings().model_path
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "studio-home"))
    monkeypatch.setenv("STUDIO_CPU_MODEL_PATH", str(real_model))
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    for name in list(os.environ):
        if name.startswith("STUDIO_") and name not in (
            "STUDIO_HOME",
            "STUDIO_CPU_MODEL_PATH",
            "STUDIO_CPU_PORT",
            "STUDIO_REDIS_URL",
        ):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def megamind() -> Path:
    if not MEGAMIND.exists():
        pytest.skip(f"shared footage missing: {MEGAMIND}")
    return MEGAMIND


@pytest.fixture
def vtest() -> Path:
    if not VTEST.exists():
        pytest.skip(f"shared footage missing: {VTEST}")
    return VTEST


# === inference fixtures (owner: inference-core) ==========================================
# `cpu_tier`: the real llama.cpp CPU tier for the session (mark such tests `cpu_tier`).
# `fake_openai` / `fake_openai_factory`: scripted fake OpenAI-compatible servers
# (tests/fakes/openai_server.py). `fake_inference`: every role routed to one fake server via
# STUDIO_ROUTING_FILE, so `inference.get_client()` talks to it.


# A request body's ``logit_bias`` that bans the CPU-tier model's end tokens (Qwen2.5's
# <|im_end|>, the GGUF's EOS, and <|endoftext|>): a request that must keep the tier busy then
# runs to its max_tokens. Asked to "count to 1000", the model sometimes shortens the count and
# stops within seconds, and a test of busy or cancelled generation then tests nothing (CI).
QWEN_NEVER_ENDS = {"151645": -100, "151643": -100}


@pytest.fixture(scope="session")
def cpu_tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``.../v1``) of this session's own CPU tier; its port is in STUDIO_CPU_PORT.

    The fixture always starts its own server, on a free port with a private home, and checks
    that what answers is that process serving the expected model. It never adopts a server
    already answering on 8088: that may be another checkout's, running other code.
    """
    import socket

    from core.exceptions import TierError
    from core.settings import Settings
    from inference.cpu_tier import CpuTier

    base = Settings()
    model = base.model_path
    if not model.is_file():
        try:
            from inference.model_file import ensure_model

            ensure_model(model)
        except TierError as exc:
            pytest.skip(f"CPU-tier model absent ({model}) and cannot be assembled: {exc}")
    with socket.socket() as free:
        free.bind((base.cpu_host, 0))
        port = int(free.getsockname()[1])
    home = tmp_path_factory.mktemp("cpu-tier-home")
    tier = CpuTier(
        base.model_copy(update={"cpu_port": port, "home": home, "cpu_model_path": model})
    )
    status = tier.up(timeout_s=180)
    previous = os.environ.get("STUDIO_CPU_PORT")
    os.environ["STUDIO_CPU_PORT"] = str(port)
    try:
        if not (status.running and status.managed and status.pid is not None):
            pytest.fail(f"the CPU tier on port {port} is not this session's server: {status}")
        cmdline = Path(f"/proc/{status.pid}/cmdline").read_bytes().split(b"\0")
        if str(model).encode() not in cmdline or str(port).encode() not in cmdline:
            pytest.fail(f"pid {status.pid} does not serve {model} on port {port}")
        yield f"http://{base.cpu_host}:{port}/v1"
    finally:
        tier.down()
        if previous is None:
            os.environ.pop("STUDIO_CPU_PORT", None)
        else:
            os.environ["STUDIO_CPU_PORT"] = previous


@pytest.fixture
def fake_openai_factory() -> Iterator[Any]:
    """Call with a name to get a started FakeOpenAI; all are stopped after the test."""
    from tests.fakes.openai_server import FakeOpenAI

    servers: list[FakeOpenAI] = []

    def make(name: str = "fake") -> FakeOpenAI:
        server = FakeOpenAI(name).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.kill()


@pytest.fixture
def fake_openai(fake_openai_factory: Any) -> Any:
    """One started FakeOpenAI (script it with ``.script(...)`` / ``.default(...)``)."""
    return fake_openai_factory("fake")


@pytest.fixture
def fake_inference(fake_openai: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Route every role (reasoning, vision, coder) to ``fake_openai``; returns the server."""
    from core.settings import get_settings
    from tests.fakes.openai_server import write_routing

    path = write_routing(tmp_path / "routing.yaml", fake_openai, profile="fake")
    monkeypatch.setenv("STUDIO_ROUTING_FILE", str(path))
    monkeypatch.setenv("STUDIO_PROFILE", "fake")
    get_settings.cache_clear()
    return fake_openai


# === end inference fixtures ===============================================================
