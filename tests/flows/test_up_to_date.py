"""An identical rerun whose outputs are all in place runs no step (``flows._up_to_date``).

Every other rerun (a changed request, footage, prompt, output folder or ``--set``, an edited
or deleted output) takes the normal path, where the steps' own caches still apply.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tests.flows.conftest import EXAMPLE_CLIP, FakeRoles, edit_prompt, write_job

UP_TO_DATE = "outputs up to date"
VIDEO = "test-teaser.mp4"


def _run(job: Path, overrides: tuple[str, ...] = ()) -> tuple[dict[str, Any], bool]:
    """The run's summary, and whether it found its outputs up to date (its progress line)."""
    from flows.creative_job import on_progress, run_job

    said: list[str] = []
    with on_progress(said.append):
        summary = run_job(job, overrides)
    return summary, any(line.startswith(UP_TO_DATE) for line in said)


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _decoded_seconds(video: Path) -> float:
    """The length of ``video`` counted from its decoded frames (not its header)."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return frames / float(stream.average_rate or 1)


def _task_runs(flow_run_id: str) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        return client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(flow_run_id)]))
        )


def test_identical_rerun_runs_no_step_and_reports_what_a_cached_rerun_reports(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    from prefect.client.orchestration import get_client

    job = write_job(tmp_path)
    out = tmp_path / "out"
    first, up = _run(job)
    assert not up
    before = _files(out)
    sent = fake_roles.chat_count
    # The rerun every step's cache answers (made to take that path by a cut-short video).
    (out / VIDEO).write_bytes(before[VIDEO][:100])
    cached, up = _run(job)
    assert not up
    cached_report = (out / "report.md").read_text()

    second, up = _run(job)

    assert up
    assert fake_roles.chat_count == sent
    assert second["llm_calls"] == 0
    # intent + sample + 4 analyses + shots + edit + render + verify: all hits
    assert second["cache_hits"] == 10
    # What the user gets is what the cached rerun gave, but for this run's id and time.
    run_fields = {"flow_run_id", "duration_s"}
    assert {k: v for k, v in second.items() if k not in run_fields} == {
        k: v for k, v in cached.items() if k not in run_fields
    }
    report = (out / "report.md").read_text()
    assert _without_wall_time(report) == _without_wall_time(cached_report)
    assert "Model calls sent: 0; cache hits: 10" in report
    after = _files(out)
    assert set(after) == set(before)
    for name in set(before) - {"report.md", "summary.json"}:
        assert after[name] == before[name], name
    saved = json.loads((out / "summary.json").read_text())
    assert saved["flow_run_id"] == second["flow_run_id"] != first["flow_run_id"]
    assert saved["llm_calls"] == 0 and saved["cache_hits"] == 10
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]
    assert _decoded_seconds(out / VIDEO) == pytest.approx(4.0, abs=0.15)
    # Still a Prefect run of its own, Completed, with its report artifact and no task run.
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(UUID(second["flow_run_id"])).state
    assert state is not None and state.is_completed()
    assert _task_runs(second["flow_run_id"]) == []
    assert "](data:image/jpeg;base64," in _report_artifact(second["flow_run_id"])


def _without_wall_time(report: str) -> str:
    return "\n".join(line for line in report.splitlines() if not line.startswith("- Wall time"))


def _report_artifact(flow_run_id: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(flow_run_id)]))
        )
    return next(str(a.data) for a in found if a.key == "test-teaser-report")


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_an_edited_or_deleted_output_video_is_rendered_again(
    tmp_path: Path, fake_roles: FakeRoles, change: str
) -> None:
    job = write_job(tmp_path)
    video = tmp_path / "out" / VIDEO
    _run(job)
    rendered = video.read_bytes()
    if change == "edited":
        video.write_bytes(rendered[: len(rendered) // 2])  # cut short: no longer that video
    else:
        video.unlink()

    summary, up = _run(job)

    assert not up
    assert summary["llm_calls"] == 0  # the normal path: every step from its cache
    assert video.read_bytes() == rendered
    assert _decoded_seconds(video) == pytest.approx(4.0, abs=0.15)
    assert _run(job)[1]  # and recorded again


def test_changed_footage_bytes_run_the_steps(tmp_path: Path, fake_roles: FakeRoles) -> None:
    clip = Path(shutil.copy(EXAMPLE_CLIP, tmp_path / "clip.mp4"))
    job = write_job(tmp_path, clip=clip)
    _run(job)
    with clip.open("ab") as handle:  # still the same pictures, but other bytes
        handle.write(b"\0\0\0\x08free")

    summary, up = _run(job)

    assert not up
    assert "sample_frames" not in summary["cached_steps"]
    assert _run(job)[1]  # recorded under the new bytes


def test_changed_request_or_set_override_runs_the_job(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    job = write_job(tmp_path)
    _run(job)

    revised, up = _run(job, ("generate_edit.revisions=1",))
    assert not up
    assert revised["llm_calls"] == 0  # the steps' caches still answer
    assert _run(job, ("generate_edit.revisions=1",))[1]  # the same override: up to date
    reasoning = fake_roles.reasoning.chat_count

    asked, up = _run(job, ("request=Cut a calm teaser that keeps the hard cuts.",))
    assert not up
    assert fake_roles.reasoning.chat_count == reasoning + 1
    assert asked["llm_calls"] >= 1


def test_changed_prompt_version_runs_the_job(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = write_job(tmp_path)
    _run(job)
    edit_prompt(tmp_path, monkeypatch, "understand_intent.v2.j2", "\nBe brief.\n")

    summary, up = _run(job)

    assert not up
    assert summary["llm_calls"] == 1  # the intent, under its new prompt
    assert _run(job)[1]  # recorded under the new version


def test_another_output_dir_gets_its_own_outputs(tmp_path: Path, fake_roles: FakeRoles) -> None:
    job = write_job(tmp_path)
    _run(job)
    (tmp_path / "elsewhere").mkdir()
    other = write_job(tmp_path / "elsewhere", output_dir=str(tmp_path / "out-2"))

    summary, up = _run(other)

    assert not up
    assert Path(summary["output_video"]) == tmp_path / "out-2" / VIDEO
    assert (tmp_path / "out-2" / VIDEO).read_bytes() == (tmp_path / "out" / VIDEO).read_bytes()
    assert _run(job)[1] and _run(other)[1]


def test_key_follows_models_settings_and_footage_path(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.settings import get_settings
    from flows._up_to_date import job_key
    from flows.creative_job import _client_for
    from flows.spec import load_spec

    def key(job: Path, *overrides: str) -> str:
        spec = load_spec(job, overrides)
        return job_key(spec, _client_for(spec), get_settings())

    job = write_job(tmp_path)
    base = key(job)
    assert key(job) == base
    assert key(job, "models.reasoning=reasoning-alt") != base
    renamed = Path(shutil.copy(EXAMPLE_CLIP, tmp_path / "renamed.mp4"))
    (tmp_path / "b").mkdir()
    assert key(write_job(tmp_path / "b", clip=renamed, output_dir=str(tmp_path / "out"))) != base
    monkeypatch.setenv("STUDIO_SANDBOX_MAX_DURATION_S", "5")
    get_settings.cache_clear()
    assert key(job) != base
