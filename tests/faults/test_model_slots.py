"""One global concurrency limit per model server, sized by the routing file: the CPU tier's
three roles share one server that takes one request at a time, so they share one slot. A
slot is held only while its request runs, and a waiting request tries again soon.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.settings import Settings
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


class _SlowRenewals:
    """A pass-through proxy to the Prefect API that answers lease renewals ``delay_s`` late,
    as a loaded API server does."""

    def __init__(self, upstream: str, delay_s: float) -> None:
        import httpx

        forward = httpx.Client(base_url=upstream.rstrip("/").removesuffix("/api"), timeout=30)
        self.renewals = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "/renew" in self.path:
                    proxy.renewals += 1
                    time.sleep(delay_s)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                answer = forward.request(self.command, self.path, content=body, headers=headers)
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _relay

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.prefect_server
def test_a_request_gives_its_slot_back_when_it_ends_even_if_the_api_is_slow(
    prefect_api: Settings, tmp_path: Path
) -> None:
    """Nothing but the request runs inside the slot: Prefect's own ``concurrency()`` renewed
    the lease at once from a thread it joined before releasing, so a slow API kept the slot
    (and the model server) idle for up to 2 s after each answer."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows._model_slots import limit_name, shared_gate
    from inference.routing import load_routing

    server = FakeOpenAI("slow-api")
    routing_file = write_routing(tmp_path / "routing.yaml", server, max_parallel_requests=1)
    routing = load_routing(settings=Settings(routing_file=routing_file, profile="fake"))
    deployment = routing.all_deployments[0]
    proxy = _SlowRenewals(str(PREFECT_API_URL.value()), delay_s=3.0)
    try:
        with temporary_settings(updates={PREFECT_API_URL: proxy.url}):
            gate = shared_gate(routing)
            assert gate is not None
            with gate(deployment):
                time.sleep(0.3)  # the request
                ended = time.monotonic()
            given_back_s = time.monotonic() - ended
            with get_client(sync_client=True) as client:
                limit = client.read_global_concurrency_limit_by_name(limit_name(server.url))
            gate.close()
    finally:
        proxy.stop()
    assert limit.active_slots == 0
    assert given_back_s < 1.0, f"the slot was given back {given_back_s:.2f} s after the request"


def test_a_waiting_request_tries_again_within_poll_s_whatever_retry_after_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server left at Prefect's default answers ``Retry-After`` up to 30 s: slots freed
    meanwhile would stay idle."""
    import httpx

    from flows import _model_slots

    pauses: list[float] = []
    monkeypatch.setattr(_model_slots.time, "sleep", pauses.append)

    class LockedTwice:
        def __init__(self) -> None:
            self.calls = 0

        def increment_concurrency_slots_with_lease(self, **_: object) -> httpx.Response:
            self.calls += 1
            request = httpx.Request("POST", "http://api/v2/concurrency_limits/increment")
            if self.calls <= 2:
                locked = httpx.Response(423, headers={"Retry-After": "29.5"}, request=request)
                raise httpx.HTTPStatusError("locked", request=request, response=locked)
            lease = "00000000-0000-0000-0000-000000000001"
            return httpx.Response(200, json={"limits": [{}], "lease_id": lease}, request=request)

    gate = _model_slots.SlotGate({"http://model/v1": "model-server:model_v1"}, LockedTwice())
    lease = gate._acquire("model-server:model_v1")
    assert str(lease).endswith("1")
    assert pauses == [_model_slots.POLL_S, _model_slots.POLL_S]
