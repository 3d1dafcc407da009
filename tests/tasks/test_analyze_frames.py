"""The vision step against scripted fake servers: images or descriptors, per deployment."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from tasks.analyze_frames import FrameInput, analyze_frames
from tests.fakes.openai_server import Fail, FakeOpenAI, Reply
from tests.inference.test_client import VISION, make_client


def _frames() -> list[FrameInput]:
    return [
        FrameInput(label="scene 1", timestamp=0.5, jpeg=b"\xff\xd8one", descriptors="bright 0.7"),
        FrameInput(label="scene 2", timestamp=3.0, jpeg=b"\xff\xd8two", descriptors="dark 0.2"),
    ]


def test_vision_deployment_gets_base64_image_parts(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply.json(VISION))
    client = make_client(tmp_path, fake_openai, vision=True)

    analysis = analyze_frames(client, _frames(), "pacing")

    assert analysis.blind is False
    assert analysis.deployment == "vision-fake"
    parts = fake_openai.requests[0]["messages"][-1]["content"]
    images = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
    assert images == [
        "data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8one").decode(),
        "data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8two").decode(),
    ]


def test_text_only_deployment_gets_descriptors_and_is_labelled_blind(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Reply.json(VISION))
    client = make_client(tmp_path, fake_openai, vision=False)

    analysis = analyze_frames(client, _frames(), "pacing")

    assert analysis.blind is True
    content = fake_openai.requests[0]["messages"][-1]["content"]
    assert isinstance(content, str)
    assert "bright 0.7" in content and "dark 0.2" in content
    assert "pacing" in content


def test_vision_fallback_to_a_text_only_tier_switches_to_descriptors(
    tmp_path: Path, fake_openai_factory: Any
) -> None:
    gpu, cpu = fake_openai_factory("vl"), fake_openai_factory("cpu")
    gpu.default(Fail(500))
    cpu.default(Reply.json(VISION))
    client = make_client(
        tmp_path,
        {"vision": [gpu], "cpu": [cpu]},
        fallbacks={"vision": ["cpu"]},
        vision={"vision"},
    )

    analysis = analyze_frames(client, _frames(), "pacing")

    assert analysis.blind is True
    assert analysis.deployment == "cpu-cpu"
    assert isinstance(gpu.requests[0]["messages"][-1]["content"], list)  # images to the VL
    assert isinstance(cpu.requests[0]["messages"][-1]["content"], str)  # text to the CPU


def test_what_is_heard_and_read_on_screen_reaches_both_kinds_of_model(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    frames = [
        FrameInput(
            label="scene 1",
            timestamp=0.5,
            jpeg=b"\xff\xd8one",
            descriptors='dark 0.1; text on screen: "CHAPTER ONE"',
            text='"CHAPTER ONE"',
        )
    ]
    sound = 'speech 2.0 s: "welcome to the studio"; 4 beats (~120 BPM); loudness -20 LUFS'
    fake_openai.script(Reply.json(VISION), Reply.json(VISION))

    analyze_frames(make_client(tmp_path, fake_openai, vision=False), frames, "story", sound=sound)
    analyze_frames(make_client(tmp_path, fake_openai, vision=True), frames, "story", sound=sound)

    blind = fake_openai.requests[0]["messages"][-1]["content"]
    seeing = fake_openai.requests[1]["messages"][-1]["content"][0]["text"]
    for prompt in (blind, seeing):
        assert 'Heard during this scene: speech 2.0 s: "welcome to the studio"' in prompt
        assert 'text on screen: "CHAPTER ONE"' in prompt
    assert "never guess it" in blind
