"""The wire's progress streaming against the real llama.cpp CPU tier (issue 19).

llama-cpp-python ends a stream without usage, so the routing file does not mark the CPU tier
``stream_usage``; if it were, the client must still return exactly the unstreamed reply.
"""

from __future__ import annotations

import dataclasses

import pytest

from core.settings import Settings
from inference.routing import load_routing
from inference.wire import ChatWire, on_tokens

MESSAGES = [{"role": "user", "content": "Name three primary colours, comma-separated."}]
BODY = {"messages": MESSAGES, "max_tokens": 24, "temperature": 0.0, "seed": 7}


@pytest.mark.cpu_tier
def test_the_cpu_tier_is_not_streamed_and_a_wrong_flag_changes_no_reply(cpu_tier: str) -> None:
    [deployment] = load_routing("embedded", settings=Settings()).deployments("reasoning")
    assert deployment.api_base == cpu_tier and deployment.stream_usage is False
    wire = ChatWire()
    plain = wire.chat(deployment, dict(BODY), timeout=300)

    flagged = dataclasses.replace(deployment, stream_usage=True)
    told: list[int] = []
    with on_tokens(told.append):
        first = wire.chat(flagged, dict(BODY), timeout=300)  # streamed, no usage: asked again
        second = wire.chat(flagged, dict(BODY), timeout=300)  # not streamed any more
    assert plain.text and plain.prompt_tokens > 0 and plain.completion_tokens > 0
    assert first == plain == second
    assert sum(told) > 0  # the real server did stream the first answer...
    assert deployment.api_base in wire._no_stream_usage  # ...and sent no usage with it
