"""Scene analysis for the creative job: one vision task per scene, up to the tier's capacity."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from prefect.futures import PrefectFuture, as_completed

from core.settings import Settings
from flows._progress import artifact, count, say, slug, update_progress
from flows._steps import ModelStep, SampledClip
from flows._tally import Tally
from flows.spec import JobSpec
from tasks import analyze_frames as analyze_step
from tasks.analyze_frames import FrameAnalysis, FrameInput

__all__ = ["analyze_all", "capacity", "scene_label"]


def capacity(client: Any, settings: Settings) -> int:
    """How many scene analyses to keep in flight (the tier's vision capacity, or the setting)."""
    override = getattr(settings, "job_concurrency", None)
    if override:
        return max(1, int(override))
    routing = getattr(client, "routing", None)
    return 1 if routing is None else int(routing.capacity(analyze_step.ROLE))


def _prompt_version(name: str) -> str:
    import prompts

    return prompts.load(name).version


def analyze_all(
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
    groups: list[tuple[tuple[int, int], list[FrameInput], str]] = []
    for number, clip in enumerate(clips):
        for scene in clip.manifest.scenes:
            frames = [f for f in clip.manifest.frames if int(f.scene) == int(scene.index)]
            if frames:
                sound = scene.audio.to_text() if scene.audio is not None else ""
                groups.append(((number, int(scene.index)), frame_inputs(frames, clip.jpegs), sound))
    slots = capacity(client, settings)
    prompt = _prompt_version(analyze_step.PROMPT_NAME)
    deployment = client.deployment_id(analyze_step.ROLE)
    total = len(groups)
    say(f"analysing {total} scenes ({slots} at a time)...")
    count("scenes analysed", 0, total)
    progress_id: Any = None
    analyses: dict[tuple[int, int], FrameAnalysis] = {}
    pending: dict[PrefectFuture[Any], tuple[int, int]] = {}
    queue = list(groups)
    done = 0
    # The progress artifact appears after half a second or at the end, whichever is first:
    # a rerun from the cache then costs one API call for it, not three.
    last_update = time.monotonic()

    def collect(finished: set[PrefectFuture[Any]]) -> None:
        nonlocal done, last_update, progress_id
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
                progress_id = _show_progress(progress_id, spec, total, 100.0 * done / total)
            say(f"{scene_label(spec, key, several).lower()} analysed ({done}/{total})")
            count("scenes analysed", done, total)

    while queue or pending:
        while queue and len(pending) < slots:
            key, frames, sound = queue.pop(0)
            future = tasks["analyze_frames"].submit(
                frames=frames,
                focus=spec.analyze_frames.focus,
                sound=sound,
                prompt=prompt,
                deployment=deployment,
                run_ref=run_ref,
            )
            pending[future] = key
        # Take one finished future at a time so a free slot is refilled at once.
        first = next(as_completed(list(pending)))
        collect({first})
    return analyses


def _show_progress(progress_id: Any, spec: JobSpec, total: int, progress: float) -> Any:
    """Move the analysis progress artifact, creating it the first time; its id."""
    if progress_id is not None:
        update_progress(progress_id, progress)
        return progress_id
    return artifact(
        "progress",
        progress=progress,
        key=f"{slug(spec.name)}-analysis-progress",
        description=f"Scenes analysed out of {total}",
    )


def scene_label(spec: JobSpec, key: tuple[int, int], several: bool) -> str:
    """How the job names a scene (with its clip when the job has several)."""
    from tasks.report import scene_label as label

    number, index = key
    return label(index, spec.footage[number].name if several else "")
