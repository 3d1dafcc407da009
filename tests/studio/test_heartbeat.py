"""The heartbeat of flow runs started in this process: every 30 s against a configured server
(the crash automation's grace is three of them), none under Prefect's temporary server."""

from __future__ import annotations

from collections.abc import Callable

from studio.heartbeat import HEARTBEAT_S, flow_run_heartbeats
from tests.studio.conftest import engine_heartbeat_s

SERVER = "http://127.0.0.1:9/api"  # never contacted


def test_runs_under_the_temporary_server_send_no_heartbeats(
    prefect_started_with: Callable[..., None],
) -> None:
    prefect_started_with()  # no PREFECT_API_URL: Prefect's temporary server
    assert engine_heartbeat_s() == 180  # Prefect's default: a 0-1 s join at every run's end
    with flow_run_heartbeats():
        assert engine_heartbeat_s() is None
    assert engine_heartbeat_s() == 180


def test_a_frequency_the_user_set_is_kept_under_the_temporary_server(
    prefect_started_with: Callable[..., None],
) -> None:
    prefect_started_with(PREFECT_FLOWS_HEARTBEAT_FREQUENCY="60")
    with flow_run_heartbeats():
        assert engine_heartbeat_s() == 60


def test_runs_against_a_configured_server_beat_every_30s(
    prefect_started_with: Callable[..., None],
) -> None:
    prefect_started_with(PREFECT_API_URL=SERVER)
    assert engine_heartbeat_s() == 180  # Prefect's default: longer than the 90 s grace
    with flow_run_heartbeats():
        assert engine_heartbeat_s() == HEARTBEAT_S == 30


def test_a_slower_frequency_the_user_set_gives_way_against_a_server(
    prefect_started_with: Callable[..., None],
) -> None:
    # 60 s would leave one missed heartbeat of margin in the 90 s grace, not two.
    prefect_started_with(PREFECT_API_URL=SERVER, PREFECT_FLOWS_HEARTBEAT_FREQUENCY="60")
    with flow_run_heartbeats():
        assert engine_heartbeat_s() == HEARTBEAT_S
