"""One global concurrency limit per model server, sized by the routing file: the CPU tier's
three roles share one server that takes one request at a time, so they share one slot.
"""

from __future__ import annotations

from pathlib import Path

from tests.fakes.openai_server import FakeOpenAI, write_routing

REPO = Path(__file__).resolve().parents[2]


def test_roles_on_one_server_share_its_smallest_cap() -> None:
    from core.settings import Settings
    from flows._model_slots import limit_name, server_limits
    from inference.routing import load_routing

    settings = Settings(routing_file=REPO / "deployments" / "inference.yaml", profile="embedded")
    embedded = load_routing(settings=settings)
    cpu = f"http://{settings.cpu_host}:{settings.cpu_port}/v1"
    assert {d.api_base for d in embedded.all_deployments} == {cpu}
    assert server_limits(embedded) == {limit_name(cpu): 1}
    name = limit_name("http://127.0.0.1:8001/v1")
    assert name == "model-server:127.0.0.1:8001_v1" and "/" not in name


def test_separate_servers_get_separate_limits(tmp_path: Path) -> None:
    from core.settings import Settings
    from flows._model_slots import limit_name, server_limits
    from inference.routing import load_routing

    one, two = FakeOpenAI("one"), FakeOpenAI("two")
    routing_file = write_routing(
        tmp_path / "routing.yaml",
        {"reasoning": [one], "vision": [two], "coder": [one]},
        max_parallel_requests=3,
    )
    routing = load_routing(settings=Settings(routing_file=routing_file, profile="fake"))
    assert server_limits(routing) == {limit_name(one.url): 3, limit_name(two.url): 3}
