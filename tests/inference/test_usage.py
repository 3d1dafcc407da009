"""Streaming from a server that sends no usage with a stream, like llama-cpp-python (issue 19).

The fake server streams one word a chunk with no usage chunk (``Reply(stream_usage=False)``),
as llama-cpp-python streams one token a chunk: the display is told each chunk as it comes,
and the reply's counts are the unstreamed answer's (chunks counted, prompt from a probe).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core.settings import Settings
from inference._usage import StreamTally, prompt_probe
from inference.client import InferenceClient
from inference.health import HealthProbe
from inference.routing import Deployment, load_routing
from inference.wire import ChatWire, on_tokens
from tests.fakes.openai_server import Fail, FakeOpenAI, Hang, Reply, write_routing

MESSAGES = [{"role": "user", "content": "hi"}]
_ANSWER = '{"goal": "a short teaser", "mood": "bright and playful"}'  # 8 chunks of one word


def _deployment(tmp_path: Path, fake: FakeOpenAI, **kwargs: object) -> Deployment:
    path = write_routing(tmp_path / "routing.yaml", {"reasoning": [fake]}, **kwargs)  # type: ignore[arg-type]
    return load_routing("fake", path).deployments("reasoning")[0]


def test_chunks_are_told_live_and_the_counts_are_the_unstreamed_answers(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.default(Reply(_ANSWER, tokens_in=40, tokens_out=8, stream_usage=False))
    deployment = _deployment(tmp_path, fake_openai, stream_usage="chunks")
    assert deployment.stream_usage == "chunks"
    wire = ChatWire()
    body = {"messages": MESSAGES, "max_tokens": 64, "temperature": 0.0}
    plain = wire.chat(deployment, dict(body), timeout=5)
    told: list[int] = []
    with on_tokens(told.append):
        streamed = wire.chat(deployment, dict(body), timeout=5)
        again = wire.chat(deployment, dict(body), timeout=5)  # still streamed: nothing learnt

    assert streamed == again == plain
    assert (streamed.prompt_tokens, streamed.completion_tokens) == (40, 8)
    assert not streamed.tokens_estimated
    assert told == [1] * 16
    sent = fake_openai.requests
    assert [r.get("stream") for r in sent] == [None, True, None, True, None]
    assert sent[1] == {**sent[0], "stream": True, "stream_options": {"include_usage": True}}
    assert sent[2] == {**sent[0], "max_tokens": 1}  # the probe: same prompt, one token


def test_a_non_ascii_answer_is_counted_and_labelled_an_estimate(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.default(Reply("Café au lait", tokens_in=12, tokens_out=3, stream_usage=False))
    deployment = _deployment(tmp_path, fake_openai, stream_usage="chunks")
    with on_tokens(lambda pieces: None):
        reply = ChatWire().chat(deployment, {"messages": MESSAGES}, timeout=5)
    assert (reply.text, reply.prompt_tokens, reply.completion_tokens) == ("Café au lait", 12, 3)
    assert reply.tokens_estimated  # "é" may have been two byte tokens in one chunk


def test_a_failed_probe_keeps_the_answer_and_marks_its_count_an_estimate(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply(_ANSWER, stream_usage=False), Fail(503, message="busy"))
    deployment = _deployment(tmp_path, fake_openai, stream_usage="chunks")
    with on_tokens(lambda pieces: None):
        reply = ChatWire().chat(deployment, {"messages": MESSAGES}, timeout=5)
    assert (reply.text, reply.prompt_tokens, reply.completion_tokens) == (_ANSWER, 0, 8)
    assert reply.tokens_estimated  # a lower bound, labelled: the prompt went uncounted
    assert [r.get("stream") for r in fake_openai.requests] == [True, None]  # no second answer


def test_the_whole_answer_probe_included_stays_within_the_timeout(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    # The stream takes ~0.5 s of the 0.9; the probe hangs and gets only what is left.
    fake_openai.script(Reply(_ANSWER, stream_usage=False, chunk_delay_s=0.05), Hang(2))
    deployment = _deployment(tmp_path, fake_openai, stream_usage="chunks")
    start = time.monotonic()
    with on_tokens(lambda pieces: None):
        reply = ChatWire().chat(deployment, {"messages": MESSAGES}, timeout=0.9)
    assert time.monotonic() - start < 1.5
    assert reply.text == _ANSWER and reply.tokens_estimated
    assert [r.get("stream") for r in fake_openai.requests] == [True, None]


class _Mood(BaseModel):
    goal: str
    mood: str


def test_structured_answers_stream_with_their_schema_and_validate(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    # As on the CPU tier: llama.cpp's json_object + schema (a grammar) on the streamed request.
    fake_openai.default(Reply(_ANSWER, tokens_in=40, tokens_out=8, stream_usage=False))
    path = write_routing(
        tmp_path / "routing.yaml",
        fake_openai,
        structured_output="json_object_schema",
        stream_usage="chunks",
    )
    client = InferenceClient(load_routing("fake", path), Settings(), probe=HealthProbe())
    told: list[int] = []
    with on_tokens(told.append):
        done = client.complete("reasoning", MESSAGES, _Mood, max_tokens=64)

    assert done.value == _Mood(goal="a short teaser", mood="bright and playful")
    assert (done.record.tokens_in, done.record.tokens_out) == (40, 8)
    assert not done.record.tokens_estimated and sum(told) == 8
    streamed, probe = fake_openai.requests
    assert streamed["stream"] is True
    assert streamed["response_format"]["type"] == "json_object"
    assert streamed["response_format"]["schema"]["required"] == ["goal", "mood"]
    assert "response_format" not in probe and probe["max_tokens"] == 1


def test_the_display_is_told_while_the_answer_is_still_coming(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.default(Reply(_ANSWER, stream_usage=False, chunk_delay_s=0.1))
    deployment = _deployment(tmp_path, fake_openai, stream_usage="chunks")
    told_at: list[float] = []
    with on_tokens(lambda pieces: told_at.append(time.monotonic())):
        reply = ChatWire().chat(deployment, {"messages": MESSAGES}, timeout=5)
    done_at = time.monotonic()
    assert reply.completion_tokens == len(told_at) == 8
    assert done_at - told_at[0] > 0.5  # the first chunk came ~0.7 s before the answer ended


def test_the_tally_counts_content_chunks_not_openings() -> None:
    tally = StreamTally()
    opening_vllm: dict[str, Any] = {"choices": [{"delta": {"role": "assistant", "content": ""}}]}
    opening_llama = {"choices": [{"delta": {"role": "assistant"}}]}
    empty_token = {"choices": [{"delta": {"content": ""}}]}  # a token with no text
    tokens = [{"choices": [{"delta": {"content": p}}]} for p in ("[", "1", "]")]
    finish = {"choices": [{"delta": {}, "finish_reason": "stop"}]}
    told = [tally.add(c) for c in (opening_vllm, opening_llama, empty_token, *tokens, finish)]
    assert told == [0, 0, 1, 1, 1, 1, 0]
    assert (tally.text, tally.chunks, tally.finish_reason, tally.ascii) == ("[1]", 4, "stop", True)


def test_the_probe_keeps_the_prompt_and_drops_the_answer_shape() -> None:
    payload = {
        "model": "m",
        "messages": MESSAGES,
        "max_tokens": 300,
        "temperature": 0.2,
        "response_format": {"type": "json_object"},
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    assert prompt_probe(payload) == {
        "model": "m",
        "messages": MESSAGES,
        "temperature": 0.2,
        "max_tokens": 1,
    }


def test_concurrent_streams_count_their_own_chunks(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    fake_openai.default(Reply(_ANSWER, tokens_in=40, tokens_out=8, stream_usage=False))
    deployment = _deployment(tmp_path, fake_openai, stream_usage="chunks")
    wire, replies = ChatWire(), []
    with on_tokens(lambda pieces: None):
        threads = [
            threading.Thread(
                target=lambda: replies.append(wire.chat(deployment, {"messages": MESSAGES}, 5))
            )
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert [(r.prompt_tokens, r.completion_tokens) for r in replies] == [(40, 8)] * 4
