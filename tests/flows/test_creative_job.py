from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tests.fakes.openai_server import Reply
from tests.flows.conftest import EXAMPLE_CLIP, FakeRoles, edit_prompt, write_job


def test_full_run_writes_video_report_and_summary(tmp_path: Path, fake_roles: FakeRoles) -> None:
    from flows.creative_job import run_job

    summary = run_job(write_job(tmp_path))

    out = tmp_path / "out"
    assert Path(summary["output_video"]).is_file()
    assert Path(summary["output_video"]).parent == out
    assert (out / "report.md").is_file()
    saved = json.loads((out / "summary.json").read_text())
    assert saved["llm_calls"] == summary["llm_calls"]
    assert summary["intent"]["goal"].startswith("A punchy teaser")
    assert len(summary["scenes"]) == 4
    assert len(summary["analyses"]) == 4
    # one reasoning call, one vision call per scene, at least one coder call
    assert fake_roles.reasoning.chat_count == 1
    assert fake_roles.vision.chat_count == 4
    assert fake_roles.coder.chat_count >= 1
    assert summary["llm_calls"] == fake_roles.chat_count
    assert summary["cache_hits"] == 0
    assert summary["checks_passed"] == summary["checks_total"] == 2  # hard cuts, no added text
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]
    _assert_rendered_the_script(Path(summary["output_video"]))
    report = (out / "report.md").read_text()
    assert "## Scenes" in report and "## Edit script" in report and "## Model calls" in report
    _assert_sheets(out, report)
    _assert_artifacts("test-teaser", summary)


def _frames_at(path: Path, seconds: list[float]) -> list[Any]:
    import cv2

    capture = cv2.VideoCapture(str(path))
    frames = []
    for t in seconds:
        capture.set(cv2.CAP_PROP_POS_MSEC, t * 1000.0)
        ok, frame = capture.read()
        assert ok, f"{path.name}: no frame at {t} s"
        frames.append(frame.astype("float32"))
    capture.release()
    return frames


def _assert_rendered_the_script(video: Path) -> None:
    """Decoded, the output is the coder's edit: 0.5-1.5, 3-4, 5.5-6.5 and 8-9 s of the source."""
    import numpy as np

    from tasks.probe import probe

    assert probe(video).duration == pytest.approx(4.0, abs=0.15)  # the source is 10 s
    # Mid-piece frames of the render match the source where the script took them, and
    # not the source at the same time (which is what an unedited render would show).
    mids = [1.0, 3.5, 6.0, 8.5]
    rendered = _frames_at(video, [0.5, 1.5, 2.5, 3.5])
    taken = _frames_at(EXAMPLE_CLIP, mids)
    same_time = _frames_at(EXAMPLE_CLIP, [0.5, 1.5, 2.5, 3.5])
    for got, want, unedited in zip(rendered, taken, same_time, strict=True):
        assert float(np.abs(got - want).mean()) < 0.5 * float(np.abs(got - unedited).mean())


def _assert_sheets(out: Path, report: str) -> None:
    """The contact sheets decode as pictures and report.md shows them."""
    from PIL import Image

    for name in ("contact-sheet.jpg", "shots.jpg"):
        with Image.open(out / name) as picture:
            picture.load()
            assert picture.width >= 512 and picture.height >= 64
        assert f"![{name}]({name})" in report


def _assert_artifacts(key: str, summary: dict[str, object]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    run_id = UUID(str(summary["flow_run_id"]))
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
        )
    by_key = {a.key: a for a in found}
    assert by_key[f"{key}-report"].type == "markdown"
    assert str(summary["output_video"]) in str(by_key[f"{key}-report"].data)
    # the artifact has no folder beside it: the sheets travel inline, as data URIs
    assert "](data:image/jpeg;base64," in str(by_key[f"{key}-report"].data)
    assert by_key[f"{key}-model-calls"].type == "table"
    assert "tokens" in str(by_key[f"{key}-model-calls"].description)
    assert by_key[f"{key}-analysis-progress"].type == "progress"
    assert float(by_key[f"{key}-analysis-progress"].data) == 100.0


