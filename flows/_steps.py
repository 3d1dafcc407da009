"""The creative job's steps as Prefect tasks: bodies around ``tasks/``, retries, timeouts, cache.

Each body is a plain function around one task of ``tasks/``; the model steps reach the run's
client through ``run_ref`` (a handle registered for the run in ``flows._run_refs``, never
part of a cache key) and return their value with the calls they sent (:class:`ModelStep`), so
a cached result still shows its calls in the report.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import Task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict

from core.exceptions import JobError
from flows._caching import CacheSetup
from flows._progress import count
from flows._retry import retry_transient
from flows._run_refs import run_state
from inference.messages import CallRecord
from tasks.analyze_frames import FrameAnalysis, FrameInput
from tasks.brief import Brief
from tasks.understand_intent import CreativeIntent

if TYPE_CHECKING:
    from tasks.plan_edit import EditPlan
    from tasks.shots import Shot

__all__ = [
    "ModelStep",
    "RenderedVideo",
    "SampledClip",
    "build_tasks",
    "report_task",
]

# Per-step timeouts (seconds). Model steps are generous: the CPU tier answers slowly.
# Scene analyses have none: they always run in the task runner's worker threads, where a
# Prefect timeout cannot interrupt anything (it would only fail a finished call late) and
# costs a watcher thread per task run; each is bounded by the client's request timeout per
# attempt instead (routing ``timeout``, capped by ``request_timeout_s``).
_TIMEOUTS: dict[str, float | None] = {
    "understand_intent": 900.0,
    "sample_frames": 600.0,
    "analyze_frames": None,
    "generate_edit": 1800.0,
    "measure_shots": 600.0,
    "render": 900.0,
    "verify_edit": 600.0,
    "report": 120.0,
}
_RETRIES = 2
_RETRY_DELAYS = [2.0, 10.0]


# --- step results -----------------------------------------------------------------------


class ModelStep(BaseModel):
    """A model step's value plus the calls it sent (kept in the cache for the call table)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    value: Any
    calls: list[CallRecord] = []


class SampledClip(BaseModel):
    """The sample manifest plus the JPEG bytes (so a cached sample needs no files)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    manifest: Any
    jpegs: dict[int, bytes] = {}


class RenderedVideo(BaseModel):
    """The rendered video's bytes and facts (cached, so a rerun renders nothing)."""

    data: bytes
    duration_s: float
    width: int
    height: int


# --- indirections to the other areas' plain functions (lazy: heavy imports) -------------


def _sample_frames_fn() -> Callable[..., Any]:
    from tasks.footage import sample_frames

    return sample_frames


def _generate_edit_fn() -> Callable[..., Any]:
    from tasks.generate_edit import generate_edit

    return generate_edit


def _render_fn() -> Callable[..., Any]:
    from tasks.render import render

    return render


# --- step bodies (Prefect wraps these; inputs named run_ref/out are not cache content) --


def _intent_body(request: str, prompt: str, deployment: str, run_ref: str) -> ModelStep:
    from tasks.understand_intent import understand

    client = run_state(run_ref).client
    with client.recording() as calls:
        understanding = understand(client, request)
    return ModelStep(value=understanding, calls=calls)


def _shots_body(video: Path) -> list[Shot]:
    # Keyed by the clip's content alone: the caller numbers the shots' source.
    from tasks.measure_shots import measure_shots

    return measure_shots(video, 0)


def _verify_body(
    key: str, render: Path, sources: list[Path], brief: Brief, shots: list[Shot]
) -> list[Any]:
    # ``key`` is ``verification_key`` of the other inputs: the cache keys on it alone.
    from tasks.verify_edit import verify_edit

    return list(verify_edit(render, sources, brief, shots))


def _sample_body(video: Path, strategy: str, max_frames: int) -> SampledClip:
    with tempfile.TemporaryDirectory(prefix="studio-frames-") as tmp:
        manifest = _sample_frames_fn()(
            video,
            Path(tmp),
            max_frames=max_frames,
            strategy=strategy,
            progress=lambda done, total: count("frames decoded", done, total),
        )
        jpegs: dict[int, bytes] = {}
        for frame in manifest.frames:
            path = Path(frame.path)
            if path.is_file():
                jpegs[int(frame.frame_number)] = path.read_bytes()
    return SampledClip(manifest=manifest, jpegs=jpegs)


