"""Live tokens from the real llama.cpp CPU tier, with the server's own counts (issue 19).

llama-cpp-python sends no usage with a stream, so the CPU tier is marked
``stream_usage: chunks``: its answers are streamed to a listener one token a chunk, and the
reply's counts must be exactly what the server reports for the same request unstreamed.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from pydantic import BaseModel

from core.settings import Settings
from inference.client import InferenceClient
from inference.routing import load_routing
from inference.wire import ChatWire, WireReply, on_tokens

COUNT = [{"role": "user", "content": "Count from 1 to 8, comma-separated, nothing else."}]
BODY = {"messages": COUNT, "max_tokens": 32, "temperature": 0.0, "seed": 7}


@pytest.mark.cpu_tier
def test_tokens_are_told_live_and_the_counts_are_the_servers(cpu_tier: str) -> None:
    [deployment] = load_routing("embedded", settings=Settings()).deployments("reasoning")
    assert deployment.api_base == cpu_tier and deployment.stream_usage == "chunks"
    wire = ChatWire()
    plain = wire.chat(deployment, dict(BODY), timeout=600)  # no listener: not streamed
    # A request that arrives mid-stream waits its turn (by default the server would end the
    # stream for it); unstreamed, so that only the first answer's chunks are told.
    started, other = threading.Event(), list[WireReply]()
    quiet = dataclasses.replace(deployment, stream_usage=False)

    def newcomer() -> None:
        if started.wait(300):
            short = {"messages": COUNT, "max_tokens": 2, "temperature": 0.0}
            other.append(ChatWire().chat(quiet, short, timeout=600))

    told_at: list[float] = []

    def listener(pieces: int) -> None:
        told_at.extend([time.monotonic()] * pieces)
        started.set()

    thread = threading.Thread(target=newcomer)
    thread.start()
    with on_tokens(listener):
        streamed = wire.chat(deployment, dict(BODY), timeout=600)
    done_at = time.monotonic()
    thread.join(600)

    assert plain.text.replace(" ", "").startswith("1,2,3") and plain.completion_tokens >= 8
    assert streamed == plain  # whole: text, prompt and completion tokens, finish reason
    assert not streamed.tokens_estimated  # an ASCII answer: one token a chunk, exactly
    assert len(told_at) == plain.completion_tokens
    # Live: told as generated, over most of the call, not all at once when it ended.
    assert told_at[-1] - told_at[0] > 0.5 * (done_at - told_at[0]) > 0
    assert len(other) == 1 and other[0].completion_tokens == 2


class _Palette(BaseModel):
    colours: list[str]
    warm: bool


@pytest.mark.cpu_tier
def test_structured_answers_stream_and_keep_exact_records(cpu_tier: str) -> None:
    settings = Settings()
    client = InferenceClient(load_routing("embedded", settings=settings), settings)
    ask = [{"role": "user", "content": "Three warm colours as JSON: colours, warm."}]
    plain = client.complete("reasoning", ask, _Palette, max_tokens=64, temperature=0.0)
    told: list[int] = []
    with on_tokens(told.append):
        streamed = client.complete("reasoning", ask, _Palette, max_tokens=64, temperature=0.0)

    assert isinstance(streamed.value, _Palette) and streamed.value == plain.value
    assert streamed.record.tokens_in == plain.record.tokens_in > 0
    assert streamed.record.tokens_out == plain.record.tokens_out == sum(told) > 0
