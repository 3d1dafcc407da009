from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inference.messages import CallRecord
from tasks.analyze_frames import FrameAnalysis
from tasks.report import (
    JobReport,
    SceneRow,
    call_rows,
    estimate_cost,
    render_markdown,
    write_report,
)
from tasks.understand_intent import CreativeIntent


def _calls() -> list[CallRecord]:
    return [
        CallRecord(
            role="reasoning",
            deployment="r1",
            model="m",
            tokens_in=100,
            tokens_out=20,
            latency_s=2.0,
        ),
        CallRecord(
            role="vision", deployment="v1", model="m", tokens_in=300, tokens_out=50, latency_s=4.0
        ),
        CallRecord(
            role="coder",
            deployment="c1",
            model="m",
            tokens_in=900,
            tokens_out=400,
            latency_s=30.0,
            cache_hit=True,
        ),
    ]


def test_cost_on_cpu_tier_counts_tokens_of_sent_calls_only() -> None:
    cost = estimate_cost(_calls(), "embedded", {"default": 2.0})
    assert (cost.tokens_in, cost.tokens_out) == (400, 70)
    assert cost.gpu_seconds is None and cost.usd is None
    assert "2 model calls" in cost.text and "no GPU cost" in cost.text


def test_a_count_from_a_stream_that_may_join_tokens_is_shown_as_a_lower_bound() -> None:
    counted = CallRecord(role="coder", deployment="cpu", model="m", tokens_in=5, tokens_out=9)
    calls = [*_calls(), counted.model_copy(update={"tokens_estimated": True})]
    assert "+ 70 out" in estimate_cost(_calls(), "embedded", {}).text
    assert "+ ≥79 out" in estimate_cost(calls, "embedded", {}).text
    report = JobReport(name="demo", request="r", profile="embedded", video="v.mp4", calls=calls)
    assert "| coder | cpu | 5 | ≥9 |" in render_markdown(report)


def test_cost_on_vllm_uses_price_table_by_deployment() -> None:
    cost = estimate_cost(_calls(), "vllm", {"default": 3.6, "v1": 7.2})
    assert cost.gpu_seconds == 6.0
    # 2 s at 3.6 $/h + 4 s at 7.2 $/h
    assert cost.usd == round(2 / 3600 * 3.6 + 4 / 3600 * 7.2, 6)
    assert "GPU-seconds" in cost.text


def test_markdown_has_intent_scenes_analysis_script_and_calls(tmp_path: Path) -> None:
    analysis = FrameAnalysis(
        summary="A red ground | a yellow ball.",
        subjects=["ball"],
        mood="calm",
        edit_suggestions=["trim"],
        blind=True,
        deployment="v1",
    )
    report = JobReport(
        name="demo",
        request="make it short",
        profile="embedded",
        video="clip.mp4",
        video_sha256="ab" * 32,
        intent=CreativeIntent(
            goal="Short",
            style_and_mood="calm",
            target_audience="all",
            success_criteria=["< 5 s"],
            technical_challenges=[],
        ),
        scenes=[
            SceneRow(index=0, start_s=0, end_s=2.5, frames=2, analysis=analysis),
            SceneRow(index=1, start_s=2.5, end_s=5, frames=2),
        ],
        edit_code="def edit(source):\n    return source\n",
        edit_mode="script",
        edit_attempts=2,
        output_video=str(tmp_path / "demo.mp4"),
        calls=_calls(),
        llm_calls=2,
        cache_hits=1,
        cost=estimate_cost(_calls(), "embedded", {}),
    )
    text = render_markdown(report)
    assert "# Creative job: demo" in text
    assert "- Goal: Short" in text
    assert "| 0 | 0.00 | 2.50 | 2 | A red ground \\| a yellow ball. |" in text
    assert "### Scene 0 (blind: from OpenCV descriptors, no image seen)" in text
    assert "```python\ndef edit(source):\n    return source\n```" in text
    assert "| coder | c1 | 900 | 400 | 30.00 | yes |" in text
    assert str(tmp_path / "demo.mp4") in text

    report_path, summary_path = write_report(report, tmp_path / "out", {"llm_calls": 2})
    assert report_path.read_text() == text
    assert json.loads(summary_path.read_text()) == {"llm_calls": 2}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.md", "summary.json"]


def test_call_rows_shape() -> None:
    rows = call_rows(_calls())
    assert rows[2] == {
        "role": "coder",
        "deployment": "c1",
        "tokens_in": 900,
        "tokens_out": 400,
        "tokens_estimated": False,
        "latency_s": 30.0,
        "cache_hit": True,
        "ok": True,
    }


def _results(tmp_path: Path, checks: list[Any]) -> Any:
    from tasks.brief import parse_request
    from tasks.report import JobResults

    return JobResults(
        name="demo",
        request="A 6-second teaser with hard cuts.",
        footage=[tmp_path / "clip.mp4"],
        steps=("generate_edit", "render", "report"),
        profile="embedded",
        video_sha256=None,
        clip_facts={},
        brief=parse_request("A 6-second teaser with hard cuts."),
        route="plan",
        rounds=2,
        checks=checks,
        timeline=[tmp_path / "demo.otio", tmp_path / "demo.xml"],
        output_video=tmp_path / "demo.mp4",
    )


def test_brief_checklist_in_report_and_summary(tmp_path: Path) -> None:
    from tasks.brief import CheckResult, parse_request
    from tasks.report import assemble

    criteria = {
        c.id: c for c in parse_request("A 6-second teaser with hard cuts, punchy.").criteria()
    }
    checks = [
        CheckResult(criterion=criteria["duration"], passed=False, measured="the edit is 3.75 s",
                    discrepancy="the edit is 3.75 s; the brief asks 6 ± 0.3 s"),
        CheckResult(criterion=criteria["transitions"], passed=True, measured="3 hard cuts"),
        CheckResult(criterion=criteria["free-1"], passed=None, measured="not measurable"),
    ]  # fmt: skip
    report, summary = assemble(_results(tmp_path, checks))

    assert summary["checks_passed"] == 1 and summary["checks_total"] == 2
    assert summary["route"] == "plan" and summary["rounds"] == 2
    assert summary["missed"] == ["duration (the edit is 3.75 s; the brief asks 6 ± 0.3 s)"]
    assert [c["passed"] for c in summary["checks"]] == [False, True, None]
    assert set(summary["checks"][0]) == {"id", "text", "passed", "measured"}
    assert summary["timeline"] == [str(tmp_path / "demo.otio"), str(tmp_path / "demo.xml")]
    text = render_markdown(report)
    assert "## Brief checklist" in text
    assert "_1/2 checks passed; route plan, 2 round(s)" in text
    assert "| duration 6 ± 0.3 s | the edit is 3.75 s | ✗ |" in text
    assert "| hard cuts | 3 hard cuts | ✓ |" in text
    assert "| not measurable | - |" in text
    assert "- Timeline: `demo.otio`, `demo.xml`" in text


def test_the_cli_warns_in_one_line_when_a_check_is_missed() -> None:
    from studio.cli._job import _miss_warning

    summary = {"checks_total": 5, "checks_passed": 4,
               "missed": ["duration (the edit is 3.75 s; the brief asks 6 ± 0.3 s)"]}  # fmt: skip
    assert _miss_warning(summary) == (
        "warning: 4/5 checks passed; "
        "missed: duration (the edit is 3.75 s; the brief asks 6 ± 0.3 s)"
    )
    assert _miss_warning({"checks_total": 5, "checks_passed": 5, "missed": []}) is None
    assert _miss_warning({"checks_total": 0, "checks_passed": 0}) is None
