"""The creative job: a YAML spec run end to end as a Prefect flow.

understand_intent -> sample_frames -> analyze_frames (one call per scene, concurrently up to
the tier's capacity) -> generate_edit (through the sandbox) -> render -> report.

Each step is a Prefect task around a plain function in ``tasks/``: retried only for
transient inference failures, bounded by a timeout, and cached by content (see
``flows._caching``): the identical rerun sends no model call and renders nothing. Outputs are
written under temporary names and renamed at the end, so a half-finished job never leaves
something that looks complete.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.futures import PrefectFuture, as_completed

from core import metrics
from core.files import write_atomic
from core.settings import Settings, get_settings
from flows._caching import setup_cache
from flows._steps import (
    ModelStep,
    RenderedVideo,
    SampledClip,
    Tally,
    build_tasks,
    register_run,
    report_task,
    unregister_run,
)
from flows.spec import JobSpec, load_spec
from tasks import analyze_frames as analyze_step
from tasks import understand_intent as intent_step
from tasks.analyze_frames import FrameAnalysis, FrameInput
from tasks.understand_intent import CreativeIntent

__all__ = ["JobRun", "SampledClip", "creative_job", "on_progress", "run_job"]

_log = logging.getLogger("studio.job")

FLOW_NAME = "creative-job"


class _ThreadTimeoutNotice(logging.Filter):
    """Drop Prefect's per-task notice that timeouts cannot interrupt worker threads.

    Scene analyses run in worker threads by design; the timeout still bounds them once the
    model call returns (and the client has its own request timeout), so the notice would
    only repeat once per scene.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "is running in a worker thread" not in record.getMessage()


def _install_log_filter() -> None:
    logger = logging.getLogger("prefect.task_runs")
    if not any(isinstance(f, _ThreadTimeoutNotice) for f in logger.filters):
        logger.addFilter(_ThreadTimeoutNotice())


# --- progress listeners (the CLI prints these; Prefect's own logs stay quiet) ----------

_listeners: list[Callable[[str], None]] = []


@contextlib.contextmanager
def on_progress(listener: Callable[[str], None]) -> Iterator[None]:
    """Receive one-line progress messages while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def _say(message: str) -> None:
    _log.info(message)
    for listener in list(_listeners):
        with contextlib.suppress(Exception):
            listener(message)


class JobRun:
    """One run's client, result cache, Prefect tasks and tally of cache hits.

    While the ``with`` block runs, the step tasks reach the client through ``ref`` (a handle
    that is not content, so it stays out of cache keys).

    Args:
        client: The run's inference client (``complete``, ``recording``, ``deployment_id``).
        settings: The settings the run uses.
    """

    def __init__(self, client: Any, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.cache = setup_cache(settings, announce=_say)
        self.tasks = build_tasks(self.cache)
        self.tally = Tally()
        self.ref = f"{id(client)}-{time.monotonic_ns()}"

    def __enter__(self) -> JobRun:
        register_run(self.ref, self.client, self.settings)
        return self

    def __exit__(self, *_: object) -> None:
        unregister_run(self.ref)

    def analyze(
        self, spec: JobSpec, clips: Sequence[SampledClip]
    ) -> dict[tuple[int, int], FrameAnalysis]:
        """Analyse every scene of ``clips``, at most the tier's capacity at once."""
        return _analyze_all(
            spec, self.client, self.settings, clips, self.tasks, self.tally, self.ref
        )


# --- helpers ------------------------------------------------------------------------------


def _prompt_version(name: str) -> str:
    import prompts

    return prompts.load(name).version


def _capacity(client: Any, settings: Settings) -> int:
    """How many scene analyses to keep in flight (the tier's vision capacity, or the setting)."""
    override = getattr(settings, "job_concurrency", None)
    if override:
        return max(1, int(override))
    routing = getattr(client, "routing", None)
    return 1 if routing is None else int(routing.capacity(analyze_step.ROLE))


def _client_for(spec: JobSpec) -> Any:
    """A client for this run: the process client's routing (re-pointed by ``models``).

    Each run gets its own client (sharing the routing and the health probe) so its call
    records, and so ``llm_calls``, count only this run's requests even when runs overlap.
    """
    base = _get_client()
    return base.with_routing(
        base.routing.with_overrides({str(k): v for k, v in spec.models.items()})
    )


def _coder_role() -> str:
    from tasks.generate_edit import ROLE

    return ROLE


def _get_client() -> Any:
    from inference import get_client

    return get_client()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "job"


def _artifact(kind: str, **kwargs: Any) -> Any:
    """Create a Prefect artifact; a failure to record one never fails the job."""
    from prefect import artifacts

    try:
        return getattr(artifacts, f"create_{kind}_artifact")(**kwargs)
    except Exception as exc:
        _log.warning("could not create %s artifact: %s", kind, exc)
        return None


def _update_progress(artifact_id: Any, progress: float) -> None:
    if artifact_id is None:
        return
    from prefect.artifacts import update_progress_artifact

    try:
        update_progress_artifact(artifact_id=artifact_id, progress=progress)
    except Exception as exc:
        _log.debug("progress artifact update failed: %s", exc)


