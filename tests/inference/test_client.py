"""InferenceClient against scripted fake OpenAI-compatible servers: faults, fallbacks, shapes."""

from __future__ import annotations

import dataclasses
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from core.exceptions import (
    ConfigError,
    InferenceError,
    ModelOutputError,
    TransientInferenceError,
)
from inference import InferenceClient, load_routing
from inference.health import HealthProbe, ProbeResult
from tasks.understand_intent import CreativeIntent, understand_intent
from tests.fakes.openai_server import Die, Fail, FakeOpenAI, Hang, Malformed, Reply, write_routing

INTENT = {
    "goal": "A 20 s trailer",
    "style_and_mood": "upbeat",
    "target_audience": "kids",
    "success_criteria": ["fast cuts"],
    "technical_challenges": ["keeping sync"],
}
VISION = {
    "summary": "Two shots of a city.",
    "subjects": ["city"],
    "mood": "calm",
    "composition": "wide",
    "motion": "slow pan",
    "edit_suggestions": ["cut on the pan"],
}
MESSAGES = [{"role": "user", "content": "hi"}]


def make_client(tmp_path: Path, servers: Any, **kwargs: Any) -> InferenceClient:
    path = write_routing(tmp_path / "routing.yaml", servers, **kwargs)
    return InferenceClient(load_routing("fake", path), probe=HealthProbe(ttl_s=0.5))


def test_structured_output_is_constrained_and_validated(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply.json(INTENT))
    client = make_client(tmp_path, fake_openai)

    intent = understand_intent(client, "make a trailer")

    assert intent == CreativeIntent(**INTENT)
    sent = fake_openai.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    schema = sent["response_format"]["json_schema"]["schema"]
    assert set(schema["required"]) >= {"goal", "style_and_mood", "target_audience"}
    assert sent["max_tokens"] == 256
    [record] = client.records
    assert (record.role, record.deployment, record.ok) == ("reasoning", "reasoning-fake", True)
    assert (record.tokens_in, record.tokens_out) == (11, 7)
    assert record.latency_s > 0


