"""``studio.stack.prefect_settings``: flow runs started inside talk to the stack's server and
beat as its worker's do, so the crash automation never takes a live one for dead."""

from __future__ import annotations

from collections.abc import Callable

from core.settings import Settings
from studio import stack
from studio.heartbeat import HEARTBEAT_S
from tests.studio.conftest import engine_heartbeat_s


def test_flow_runs_inside_prefect_settings_beat_every_30s(
    prefect_started_with: Callable[..., None],
) -> None:
    from prefect.settings import get_current_settings

    prefect_started_with()  # nothing configured: Prefect's 180 s
    settings = Settings()
    with stack.prefect_settings(settings):
        assert get_current_settings().api.url == stack.api_url(settings)
        assert get_current_settings().flows.heartbeat_frequency == HEARTBEAT_S == 30
        assert engine_heartbeat_s() == 30
    assert engine_heartbeat_s() == 180


def test_a_slower_user_frequency_gives_way_inside_prefect_settings(
    prefect_started_with: Callable[..., None],
) -> None:
    prefect_started_with(PREFECT_FLOWS_HEARTBEAT_FREQUENCY="120")
    with stack.prefect_settings(Settings()):
        assert engine_heartbeat_s() == HEARTBEAT_S


def test_the_worker_environment_beats_every_30s() -> None:
    env = stack.prefect_env(Settings(), base={"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "180"})
    assert env["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == str(HEARTBEAT_S)