def _clip_facts(manifest: Any) -> dict[str, Any]:
    """Facts the Coder plans against (the sandbox adds duration, size and fps itself)."""
    video = manifest.video
    return {
        "fps": round(float(video.fps), 3),
        "duration_s": round(float(video.duration), 3),
        "frames": int(video.frames),
        "scenes": [
            {
                "index": int(s.index),
                "start_s": round(float(s.start_s), 3),
                "end_s": round(float(s.end_s), 3),
            }
            for s in manifest.scenes
        ],
    }


def _edit_prompt_version() -> str:
    from tasks.generate_edit import prompt_versions

    return "+".join(f"{k}={v}" for k, v in sorted(prompt_versions().items()))


# --- the flow ----------------------------------------------------------------------------


@flow(name=FLOW_NAME, log_prints=False)
def creative_job(spec: JobSpec) -> dict[str, Any]:
    """Run a creative job end to end.

    Args:
        spec: The validated job spec (``load_spec``).

    Returns:
        The summary: ``output_video``, ``report``, ``intent``, ``scenes``, ``analyses``,
        ``llm_calls`` (requests actually sent), ``cache_hits`` and more.
    """
    _install_log_filter()
    started = time.perf_counter()
    settings = get_settings()
    # Issue 18: confine the paths and probe the footage before any write or model call.
    from flows.admission import admit_job, from_deployment

    spec = admit_job(spec, settings, via_deployment=from_deployment())
    client = _client_for(spec)
    with JobRun(client, settings) as run:
        return _run_steps(spec, run, started)


def _run_steps(spec: JobSpec, run: JobRun, started: float) -> dict[str, Any]:
    from flows._caching import file_sha256
    from tasks.report import JobResults, assemble, call_rows, render_markdown

    client, settings, cache, tasks, tally, run_ref = (
        run.client,
        run.settings,
        run.cache,
        run.tasks,
        run.tally,
        run.ref,
    )
    steps = set(spec.steps)
    try:
        video_sha = file_sha256(spec.video)

        intent: CreativeIntent | None = None
        if "understand_intent" in steps:
            _say("understanding the request...")
            intent = tally.run(
                tasks["understand_intent"],
                "understand_intent",
                request=spec.request,
                prompt=_prompt_version(intent_step.PROMPT_NAME),
                deployment=client.deployment_id(intent_step.ROLE),
                run_ref=run_ref,
            ).value
            _say(f"intent: {intent.goal if intent else '-'}")

        clips: list[SampledClip] = []
        if "sample_frames" in steps:
            for video in spec.footage:
                _say(f"sampling frames from {video.name}...")
                clip = tally.run(
                    tasks["sample_frames"],
                    "sample_frames",
                    video=video,
                    strategy=spec.sample_frames.strategy,
                    max_frames=spec.sample_frames.max_frames,
                )
                assert clip is not None
                clips.append(clip)
                _say(
                    f"{len(clip.manifest.scenes)} scenes, "
                    f"{len(clip.manifest.frames)} frames sampled"
                )

        # Scenes are keyed (clip number, scene index): each clip numbers its own scenes.
        several = len(spec.footage) > 1
        analyses: dict[tuple[int, int], FrameAnalysis] = {}
        if "analyze_frames" in steps and clips:
            with metrics.step_timer("analyze_frames"):
                analyses = run.analyze(spec, clips)

        if len(clips) == 1:
            facts: dict[str, Any] = _clip_facts(clips[0].manifest)
        else:
            facts = {"clips": [_clip_facts(clip.manifest) for clip in clips]} if clips else {}
        outcome: Any = None
        if "generate_edit" in steps:
            _say(f"generating the edit ({spec.generate_edit.mode})...")
            outcome = tally.run(
                tasks["generate_edit"],
                "generate_edit",
                intent=intent,
                analyses=[
                    (_scene_label(spec, key, several), analyses[key]) for key in sorted(analyses)
                ],
                clip_facts=facts,
                inputs=list(spec.footage),
                mode=spec.generate_edit.mode,
                max_repairs=spec.generate_edit.max_repairs,
                prompt=_edit_prompt_version(),
                deployment=client.deployment_id(_coder_role()),
                run_ref=run_ref,
            ).value
            _say(f"edit script ready after {getattr(outcome, 'attempts', '?')} attempt(s)")

        spec.output_dir.mkdir(parents=True, exist_ok=True)
        output_video: Path | None = None
        if "render" in steps and outcome is not None:
            _say("rendering...")
            rendered: RenderedVideo = tally.run(
                tasks["render"], "render", code=outcome.code, inputs=list(spec.footage)
            )
            output_video = write_atomic(spec.output_dir / f"{_slug(spec.name)}.mp4", rendered.data)
            _say(f"rendered {output_video} ({rendered.duration_s:.1f}s)")

        from prefect.runtime import flow_run

        sent = client.records  # the run's own client: every record is this run's
        report_path = spec.output_dir / "report.md"
        report, summary = assemble(
            JobResults(
                name=spec.name,
                request=spec.request,
                footage=list(spec.footage),
                steps=spec.steps,
                profile=getattr(getattr(client, "routing", None), "profile", settings.profile),
                video_sha256=video_sha,
                clip_facts=facts,
                manifests=[clip.manifest for clip in clips],
                intent=intent,
                analyses=analyses,
                edit=outcome,
                edit_mode=spec.generate_edit.mode,
                output_video=output_video,
                report_path=report_path,
                sent=sent,
                cached=tally.cached_calls,
                cache_hits=tally.cache_hits,
                cached_steps=tally.cached_steps,
                cache_backend=cache.backend,
                cache_degraded=cache.degraded,
                gpu_price_per_hour=getattr(settings, "gpu_price_per_hour", {}),
                flow_run_id=str(flow_run.id) if flow_run.id else None,
                duration_s=round(time.perf_counter() - started, 3),
            )
        )
        cost, calls = report.cost, report.calls
        key = _slug(spec.name)
        _artifact(
            "markdown",
            markdown=render_markdown(report),
            key=f"{key}-report",
            description=f"Creative job report: {spec.name}",
        )
        _artifact(
            "table",
            table=call_rows(calls) or [{"role": "-", "deployment": "-", "cache_hit": False}],
            key=f"{key}-model-calls",
            description=f"Model calls; {cost.text}",
        )
        if "report" in steps:
            report_task(report, spec.output_dir, summary)
            _say(f"report: {report_path}")
        _say(
            f"done in {summary['duration_s']:.1f}s: {len(sent)} model calls, "
            f"{tally.cache_hits} cache hits; {cost.text}"
        )
        metrics.count_job(FLOW_NAME, "Completed")
        return summary
    except BaseException as exc:
        metrics.count_failure("creative-job", exc)
        metrics.count_job(FLOW_NAME, "Failed")
        raise
    finally:
        # Calls sent before a failure count too: they were paid for.
        metrics.observe_calls(client.records)
        for step in tally.cached_steps:
            metrics.count_cache_hits(step)