def test_json_schema_deployments_bound_every_unbounded_list_and_string(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    # On a real vLLM, SmolLM2-135M repeated the items of an unbounded list until max_tokens
    # and the intent's JSON never closed; bounded, the same request validated.
    fake_openai.script(Reply.json(INTENT))
    client = make_client(tmp_path, fake_openai)

    understand_intent(client, "make a trailer")

    fmt = fake_openai.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    props = fmt["json_schema"]["schema"]["properties"]
    assert props["success_criteria"]["maxItems"] == props["technical_challenges"]["maxItems"] == 3
    assert props["goal"]["maxLength"] == props["success_criteria"]["items"]["maxLength"] >= 24


def test_bounds_an_answer_type_declares_itself_are_kept(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    from inference.structured import response_format
    from sandbox.edl import EditDecisionList

    routing = load_routing("fake", write_routing(tmp_path / "r.yaml", fake_openai))
    deployment = routing.deployments("coder")[0]
    roomy = response_format(deployment, EditDecisionList, 8000)["json_schema"]["schema"]
    assert roomy["properties"]["segments"]["maxItems"] == 24
    assert roomy["properties"]["caption"]["maxLength"] == 80


def test_a_list_of_objects_is_cut_to_what_fits_in_max_tokens(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    # On a real vLLM, SmolLM2-135M filled a decision list toward its 24-segment bound and
    # ran out of tokens mid-list; the cap is the number of worst-case segments that fit.
    from inference.structured import response_format
    from sandbox.edl import EditDecisionList, Segment

    routing = load_routing("fake", write_routing(tmp_path / "r.yaml", fake_openai))
    deployment = routing.deployments("coder")[0]
    for max_tokens in (500, 1200):
        schema = response_format(deployment, EditDecisionList, max_tokens)["json_schema"]
        cap = schema["schema"]["properties"]["segments"]["maxItems"]
        assert 1 <= cap < 24
        worst = Segment(start=1.25, end=2.5, speed=0.75, repeat=2, reverse=True,
                        caption="W" * 80, transition="crossfade")  # fmt: skip
        filled = EditDecisionList(segments=[worst] * cap, caption="C" * 80)
        # ~4 characters a token, JSON punctuation included: the full answer closes in time.
        assert len(filled.model_dump_json()) / 4 <= max_tokens


def test_llama_cpp_deployments_get_json_object_with_bounded_schema(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply.json(INTENT))
    client = make_client(tmp_path, fake_openai, structured_output="json_object_schema")

    understand_intent(client, "make a trailer")

    fmt = fake_openai.requests[0]["response_format"]
    assert fmt["type"] == "json_object"
    props = fmt["schema"]["properties"]
    # Worst case (every string and item full) must still close the object in max_tokens.
    longest = props["goal"]["maxLength"]
    assert props["success_criteria"]["items"]["maxLength"] == longest
    slots = 3 + 2 * props["success_criteria"]["maxItems"]
    assert longest >= 24 and slots * longest / 4 + 5 * 16 <= 256


def test_strings_cut_by_the_grammar_end_on_a_whole_word(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    client = make_client(tmp_path, fake_openai, structured_output="json_object_schema")
    fake_openai.script(Reply.json(INTENT))
    understand_intent(client, "probe the limit")
    limit = fake_openai.requests[0]["response_format"]["schema"]["properties"]["goal"]["maxLength"]
    clipped = ("Create a compelling teaser that highlights the most dynamic moments " * 9)[
        : limit - 2
    ] + ",硬"
    kept = "A finished sentence that happens to be long. " * 9
    fake_openai.script(
        Reply.json({**INTENT, "goal": clipped, "style_and_mood": kept[: limit - 1].strip() + "."})
    )

    intent = understand_intent(client, "make a trailer")

    assert intent.goal.endswith("…") and "硬" not in intent.goal
    assert len(intent.goal) < limit and not intent.goal[:-1].endswith((",", " "))
    assert intent.style_and_mood.endswith(".")  # complete: left alone
    assert intent.target_audience == INTENT["target_audience"]


def test_transient_500_is_retried_on_the_same_deployment(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Fail(500), Reply("fine"))
    client = make_client(tmp_path, fake_openai)

    assert client.complete("reasoning", MESSAGES).value == "fine"
    assert fake_openai.chat_count == 2


def test_litellm_transport_gets_the_same_retries_shapes_and_records(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Fail(500), Reply.json(INTENT))
    client = make_client(tmp_path, fake_openai, transport="litellm")
    assert client.routing.deployments("reasoning")[0].transport == "litellm"

    assert understand_intent(client, "make a trailer") == CreativeIntent(**INTENT)

    assert fake_openai.chat_count == 2  # the client's retry; litellm's own are off
    assert fake_openai.requests[1]["response_format"]["type"] == "json_schema"
    assert fake_openai.authorizations[-1] == "Bearer fake-key"
    assert [(r.ok, r.tokens_in, r.deployment) for r in client.records] == [
        (False, 0, "reasoning-fake"),
        (True, 11, "reasoning-fake"),
    ]


@pytest.mark.parametrize("status", [400, 401])
def test_client_errors_are_not_retried(
    tmp_path: Path, fake_openai: FakeOpenAI, status: int
) -> None:
    fake_openai.script(Fail(status))
    client = make_client(tmp_path, fake_openai)

    with pytest.raises(InferenceError) as caught:
        client.complete("reasoning", MESSAGES)

    assert not isinstance(caught.value, TransientInferenceError)
    assert fake_openai.chat_count == 1
    assert "\n" not in str(caught.value)
    assert client.records[-1].ok is False


def test_persistent_500_falls_back_to_the_next_group(
    tmp_path: Path, fake_openai_factory: Any
) -> None:
    gpu, cpu = fake_openai_factory("gpu"), fake_openai_factory("cpu")
    gpu.default(Fail(500))
    cpu.default(Reply("from cpu"))
    client = make_client(
        tmp_path, {"reasoning": [gpu], "cpu": [cpu]}, fallbacks={"reasoning": ["cpu"]}
    )

    completion = client.complete("reasoning", MESSAGES)

    assert completion.value == "from cpu"
    assert completion.record.deployment == "cpu-cpu"
    assert gpu.chat_count == 2  # first try + one retry (num_retries=1), then fallback
    # Every request sent leaves a record, retries included.
    assert [(r.deployment, r.ok) for r in client.records] == [
        ("reasoning-gpu", False),
        ("reasoning-gpu", False),
        ("cpu-cpu", True),
    ]


def test_timeout_is_transient_and_falls_back(tmp_path: Path, fake_openai_factory: Any) -> None:
    slow, cpu = fake_openai_factory("slow"), fake_openai_factory("cpu")
    slow.default(Hang(5))
    client = make_client(
        tmp_path,
        {"reasoning": [slow], "cpu": [cpu]},
        fallbacks={"reasoning": ["cpu"]},
        timeout=0.5,
    )

    start = time.monotonic()
    assert client.complete("reasoning", MESSAGES).record.deployment == "cpu-cpu"
    assert time.monotonic() - start < 4
    assert slow.chat_count == 1  # an overloaded server is not asked again: next group
    assert "Timeout" in (client.records[0].error or "")


def test_malformed_response_body_is_transient(tmp_path: Path, fake_openai_factory: Any) -> None:
    broken, cpu = fake_openai_factory("broken"), fake_openai_factory("cpu")
    broken.default(Malformed())
    client = make_client(
        tmp_path, {"reasoning": [broken], "cpu": [cpu]}, fallbacks={"reasoning": ["cpu"]}
    )

    assert client.complete("reasoning", MESSAGES).record.deployment == "cpu-cpu"


def test_everything_down_is_one_clean_error_without_sending(
    tmp_path: Path, fake_openai_factory: Any
) -> None:
    gpu, cpu = fake_openai_factory("gpu"), fake_openai_factory("cpu")
    client = make_client(
        tmp_path, {"reasoning": [gpu], "cpu": [cpu]}, fallbacks={"reasoning": ["cpu"]}
    )
    gpu.kill()
    cpu.kill()

    start = time.monotonic()
    with pytest.raises(TransientInferenceError) as caught:
        client.complete("reasoning", MESSAGES)

    message = str(caught.value)
    assert "\n" not in message
    assert "reasoning: no healthy deployment" in message
    assert "cpu: no healthy deployment" in message
    assert client.records == []  # the probe took them out: nothing was sent
    assert time.monotonic() - start < 2


def test_health_probe_routes_around_an_unhealthy_deployment(
    tmp_path: Path, fake_openai_factory: Any
) -> None:
    gpu, cpu = fake_openai_factory("gpu"), fake_openai_factory("cpu")
    gpu.set_healthy(False)
    client = make_client(
        tmp_path, {"reasoning": [gpu], "cpu": [cpu]}, fallbacks={"reasoning": ["cpu"]}
    )

    for _ in range(3):
        assert client.complete("reasoning", MESSAGES).record.deployment == "cpu-cpu"
    assert gpu.chat_count == 0
    assert client.deployment_id("reasoning") == "cpu-cpu"

    gpu.set_healthy(True)
    _age_probe_results(client.probe, by_s=1.0)  # past the probe's 0.5 s ttl, without waiting
    assert client.complete("reasoning", MESSAGES).record.deployment == "reasoning-gpu"
    assert client.deployment_id("reasoning") == "reasoning-gpu"


def test_within_a_group_only_healthy_replicas_get_traffic(
    tmp_path: Path, fake_openai_factory: Any
) -> None:
    a, b = fake_openai_factory("a"), fake_openai_factory("b")
    a.set_healthy(False)
    client = make_client(tmp_path, {"reasoning": [a, b]})

    for _ in range(4):
        assert client.complete("reasoning", MESSAGES).record.deployment == "reasoning-b"
    assert a.chat_count == 0


def test_cooldown_takes_a_failing_replica_out_then_recovers(
    tmp_path: Path, fake_openai_factory: Any
) -> None:
    a, b = fake_openai_factory("a"), fake_openai_factory("b")
    a.default(Fail(503))
    client = make_client(
        tmp_path,
        {"reasoning": [a, b]},
        router_settings={"num_retries": 2, "allowed_fails": 0, "cooldown_time": 1},
    )

    for _ in range(6):
        assert client.complete("reasoning", MESSAGES).record.deployment == "reasoning-b"
    failed_during_cooldown = a.chat_count
    assert failed_during_cooldown <= 2  # cooled down after the first failure(s)

    a.default(Reply("a is back"))
    time.sleep(1.3)  # past cooldown_time
    served = {client.complete("reasoning", MESSAGES).record.deployment for _ in range(12)}
    assert "reasoning-a" in served
    assert a.chat_count > failed_during_cooldown


def test_invalid_json_gets_a_repair_retry_quoting_the_error(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply('{"goal": "x", "style_and_mood": '), Reply.json(INTENT))
    client = make_client(tmp_path, fake_openai)

    assert understand_intent(client, "make a trailer").goal == INTENT["goal"]
    repair = fake_openai.requests[1]["messages"]
    assert repair[-2]["role"] == "assistant"
    assert "invalid" in repair[-1]["content"]
    assert len(client.records) == 2


def test_schema_violations_are_quoted_and_repairs_are_bounded(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.default(Reply.json({"goal": "only a goal"}))
    client = make_client(tmp_path, fake_openai)

    with pytest.raises(ModelOutputError, match="did not validate as CreativeIntent"):
        understand_intent(client, "make a trailer")

    assert fake_openai.chat_count == client.max_repairs + 1
    assert "style_and_mood" in fake_openai.requests[1]["messages"][-1]["content"]


def test_json_in_prose_or_fences_is_accepted(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    import json

    fake_openai.script(Reply("Here you go:\n```json\n" + json.dumps(INTENT) + "\n```"))
    client = make_client(tmp_path, fake_openai)

    assert understand_intent(client, "x").target_audience == "kids"
    assert fake_openai.chat_count == 1


def test_server_killed_mid_batch_fails_over(tmp_path: Path, fake_openai_factory: Any) -> None:
    gpu, cpu = fake_openai_factory("gpu"), fake_openai_factory("cpu")
    gpu.script(Reply("gpu"), Reply("gpu"), Hang(0.3), Die())
    cpu.default(Reply("cpu"))
    client = make_client(
        tmp_path, {"reasoning": [gpu], "cpu": [cpu]}, fallbacks={"reasoning": ["cpu"]}
    )

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: client.complete("reasoning", MESSAGES).value, range(12)))

    assert not gpu.running
    assert len(answers) == 12
    assert "cpu" in answers
    served = [r.deployment for r in client.records if r.ok]
    assert len(served) == 12
    assert set(served) <= {"reasoning-gpu", "cpu-cpu"}


def test_unknown_role_is_a_config_error(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    client = make_client(tmp_path, fake_openai)
    with pytest.raises(ConfigError, match="unknown role 'painter'"):
        client.complete("painter", MESSAGES)


def test_keys_never_reach_errors_or_logs(
    tmp_path: Path,
    fake_openai: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    canary = "sk-canary-5f1e2d9c"
    monkeypatch.setenv("FAKE_VLLM_KEY", canary)
    fake_openai.script(Fail(401, message=f"bad key Bearer {canary}"), Fail(500), Fail(500))
    client = make_client(tmp_path, fake_openai, api_key="os.environ/FAKE_VLLM_KEY")

    caplog.set_level(logging.DEBUG)
    for _ in range(2):
        with pytest.raises(InferenceError) as caught:
            client.complete("reasoning", MESSAGES)
        assert canary not in str(caught.value)

    assert canary not in caplog.text
    assert all(canary not in (r.error or "") for r in client.records)


def test_get_client_follows_settings(fake_inference: FakeOpenAI) -> None:
    from inference import get_client

    fake_inference.script(Reply("hello"))
    client = get_client()
    assert client is get_client()
    assert client.routing.profile == "fake"
    assert client.complete("coder", MESSAGES).value == "hello"


def test_probe_answers_from_cache_and_refreshes_in_the_background(
    tmp_path: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale "up" answers at once from cache while one refresh runs in the background."""
    import threading

    from inference import health

    deployment = load_routing("fake", write_routing(tmp_path / "r.yaml", fake_openai)).deployments(
        "reasoning"
    )[0]
    probe = HealthProbe(ttl_s=1.0)
    calls: list[str] = []
    release = threading.Event()

    def held_probe(url: str, timeout: float = 1.0) -> ProbeResult:
        calls.append(url)
        release.wait(30)  # the network "answers" only when the test says so
        return ProbeResult(False, "ConnectError", 0.001, time.monotonic())

    monkeypatch.setattr(health, "probe_url", held_probe)
    probe._results[deployment.health_url] = ProbeResult(True, "ok", 0.001, time.monotonic())

    assert probe.is_up(deployment)  # fresh cache: no network
    assert calls == []
    _age_probe_results(probe, by_s=2.0)
    # Stale "up": answered while the refresh is still held, so it did not wait for it.
    assert probe.is_up(deployment)
    assert probe.is_up(deployment)  # and only one refresh is started
    release.set()
    for thread in [t for t in threading.enumerate() if t.name == "probe"]:
        thread.join(10)
    assert calls == [deployment.health_url]
    assert not probe.is_up(deployment)


def _age_probe_results(probe: HealthProbe, by_s: float) -> None:
    """Make every cached probe answer ``by_s`` older, as if that much time had passed."""
    for url, result in list(probe._results.items()):
        probe._results[url] = dataclasses.replace(result, at=result.at - by_s)


def test_health_lists_every_role_and_fallback(tmp_path: Path, fake_openai_factory: Any) -> None:
    gpu, cpu = fake_openai_factory("gpu"), fake_openai_factory("cpu")
    gpu.kill()
    client = make_client(
        tmp_path,
        {"reasoning": [gpu], "vision": [gpu], "cpu": [cpu]},
        fallbacks={"reasoning": ["cpu"], "vision": ["cpu"]},
        vision={"vision"},
    )

    lines = {(h.role, h.id): h for h in client.health()}

    assert set(lines) == {
        ("reasoning", "reasoning-gpu"),
        ("reasoning", "cpu-cpu"),
        ("vision", "vision-gpu"),
        ("vision", "cpu-cpu"),
    }
    assert lines[("reasoning", "reasoning-gpu")].healthy is False
    assert lines[("reasoning", "cpu-cpu")].healthy is True
    assert lines[("reasoning", "cpu-cpu")].fallback is True
    assert lines[("vision", "vision-gpu")].supports_vision is True


def test_a_busy_server_counts_as_up_a_refused_one_as_down(fake_openai: FakeOpenAI) -> None:
    from inference.health import probe_url

    url = fake_openai.url.removesuffix("/v1") + "/health"
    fake_openai.set_healthy(True, delay=1.0)
    busy = probe_url(url, timeout=0.2)
    assert busy.up and busy.detail.startswith("busy")
    fake_openai.set_healthy(False)
    unhealthy = probe_url(url, timeout=0.5)
    assert not unhealthy.up and unhealthy.detail == "HTTP 503"
    fake_openai.kill()
    refused = probe_url(url, timeout=0.5)
    assert not refused.up and refused.detail == "ConnectError"
