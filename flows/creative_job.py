"""The creative job: a YAML spec run end to end as a Prefect flow.

understand (intent + brief) -> sample_frames -> analyze_frames (one call per scene, up to the
tier's capacity) -> measure shots -> plan -> edit rounds (edit -> render -> verify, revised
while the brief is missed; see ``flows._edit_rounds``) -> timeline -> report.

Each step is a Prefect task around a plain function in ``tasks/``: retried only for
transient inference failures, bounded by a timeout, and cached by content (see
``flows._caching``): the identical rerun sends no model call and renders nothing; when its
outputs are still in place unchanged it runs no step at all (``flows._up_to_date``). Outputs are
written under temporary names and renamed at the end, so a half-finished job never leaves
something that looks complete.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect import flow

from core import metrics
from core.settings import get_settings
from flows._analysis import scene_label
from flows._heartbeats import install as _install_heartbeats
from flows._job_run import JobRun
from flows._progress import on_count, on_progress, say
from flows._steps import SampledClip
from flows.spec import JobSpec, load_spec
from tasks.analyze_frames import FrameAnalysis

__all__ = ["JobRun", "SampledClip", "creative_job", "on_count", "on_progress", "run_job"]

FLOW_NAME = "creative-job"
# Before any run of this flow starts: a run that sends heartbeats ends with its last
# line, not up to a second later (flows._heartbeats).
_install_heartbeats()


# --- helpers ------------------------------------------------------------------------------


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
    started = time.perf_counter()
    settings = get_settings()
    from flows._recovery import refuse_endless_reruns

    refuse_endless_reruns(FLOW_NAME)
    # Issue 18: confine the paths and probe the footage before any write or model call.
    from flows.admission import admit_job, from_deployment

    spec = admit_job(spec, settings, via_deployment=from_deployment())
    client = _client_for(spec)
    # Runs of a deployment share each model server's capacity through Prefect (issue 13).
    gate = _shared_gate(client.routing) if from_deployment() else None
    client.gate = gate
    try:
        with JobRun(client, settings) as run:
            summary = _run_steps(spec, run, started)
    finally:
        if gate is not None:
            gate.close()
    if gate is not None:
        summary["model_slot_wait_s"] = gate.longest_wait_s
    return summary


def _shared_gate(routing: Any) -> Any:
    from flows._model_slots import shared_gate

    return shared_gate(routing)


def _run_steps(spec: JobSpec, run: JobRun, started: float) -> dict[str, Any]:
    from flows._finish import finish_job, finish_up_to_date
    from flows._understanding import understand_request
    from flows._up_to_date import job_key, recorded_run

    client, tally = run.client, run.tally
    steps = set(spec.steps)
    try:
        # Like make: when nothing that decides the outputs changed and they are all still
        # there, byte for byte, there is nothing to compute (flows._up_to_date).
        key = job_key(spec, client, run.settings)
        record = recorded_run(run.cache.storage, key, spec.output_dir)
        if record is not None:
            summary = finish_up_to_date(spec, run, started, record)
            metrics.count_job(FLOW_NAME, "Completed")
            return summary
        understanding = understand_request(spec, run)
        clips: list[SampledClip] = []
        if "sample_frames" in steps:
            for video in spec.footage:
                say(f"sampling frames from {video.name}...")
                clip = tally.run(
                    run.tasks["sample_frames"],
                    "sample_frames",
                    video=video,
                    strategy=spec.sample_frames.strategy,
                    max_frames=spec.sample_frames.max_frames,
                )
                assert clip is not None
                clips.append(clip)
                scenes, frames = len(clip.manifest.scenes), len(clip.manifest.frames)
                say(f"{scenes} scenes, {frames} frames sampled")

        # Scenes are keyed (clip number, scene index): each clip numbers its own scenes.
        analyses: dict[tuple[int, int], FrameAnalysis] = {}
        if "analyze_frames" in steps and clips:
            with metrics.step_timer("analyze_frames"):
                analyses = run.analyze(spec, clips)

        if len(clips) == 1:
            facts: dict[str, Any] = _clip_facts(clips[0].manifest)
        else:
            facts = {"clips": [_clip_facts(clip.manifest) for clip in clips]} if clips else {}
        rounds = None
        if "generate_edit" in steps:
            rounds = _edit(spec, run, understanding, clips, analyses, facts)
        summary = finish_job(spec, run, started, understanding, clips, analyses, facts, rounds, key)
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


def _edit(
    spec: JobSpec,
    run: JobRun,
    understanding: Any,
    clips: Sequence[SampledClip],
    analyses: dict[tuple[int, int], FrameAnalysis],
    facts: dict[str, Any],
) -> Any:
    """Measure the shots, then run the edit rounds on the job's route."""
    from flows._edit_rounds import RoundInputs, run_rounds
    from tasks.generate_edit import ROLE as CODER
    from tasks.on_footage import on_footage
    from tasks.plan_route import edit_route
    from tasks.plan_sound import with_speech_default

    say("measuring the shots...")
    shots = []
    for number, video in enumerate(spec.footage):
        measured = run.tally.run(run.tasks["measure_shots"], "measure_shots", video=video)
        shots += [shot.model_copy(update={"source": number}) for shot in measured]
    durations = [_duration_of(video, clips, n) for n, video in enumerate(spec.footage)]
    profile = str(getattr(getattr(run.client, "routing", None), "profile", run.settings.profile))
    route = edit_route(spec.generate_edit.mode, profile)
    several = len(spec.footage) > 1
    audio = [clip.manifest.audio for clip in clips] if len(clips) == len(spec.footage) else []
    fps = [float(clip.manifest.video.fps) for clip in clips]
    # The footage is known from here on: asks against it ("half its length", "all but scene
    # 2", "trim 2 s off the start") become seconds of it.
    brief = on_footage(with_speech_default(understanding.brief, audio), shots, durations)
    say(f"editing on the {route} route ({1 + spec.generate_edit.revisions} round(s) at most)...")
    return run_rounds(
        RoundInputs(
            run=run,
            inputs=list(spec.footage),
            intent=understanding.intent,
            brief=brief,
            analyses=[(scene_label(spec, k, several), analyses[k]) for k in sorted(analyses)],
            facts=facts,
            shots=shots,
            durations=durations,
            route=route,
            revisions=spec.generate_edit.revisions,
            max_repairs=spec.generate_edit.max_repairs,
            edit_prompt=_edit_prompt_version(),
            coder_deployment=run.client.deployment_id(CODER),
            audio=audio,
            fps=fps,
        ),
        say,
    )


def _duration_of(video: Path, clips: Sequence[SampledClip], number: int) -> float:
    if number < len(clips):
        return float(clips[number].manifest.video.duration)
    from tasks.probe import probe

    return float(probe(video).duration)


def run_job(path: Path | str, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """Load a spec (with ``--set`` overrides) and run it.

    Raises:
        ConfigError: The spec is invalid (one line).
        StudioError: A step failed for a reason the studio names.
    """
    spec = load_spec(path, overrides)
    result: dict[str, Any] = creative_job(spec)
    return result