def _analyze_all(
    spec: JobSpec,
    client: Any,
    settings: Settings,
    clips: Sequence[SampledClip],
    tasks: dict[str, Any],
    tally: Tally,
    run_ref: str,
) -> dict[tuple[int, int], FrameAnalysis]:
    """One ``analyze_frames`` task per scene of every clip, at most ``capacity`` in flight."""
    from tasks.analyze_frames import frame_inputs

    several = len(clips) > 1
    groups: list[tuple[tuple[int, int], list[FrameInput]]] = []
    for number, clip in enumerate(clips):
        for scene in clip.manifest.scenes:
            frames = [f for f in clip.manifest.frames if int(f.scene) == int(scene.index)]
            if frames:
                groups.append(((number, int(scene.index)), frame_inputs(frames, clip.jpegs)))
    capacity = _capacity(client, settings)
    prompt = _prompt_version(analyze_step.PROMPT_NAME)
    deployment = client.deployment_id(analyze_step.ROLE)
    total = len(groups)
    _say(f"analysing {total} scenes ({capacity} at a time)...")
    progress_id = _artifact(
        "progress",
        progress=0.0,
        key=f"{_slug(spec.name)}-analysis-progress",
        description=f"Scenes analysed out of {total}",
    )
    analyses: dict[tuple[int, int], FrameAnalysis] = {}
    pending: dict[PrefectFuture[Any], tuple[int, int]] = {}
    queue = list(groups)
    done = 0
    last_update = 0.0

    def collect(finished: set[PrefectFuture[Any]]) -> None:
        nonlocal done, last_update
        for future in finished:
            key = pending.pop(future)
            future.wait()
            step: ModelStep = tally.take("analyze_frames", future.state)
            analyses[key] = step.value
            done += 1
            # One API call per update: at most twice a second (and always at the end).
            now = time.monotonic()
            if done == total or now - last_update >= 0.5:
                last_update = now
                _update_progress(progress_id, 100.0 * done / max(total, 1))
            _say(f"{_scene_label(spec, key, several).lower()} analysed ({done}/{total})")

    while queue or pending:
        while queue and len(pending) < capacity:
            key, frames = queue.pop(0)
            future = tasks["analyze_frames"].submit(
                frames=frames,
                focus=spec.analyze_frames.focus,
                prompt=prompt,
                deployment=deployment,
                run_ref=run_ref,
            )
            pending[future] = key
        # Take one finished future at a time so a free slot is refilled at once.
        first = next(as_completed(list(pending)))
        collect({first})
    return analyses


def _scene_label(spec: JobSpec, key: tuple[int, int], several: bool) -> str:
    from tasks.report import scene_label

    number, index = key
    return scene_label(index, spec.footage[number].name if several else "")


def run_job(path: Path | str, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """Load a spec (with ``--set`` overrides) and run it.

    Raises:
        ConfigError: The spec is invalid (one line).
        StudioError: A step failed for a reason the studio names.
    """
    spec = load_spec(path, overrides)
    result: dict[str, Any] = creative_job(spec)
    return result