def _analyze_body(
    frames: list[FrameInput],
    focus: str,
    prompt: str,
    deployment: str,
    run_ref: str,
    sound: str = "",
) -> ModelStep:
    from tasks.analyze_frames import analyze_frames

    client = run_state(run_ref).client
    with client.recording() as calls:
        analysis = analyze_frames(client, frames, focus, sound=sound)
    return ModelStep(value=analysis, calls=calls)


def _edit_body(
    intent: CreativeIntent | None,
    analyses: list[tuple[str, FrameAnalysis]],
    clip_facts: dict[str, Any],
    inputs: list[Path],
    mode: str,
    max_repairs: int,
    prompt: str,
    deployment: str,
    run_ref: str,
    plan: EditPlan | None = None,
    feedback: list[str] | None = None,
) -> ModelStep:
    client = run_state(run_ref).client
    with client.recording() as calls:
        outcome = _generate_edit_fn()(
            client,
            intent=intent,
            analyses=analyses,
            clip_facts=clip_facts,
            inputs=inputs,
            mode=mode,
            max_repairs=max_repairs,
            plan=plan,
            feedback=feedback or [],
        )
    return ModelStep(value=outcome, calls=calls)


def _render_body(code: str, inputs: list[Path]) -> RenderedVideo:
    with tempfile.TemporaryDirectory(prefix="studio-render-") as tmp:
        target = Path(tmp) / "output.mp4"
        result = _render_fn()(
            code,
            inputs,
            target,
            progress=lambda done, total: count("frames rendered", done, total),
        )
        produced = Path(getattr(result, "output", target) or target)
        if not produced.is_file():
            raise JobError("render: the edit script produced no video")
        return RenderedVideo(
            data=produced.read_bytes(),
            duration_s=float(getattr(result, "duration_s", 0.0) or 0.0),
            width=int(getattr(result, "width", 0) or 0),
            height=int(getattr(result, "height", 0) or 0),
        )


def build_tasks(cache: CacheSetup) -> dict[str, Any]:
    """Make this run's Prefect tasks, bound to its cache storage and locks."""
    common: dict[str, Any] = {
        "retries": _RETRIES,
        "retry_delay_seconds": _RETRY_DELAYS,
        "retry_condition_fn": retry_transient,
        "persist_result": True,
        "cache_result_in_memory": False,
    }
    # The model steps take ``run_ref`` (a handle on this run's client), which is not
    # content and must stay out of their cache keys.
    steps: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
        "understand_intent": (_intent_body, ("run_ref",)),
        "sample_frames": (_sample_body, ()),
        "analyze_frames": (_analyze_body, ("run_ref",)),
        "generate_edit": (_edit_body, ("run_ref",)),
        "render": (_render_body, ()),
        "measure_shots": (_shots_body, ()),
        "verify_edit": (_verify_body, ("render", "sources", "brief", "shots")),
    }
    tasks: dict[str, Any] = {
        name: Task(
            body,
            name=name,
            cache_policy=cache.policy(name, ignore=ignore),
            timeout_seconds=_TIMEOUTS[name],
            **common,
        )
        for name, (body, ignore) in steps.items()
    }
    for t in tasks.values():
        # Prefect only accepts server-saved blocks in the constructor; an unsaved block works
        # at run time and spares the studio a block registry. Assigning after construction
        # is the supported attribute the engine reads (ResultStore.update_for_task).
        t.result_storage = cache.storage
    return tasks


def _report_body(report: Any, output_dir: Path, summary: dict[str, Any]) -> tuple[Path, Path]:
    return _write_report(report, output_dir, summary)


# The report is written on every run: never cached.
report_task: Any = Task(
    _report_body,
    name="report",
    cache_policy=NO_CACHE,
    persist_result=False,
    timeout_seconds=_TIMEOUTS["report"],
)


def _write_report(report: Any, output_dir: Path, summary: dict[str, Any]) -> tuple[Path, Path]:
    from tasks.report import write_report

    return write_report(report, output_dir, summary)
