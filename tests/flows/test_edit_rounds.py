"""The creative job's fidelity loop: edit -> render -> verify -> revise, on fake model roles.

Every assertion about the output decodes the video the job wrote (never only its summary).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.openai_server import Reply
from tests.flows.conftest import INTENT, FakeRoles, write_job

SIX_SECONDS = "A 6-second teaser of this clip with hard cuts."


def _script(*ranges: tuple[float, float], caption: str = "") -> Reply:
    parts = "\n".join(f"    p{i} = source.subclipped({a}, {b})" for i, (a, b) in enumerate(ranges))
    names = ", ".join(f"p{i}" for i in range(len(ranges)))
    body = f"    return concatenate_videoclips([{names}])"
    imports = "concatenate_videoclips"
    if caption:  # the old prompt's example, copied word for word by a small coder
        imports += ", TextClip, CompositeVideoClip"
        body = (
            f"    cut = concatenate_videoclips([{names}])\n"
            f"    words = TextClip(text={caption!r}, font_size=36, color='white')\n"
            "    words = words.with_duration(cut.duration).with_position(('center', 'bottom'))\n"
            "    return CompositeVideoClip([cut, words])"
        )
    code = f"from moviepy import {imports}\n\n\ndef edit(source):\n{parts}\n{body}\n"
    return Reply(f"```python\n{code}```\n")


def _decoded_seconds(path: Path) -> float:
    from tasks.probe import probe

    return float(probe(path).duration)


def test_a_wrong_length_is_fixed_in_round_two(tmp_path: Path, fake_roles: FakeRoles) -> None:
    from flows.creative_job import run_job

    # Round 1: 3 s (the brief asks 6); round 2: 6 s of hard cuts.
    fake_roles.coder.script(
        _script((0.5, 1.5), (3.0, 4.0), (5.5, 6.5)),
        _script((0.5, 2.0), (3.0, 4.5), (5.5, 7.0), (8.0, 9.5)),
    )
    summary = run_job(write_job(tmp_path, request=SIX_SECONDS))

    assert summary["route"] == "script"
    assert summary["rounds"] == 2
    assert summary["checks_total"] >= 3
    assert summary["checks_passed"] == summary["checks_total"], summary["checks"]
    assert abs(_decoded_seconds(Path(summary["output_video"])) - 6.0) <= 0.3
    # the miss went back to the coder as a concrete discrepancy
    second = fake_roles.coder.requests[1]["messages"][-1]["content"]
    assert "the brief asks 6" in second and "the edit is 3.0" in second
    # the plan's exact segments reach the coder, and no example text does
    assert "subclipped(" in second and "Title" not in second


def test_a_render_of_the_source_itself_fails_its_checks(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows._steps as steps
    from flows.creative_job import run_job

    def copy_source(code: str, inputs: list[Path], target: Path, **_: Any) -> Any:
        shutil.copyfile(inputs[0], target)
        return target

    monkeypatch.setattr(steps, "_render_fn", lambda: copy_source)
    summary = run_job(write_job(tmp_path, request=SIX_SECONDS))

    assert summary["checks_passed"] < summary["checks_total"]
    failed = {c["id"] for c in summary["checks"] if c["passed"] is False}
    assert "duration" in failed
    assert any(m.startswith("duration (the edit is 10.0") for m in summary["missed"])
    assert abs(_decoded_seconds(Path(summary["output_video"])) - 10.0) < 0.2
    report = (tmp_path / "out" / "report.md").read_text()
    assert "## Brief checklist" in report and "| ✗ |" in report


def test_example_text_never_reaches_the_output(tmp_path: Path, fake_roles: FakeRoles) -> None:
    from flows.creative_job import run_job

    # A coder that always copies a caption nobody asked for: the verifier reads it, the
    # rounds send it back, and the compiled plan (no text) is kept in the end.
    fake_roles.coder.default(
        _script((0.5, 2.0), (3.0, 4.5), (5.5, 7.0), (8.0, 9.5), caption="Title")
    )
    summary = run_job(write_job(tmp_path, request=SIX_SECONDS))

    by_id = {c["id"]: c for c in summary["checks"]}
    assert by_id["no_text"]["passed"] is True
    assert summary["route"] == "plan-fallback"
    assert summary["rounds"] == 4  # three coder rounds, then the plan
    assert summary["checks_passed"] == summary["checks_total"]
    assert abs(_decoded_seconds(Path(summary["output_video"])) - 6.0) <= 0.3
    feedback = fake_roles.coder.requests[1]["messages"][-1]["content"]
    assert "text" in feedback.lower()


def test_the_embedded_tier_takes_the_plan_route(tmp_path: Path, embedded_roles: FakeRoles) -> None:
    from flows.creative_job import run_job

    request = (
        "Cut a punchy 6-second teaser from this clip: keep the most dynamic moment of each "
        "scene, keep the hard cuts, and end on the brightest shot."
    )
    summary = run_job(write_job(tmp_path, request=request))

    assert summary["route"] == "plan"
    assert embedded_roles.coder.chat_count == 0  # the plan compiles straight to the script
    assert summary["checks_passed"] == summary["checks_total"] >= 5, summary["checks"]
    assert abs(_decoded_seconds(Path(summary["output_video"])) - 6.0) <= 0.3
    timeline = [Path(p) for p in summary["timeline"]]
    assert {p.suffix for p in timeline} >= {".otio"}
    assert all(p.parent == tmp_path / "out" for p in timeline)
    import opentimelineio as otio

    cut = otio.adapters.read_from_file(str(timeline[0]))
    assert abs(cut.duration().to_seconds() - 6.0) <= 0.3
    saved = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert saved["route"] == "plan" and saved["checks_total"] == summary["checks_total"]


def test_the_model_brief_is_merged_and_the_request_wins(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    from flows.creative_job import run_job

    contradicting = {**INTENT, "brief": {"duration": {"target_s": 12}, "transitions": "crossfade",
                                         "colour": "monochrome"}}  # fmt: skip
    fake_roles.reasoning.default(Reply.json(contradicting))
    summary = run_job(write_job(tmp_path, request=SIX_SECONDS))

    brief = summary["brief"]
    assert brief["duration"]["target_s"] == 6.0  # the request's words
    assert brief["transitions"] == "cut"
    # The request never mentions colour: the model's monochrome is an invention, dropped.
    assert brief["colour"] is None
    report = (tmp_path / "out" / "report.md").read_text()
    assert "the model proposed" in report  # the disagreement is recorded
    request = fake_roles.reasoning.requests[0]
    schema = request["response_format"]["json_schema"]["schema"]
    assert "brief" in schema["properties"]
