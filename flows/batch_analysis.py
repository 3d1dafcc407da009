"""Batch analysis of a footage library: probe, sample and analyse every clip in a folder.

Each clip is one task run: probe (content sha256), skip when the library already holds a
complete analysis of that content, else sample frames, analyse each scene through the
vision role and write ``analysis.json`` atomically, then index it in the catalog (see
``tasks.catalog``). Several clips run at once, so that the next clips are probed and
sampled while the model answers for the current ones; the vision requests of all of them
together stay within the routing file's capacity for the role (``flows._batch_pipeline``:
the CPU tier serves one at a time, a vLLM server many).

Failure policy: a bad clip fails alone; the others still finish and are saved. The batch
then ends **Failed** (not Completed) with a message naming every failed clip, so the run
is red in the UI, ``studio analyze`` exits non-zero and Prefect automations on failure
fire. The finished clips are kept, so a rerun only redoes the failed and missing ones: the
same rule makes a killed batch resumable. A clip retried after a transient failure reuses the
frames its failed try sampled (``flows._batch_frames``). The summary is the flow's result
(on failure, ``BatchFailure.summary``) and the ``footage-batch-summary`` markdown artifact.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.states import Failed

from core import metrics
from core.exceptions import ConfigError, JobError, StudioError
from flows._batch_failure import BatchFailure
from flows._batch_frames import sampled_frames
from flows._batch_pipeline import (
    CLIP_RETRIES,
    CLIP_RETRY_DELAYS_S,
    clips_at_once,
    content_lock,
    model_gate,
)
from flows._progress import count, on_count
from flows._retry import retry_transient
from tasks import catalog
from tasks.analyze_frames import descriptor_text

__all__ = [
    "DEFAULT_FOCUS",
    "VIDEO_SUFFIXES",
    "BatchFailure",
    "analyse_clip",
    "batch_analysis",
    "find_clips",
    "on_count",
    "run_batch",
]

DEFAULT_FOCUS = "subjects, setting, mood, composition and motion, for finding shots later"
VIDEO_SUFFIXES = frozenset({".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg"})
FLOW_NAME = "footage-batch-analysis"


def _plain(obj: Any) -> Any:
    """Turn dataclasses / pydantic models / paths into JSON-able values."""
    if hasattr(obj, "model_dump"):
        return _plain(obj.model_dump(mode="json"))
    if is_dataclass(obj) and not isinstance(obj, type):
        return _plain(asdict(obj))
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, bytes):
        return None
    return obj


def find_clips(folder: Path, pattern: str) -> tuple[list[Path], int]:
    """List the video files in ``folder`` matching ``pattern``.

    Returns:
        The clips (sorted) and how many matching files were ignored as not video.

    Raises:
        ConfigError: The folder does not exist, or the pattern reaches outside it.
    """
    if not folder.is_dir():
        raise ConfigError(f"footage folder not found: {folder}")
    if not pattern or Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise ConfigError(f"glob {pattern!r}: a pattern inside the folder, e.g. '*.mp4'")
    clips: list[Path] = []
    ignored = 0
    for path in sorted(folder.glob(pattern)):
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix.lower() in VIDEO_SUFFIXES:
            clips.append(path)
        else:
            ignored += 1
    return clips, ignored


def _vision_capacity(client: Any) -> int:
    from tasks.analyze_frames import ROLE

    routing = getattr(client, "routing", None)
    return 1 if routing is None else int(routing.capacity(ROLE))


def _analyse_scenes(
    groups: dict[int, list[Any]],
    jpegs: dict[int, bytes],
    focus: str,
    sounds: dict[int, str] | None = None,
) -> tuple[dict[int, Any], list[Any]]:
    from inference import get_client
    from tasks.analyze_frames import ROLE, analyze_frames, frame_inputs

    client = get_client()
    capacity = _vision_capacity(client)
    # Shared by every clip of the process: no more requests in flight than the vision
    # deployments serve at once, or queued calls would spend their timeout waiting.
    gate = model_gate(ROLE, capacity)
    calls: list[Any] = []
    lock = threading.Lock()

    def one(scene: int) -> tuple[int, Any]:
        with gate, client.recording() as sent:
            sound = (sounds or {}).get(scene, "")
            analysis = analyze_frames(
                client, frame_inputs(groups[scene], jpegs), focus, sound=sound
            )
        with lock:
            calls.extend(sent)
        return scene, analysis

    with ThreadPoolExecutor(max_workers=max(1, min(len(groups), capacity))) as pool:
        results = dict(pool.map(one, sorted(groups)))
    return results, calls


@task(
    name="analyse-clip",
    task_run_name="analyse {path}",
    # Longer than a backend outage as the clips in flight see it (flows._batch_pipeline).
    retries=CLIP_RETRIES,
    retry_delay_seconds=list(CLIP_RETRY_DELAYS_S),
    retry_condition_fn=retry_transient,
    cache_policy=NO_CACHE,
)
def analyse_clip(
    path: str,
    library: str,
    focus: str = DEFAULT_FOCUS,
    max_frames: int = 6,
    strategy: str = "scene",
    force: bool = False,
) -> dict[str, Any]:
    """Analyse one clip into the library, or skip it when already complete.

    Args:
        path: The clip.
        library: The library folder (analysis files and catalog).
        focus: What the vision role should pay attention to.
        max_frames: Most frames sampled from the clip.
        strategy: ``scene`` or ``uniform`` sampling.
        force: Re-analyse even when a complete analysis exists.

    Returns:
        ``{path, sha256, status: analysed|skipped, scenes, analyses, llm_calls, ...}``.
    """
    from tasks.probe import check_decodable, fingerprint

    lib = Path(library)
    clip = Path(path)
    with metrics.step_timer("probe"):
        # A video whose first frame decodes, and its content hash: all a skip needs. The full
        # probe (every frame decoded) comes from the sampling's own decode, so a clip is
        # decoded once, and an analysed one not at all.
        check_decodable(clip)
        sha = fingerprint(clip)
    # A copy of a clip analysed right now by another clip of the batch waits, then skips.
    with content_lock(sha):
        return _analyse_content(clip, lib, sha, focus, max_frames, strategy, force)


def _analyse_content(
    clip: Path,
    lib: Path,
    sha: str,
    focus: str,
    max_frames: int,
    strategy: str,
    force: bool,
) -> dict[str, Any]:
    out = catalog.clip_dir(lib, sha)
    if not force and catalog.is_complete(lib, sha):
        # The catalog row may be missing if a batch died between rename and index.
        catalog.index_analysis(lib, catalog.load_analysis(out / catalog.ANALYSIS_FILE) or {})
        metrics.count_cache_hits("batch:clip")
        return {"path": str(clip), "sha256": sha, "status": "skipped", "llm_calls": 0}

    # A retried clip finds its frames sampled by the failed try (flows._batch_frames).
    manifest = sampled_frames(clip, out / "frames", sha, max_frames, strategy, force=force)
    if not manifest.frames:
        raise JobError(f"{clip.name}: no frame could be sampled")
    if manifest.video.sha256 != sha:  # written to while we read it: not this content's analysis
        raise JobError(f"{clip.name}: the file changed while it was analysed; analyse it again")
    groups: dict[int, list[Any]] = {}
    for frame in manifest.frames:
        groups.setdefault(int(frame.scene), []).append(frame)
    jpegs = {f.frame_number: Path(f.path).read_bytes() for f in manifest.frames}
    with metrics.step_timer("analyze_frames"):
        sounds = {int(s.index): s.audio.to_text() for s in manifest.scenes if s.audio is not None}
        analyses, records = _analyse_scenes(groups, jpegs, focus, sounds)
    metrics.observe_calls(records)
    from core.settings import get_settings
    from tasks.report import estimate_cost

    settings = get_settings()
    cost = estimate_cost(records, settings.profile, settings.gpu_price_per_hour)

    scenes = {int(s.index): s for s in manifest.scenes}
    document = {
        "sha256": sha,
        "source": str(clip.absolute()),
        "name": clip.name,
        "analysed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "focus": focus,
        "strategy": strategy,
        "probe": _plain(manifest.video),
        "scenes": _plain(manifest.scenes),
        "audio": _plain(manifest.audio),
        "frames": [
            {
                **_plain(f),
                "path": str(Path(f.path).resolve().relative_to(out.resolve())),
                "descriptors_text": descriptor_text(f.descriptors),
            }
            for f in manifest.frames
        ],
        "analyses": [
            {
                "scene": scene,
                "start_s": getattr(scenes.get(scene), "start_s", None),
                "end_s": getattr(scenes.get(scene), "end_s", None),
                **analysis.model_dump(mode="json"),
            }
            for scene, analysis in sorted(analyses.items())
        ],
        "llm_calls": len(records),
        "tokens_in": sum(r.tokens_in for r in records),
        "tokens_out": sum(r.tokens_out for r in records),
    }
    catalog.write_analysis(lib, document)
    catalog.index_analysis(lib, document)
    return {
        "path": str(clip),
        "sha256": sha,
        "status": "analysed",
        "scenes": len(manifest.scenes),
        "analyses": len(analyses),
        "blind": any(a.blind for a in analyses.values()),
        "llm_calls": len(records),
        "tokens_in": document["tokens_in"],
        "tokens_out": document["tokens_out"],
        "cost_usd": cost.usd,
    }


def _markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"# Footage batch: {summary['folder']} ({summary['glob']})",
        "",
        f"{summary['clips']} clips: **{summary['analysed']} analysed**, "
        f"{summary['skipped']} already complete, **{summary['failed']} failed**, "
        f"{summary['ignored']} non-video files ignored. "
        f"{summary['llm_calls']} model calls in {summary['duration_s']:.1f} s.",
        "",
        f"Library: `{summary['output']}` (catalog `{catalog.CATALOG_FILE}`)",
        "",
        "| clip | status | scenes | model calls | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in summary["results"]:
        lines.append(
            f"| {Path(item['path']).name} | {item['status']} | {item.get('analyses', '')} "
            f"| {item.get('llm_calls', 0)} | {item.get('error', '')} |"
        )
    return "\n".join(lines)


def run_batch(
    folder: Path,
    output: Path,
    *,
    glob: str = "*",
    focus: str = DEFAULT_FOCUS,
    max_frames: int = 6,
    strategy: str = "scene",
    force: bool = False,
    paths: list[Path] | None = None,
) -> dict[str, Any]:
    """Analyse clips into ``output`` (call inside a flow run: each clip is a task run).

    Args:
        folder: The footage folder (ignored when ``paths`` is given, except in the summary).
        output: The library folder.
        glob: Pattern of clips inside ``folder`` (``**/*`` recurses).
        focus: What the vision role should pay attention to.
        max_frames: Most frames sampled per clip.
        strategy: ``scene`` or ``uniform``.
        force: Re-analyse clips that already have a complete analysis.
        paths: Explicit clips instead of a folder scan.

    Returns:
        The summary; ``failed > 0`` when some clips failed.
    """
    logger = get_run_logger()
    started = time.perf_counter()
    if paths is None:
        clips, ignored = find_clips(folder, glob)
    else:
        clips, ignored = list(paths), 0
    output.mkdir(parents=True, exist_ok=True)
    from prefect.futures import PrefectFuture, as_completed
    from prefect.task_runners import ThreadPoolTaskRunner

    from inference import get_client

    at_once = clips_at_once(_vision_capacity(get_client()) if clips else 1, len(clips))
    done: dict[int, dict[str, Any]] = {}
    count("clips", 0, len(clips))
    # The runner starts the clips in order, ``at_once`` at a time; each is a task run.
    runner: ThreadPoolTaskRunner[Any] = ThreadPoolTaskRunner(max_workers=at_once)
    with runner:
        futures: dict[PrefectFuture[Any], int] = {
            runner.submit(
                analyse_clip,
                {
                    "path": str(clip),
                    "library": str(output),
                    "focus": focus,
                    "max_frames": max_frames,
                    "strategy": strategy,
                    "force": force,
                },
            ): index
            for index, clip in enumerate(clips)
        }
        for future in as_completed(list(futures)):
            index = futures[future]
            future.wait()  # done: this keeps its final state (no API read)
            done[index] = _outcome(clips[index], future.state, logger)
            count("clips", len(done), len(clips))
    results = [done[index] for index in range(len(clips))]
    summary: dict[str, Any] = {
        "folder": str(folder),
        "glob": glob,
        "output": str(output),
        "catalog": str(output / catalog.CATALOG_FILE),
        "clips": len(clips),
        "analysed": sum(r["status"] == "analysed" for r in results),
        "skipped": sum(r["status"] == "skipped" for r in results),
        "failed": sum(r["status"] == "failed" for r in results),
        "ignored": ignored,
        "llm_calls": sum(int(r.get("llm_calls", 0)) for r in results),
        "cache_hits": sum(r["status"] == "skipped" for r in results),
        "tokens_in": sum(int(r.get("tokens_in", 0)) for r in results),
        "tokens_out": sum(int(r.get("tokens_out", 0)) for r in results),
        # GPU cost is estimated only on the vLLM profile; None when nothing was priced.
        "cost_usd": _total_cost(results),
        "failures": [
            {"path": r["path"], "kind": r["kind"], "error": r["error"]}
            for r in results
            if r["status"] == "failed"
        ],
        "results": results,
        "duration_s": round(time.perf_counter() - started, 3),
    }
    return summary


def _outcome(clip: Path, state: State[Any], logger: Any) -> dict[str, Any]:
    """One clip's result, or its failure as a ``failed`` entry."""
    try:
        result: dict[str, Any] = state.result()
        return result
    except Exception as exc:
        kind = type(exc).__name__
        message = str(exc) if isinstance(exc, StudioError) else f"{kind}: {exc}"
        logger.error("clip failed: %s: %s", clip, message)
        metrics.count_failure("batch:clip", exc)
        return {"path": str(clip), "status": "failed", "kind": kind, "error": message}


def _total_cost(results: list[dict[str, Any]]) -> float | None:
    priced = [float(r["cost_usd"]) for r in results if r.get("cost_usd") is not None]
    return round(sum(priced), 6) if priced else None


def _headline(summary: dict[str, Any]) -> str:
    failed = ", ".join(f"{Path(f['path']).name} ({f['error']})" for f in summary["failures"])
    return f"{summary['failed']} of {summary['clips']} clips failed: {failed}"


@flow(name=FLOW_NAME, persist_result=True, log_prints=True)
def batch_analysis(
    folder: str,
    glob: str = "*",
    focus: str = DEFAULT_FOCUS,
    output: str | None = None,
    max_frames: int = 6,
    strategy: str = "scene",
    force: bool = False,
    files: list[str] | None = None,
) -> dict[str, Any] | State[Any]:
    """Analyse every clip of a footage folder into a searchable library.

    Args:
        folder: Folder with the clips.
        glob: Which files of the folder (``*`` top level, ``**/*`` recursive); files
            without a video suffix are ignored.
        focus: What the vision role should pay attention to.
        output: Library folder; default ``Settings.library_dir`` (``<home>/library``).
        max_frames: Most frames sampled per clip.
        strategy: ``scene`` (frames per detected cut) or ``uniform``.
        force: Re-analyse clips that already have a complete analysis.
        files: Explicit clips to analyse instead of scanning ``folder`` (``studio analyze``).

    Returns:
        The summary. When any clip failed the run ends Failed with a ``BatchFailure``
        that carries the same summary.
    """
    from prefect.artifacts import create_markdown_artifact

    from core.settings import get_settings

    settings = get_settings()
    from flows._recovery import refuse_endless_reruns

    refuse_endless_reruns(FLOW_NAME)
    library = Path(output) if output else (settings.library_dir or settings.home / "library")
    # Issue 18: a run may read only under the footage roots and write only its library.
    from flows.admission import admit_batch, from_deployment

    admit_batch(
        Path(folder),
        glob,
        library,
        [Path(f) for f in files] if files else None,
        settings,
        via_deployment=from_deployment(),
    )
    summary = run_batch(
        Path(folder).expanduser(),
        library.expanduser(),
        glob=glob,
        focus=focus,
        max_frames=max_frames,
        strategy=strategy,
        force=force,
        paths=[Path(f).expanduser() for f in files] if files else None,
    )
    create_markdown_artifact(
        key="footage-batch-summary",
        markdown=_markdown(summary),
        description=f"{summary['analysed']} analysed, {summary['failed']} failed",
    )
    if summary["failed"]:
        headline = _headline(summary)
        metrics.count_job(FLOW_NAME, "Failed")
        return Failed(message=headline, data=BatchFailure(headline, summary))
    metrics.count_job(FLOW_NAME, "Completed")
    return summary
