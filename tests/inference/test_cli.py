"""`studio intent` and `studio tier status` through the real CLI, against a fake server."""

from __future__ import annotations

import json

from tests.fakes.openai_server import Fail, FakeOpenAI, Reply
from tests.inference.test_cpu_tier import run_cli

INTENT = {
    "goal": "A 20 s trailer",
    "style_and_mood": "upbeat",
    "target_audience": "kids",
    "success_criteria": ["fast cuts", "ends on the logo"],
    "technical_challenges": ["keeping sync"],
}


def test_intent_json_prints_a_creative_intent(fake_inference: FakeOpenAI) -> None:
    fake_inference.script(Reply.json(INTENT))

    result = run_cli("intent", "make a trailer for kids", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == INTENT
    sent = fake_inference.requests[0]
    assert "make a trailer for kids" in sent["messages"][-1]["content"]


def test_intent_text_output(fake_inference: FakeOpenAI) -> None:
    fake_inference.script(Reply.json(INTENT))

    result = run_cli("intent", "make a trailer")

    assert result.returncode == 0, result.stderr
    assert "goal: A 20 s trailer" in result.stdout
    assert "  - ends on the logo" in result.stdout


def test_intent_failure_is_one_line(fake_inference: FakeOpenAI) -> None:
    fake_inference.default(Fail(400, message="context too long"))

    result = run_cli("intent", "make a trailer")

    assert result.returncode == 1
    assert result.stderr == (
        "error: reasoning call to reasoning-fake failed: HTTP 400: context too long\n"
    )
    assert result.stderr.count("\n") == 1


def test_empty_request_is_refused(fake_inference: FakeOpenAI) -> None:
    result = run_cli("intent", "   ")
    assert result.returncode == 1
    assert result.stderr == "error: the creative request is empty\n"
    assert fake_inference.chat_count == 0


def test_status_shows_unhealthy_deployments(fake_inference: FakeOpenAI) -> None:
    fake_inference.set_healthy(False)

    result = run_cli("tier", "status", "--json")

    assert result.returncode == 0, result.stderr
    roles = json.loads(result.stdout)["roles"]
    assert {e["healthy"] for entries in roles.values() for e in entries} == {False}
    text = run_cli("tier", "status").stdout
    assert "DOWN (HTTP 503)" in text