def test_identical_rerun_sends_no_model_call(tmp_path: Path, fake_roles: FakeRoles) -> None:
    from flows.creative_job import run_job

    job = write_job(tmp_path)
    first = run_job(job)
    sent = fake_roles.chat_count
    second = run_job(job)

    assert fake_roles.chat_count == sent
    assert second["llm_calls"] == 0
    # intent + sample + 4 analyses + shots + edit + render + verify
    assert second["cache_hits"] == 10
    assert second["analyses"] == first["analyses"]
    assert Path(second["output_video"]).read_bytes() == Path(first["output_video"]).read_bytes()


def test_renamed_clip_and_new_output_dir_reuse_every_result(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    import shutil

    from flows.creative_job import run_job
    from tests.flows.conftest import EXAMPLE_CLIP

    run_job(write_job(tmp_path))
    sent = fake_roles.chat_count
    other = tmp_path / "elsewhere"
    other.mkdir()
    renamed = shutil.copy(EXAMPLE_CLIP, other / "renamed-copy.mp4")
    summary = run_job(write_job(other, clip=Path(renamed), output_dir="another-out"))

    assert fake_roles.chat_count == sent
    assert summary["llm_calls"] == 0
    assert Path(summary["output_video"]).parent == other / "another-out"


def test_changed_prompt_busts_only_its_step(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.creative_job import run_job

    job = write_job(tmp_path)
    run_job(job)
    before = (
        fake_roles.reasoning.chat_count,
        fake_roles.vision.chat_count,
        fake_roles.coder.chat_count,
    )

    edit_prompt(tmp_path, monkeypatch, "analyze_frames.v2.j2", "\nBe concise.\n")

    summary = run_job(job)

    # only the four scene analyses ran again; their (identical) answers keep the edit cached
    assert fake_roles.reasoning.chat_count == before[0]
    assert fake_roles.vision.chat_count == before[1] + 4
    assert fake_roles.coder.chat_count == before[2]
    assert summary["llm_calls"] == 4
    assert set(summary["cached_steps"]) == {
        "understand_intent",
        "sample_frames",
        "measure_shots",
        "generate_edit",
        "render",
        "verify_edit",
    }
    assert "Be concise." in fake_roles.vision.requests[-1]["messages"][-1]["content"]


def test_changed_model_deployment_busts_only_its_role(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.creative_job import run_job

    job = write_job(tmp_path)
    run_job(job)
    reasoning_before = fake_roles.reasoning.chat_count
    # Serve the reasoning role from another deployment: a different deployment id.
    summary = run_job(job, ["models.reasoning=reasoning-alt"])

    assert fake_roles.reasoning.chat_count == reasoning_before
    assert fake_roles.reasoning_alt.chat_count == 1
    assert summary["llm_calls"] == 1  # only the intent, from the other deployment
    assert "sample_frames" in summary["cached_steps"]
    assert "analyze_frames" in summary["cached_steps"]


def test_two_concurrent_runs_compute_each_step_once(tmp_path: Path, fake_roles: FakeRoles) -> None:
    import threading

    from flows.creative_job import creative_job
    from flows.spec import load_spec
    from tests.fakes.openai_server import Hang, Reply
    from tests.flows.conftest import INTENT

    # The first intent request hangs, so both runs are inside the same step at once.
    fake_roles.reasoning.script(Hang(1.5, Reply.json(INTENT)))
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    specs = [load_spec(write_job(first)), load_spec(write_job(second))]
    results: list[dict[str, object]] = []
    errors: list[BaseException] = []

    def go(spec: object) -> None:
        try:
            results.append(creative_job(spec))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(s,)) for s in specs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)

    assert not errors
    assert len(results) == 2
    assert fake_roles.reasoning.chat_count == 1
    assert fake_roles.vision.chat_count == 4
    assert sum(int(r["llm_calls"]) for r in results) == fake_roles.chat_count
    # the second run takes all ten steps from the cache (shots and verification included)
    assert sum(int(r["cache_hits"]) for r in results) == 10


def test_retry_condition_retries_only_transient_errors() -> None:
    from prefect.states import Failed

    from core.exceptions import ModelOutputError, TransientInferenceError
    from flows._retry import retry_transient as _retry_transient

    assert _retry_transient(None, None, Failed(data=TransientInferenceError("503")))
    assert not _retry_transient(None, None, Failed(data=ModelOutputError("bad json")))
    assert not _retry_transient(None, None, Failed(data=ValueError("bug")))


def test_transient_model_failures_recover(tmp_path: Path, fake_roles: FakeRoles) -> None:
    from flows.creative_job import run_job
    from tests.fakes.openai_server import Fail

    fake_roles.reasoning.script(Fail(503), Fail(503))
    summary = run_job(write_job(tmp_path))
    assert summary["intent"]["goal"]
    assert fake_roles.reasoning.chat_count == 3


def test_failed_step_leaves_no_complete_looking_output(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    from core.exceptions import ModelOutputError
    from flows.creative_job import run_job
    from tests.fakes.openai_server import Reply

    fake_roles.vision.default(Reply("I cannot answer in JSON, sorry."))
    with pytest.raises(ModelOutputError):
        run_job(write_job(tmp_path))
    out = tmp_path / "out"
    leftovers = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert leftovers == []


def test_analysis_concurrency_matches_the_tier() -> None:
    from types import SimpleNamespace

    from core.settings import Settings
    from flows._analysis import capacity as _capacity
    from inference.routing import load_routing

    embedded = SimpleNamespace(routing=load_routing("embedded"))
    assert _capacity(embedded, Settings()) == 1  # the CPU tier serves one request at a time
    assert _capacity(embedded, Settings(job_concurrency=3)) == 3


def test_every_clip_of_a_multi_clip_job_is_sampled_and_analysed(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    import shutil

    from flows.creative_job import run_job
    from tests.flows.conftest import EXAMPLE_CLIP

    second = shutil.copy(EXAMPLE_CLIP, tmp_path / "second.mp4")
    both = (
        "```python\nfrom moviepy import concatenate_videoclips\n\n\ndef edit(source):\n"
        "    return concatenate_videoclips([c.subclipped(0.5, 1.5) for c in source])\n```"
    )
    fake_roles.coder.default(Reply(both))
    summary = run_job(write_job(tmp_path, footage=[str(EXAMPLE_CLIP), str(second)]))

    scenes = [(s["clip"], s["index"]) for s in summary["scenes"]]
    assert len(scenes) == 8 and {c for c, _ in scenes} == {"clip.mp4", "second.mp4"}
    assert [(a["clip"], a["scene"]) for a in summary["analyses"]] == scenes
    # The copy has the same content: its sampling and its four analyses come from the cache.
    # (its shot measurements too: they are keyed by the clip's content)
    assert fake_roles.vision.chat_count == 4
    assert summary["cache_hits"] == 6
    assert summary["edit"]["attempts"] == 1
    # The Coder hears about both clips and about scenes of each.
    prompt = json.dumps(fake_roles.coder.requests[0]["messages"])
    assert "second.mp4" in prompt and "of clip.mp4" in prompt and "of second.mp4" in prompt
    report = (tmp_path / "out" / "report.md").read_text()
    assert "| clip | scene |" in report
    assert f"### Scene {scenes[-1][1]} of second.mp4" in report


def _sample(text: str, prefix: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


def test_runs_feed_the_prometheus_metrics(tmp_path: Path, fake_roles: FakeRoles) -> None:
    from core import metrics
    from flows.creative_job import run_job

    jobs = 'studio_jobs_total{flow="creative-job",state="Completed"}'
    calls = 'studio_model_calls_total{deployment="vision-vision",outcome="ok",role="vision"}'
    hits = 'studio_cache_hits_total{step="analyze_frames"}'
    steps = 'studio_step_duration_seconds_count{step="render"}'
    before = metrics.exposition()

    job = write_job(tmp_path)
    run_job(job)
    run_job(job)

    after = metrics.exposition()
    assert _sample(after, jobs) - _sample(before, jobs) == 2
    assert _sample(after, calls) - _sample(before, calls) == 4  # the rerun sent none
    assert _sample(after, hits) - _sample(before, hits) == 4
    # The rerun found its outputs up to date (flows._up_to_date): no step ran, none timed.
    assert _sample(after, steps) - _sample(before, steps) == 1
