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

import time
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.client.schemas.objects import State
from prefect.states import Failed

from core import metrics
from core.exceptions import ConfigError
from flows._batch_clip import DEFAULT_FOCUS, analyse_clip, vision_capacity
from flows._batch_failure import BatchFailure
from flows._batch_pipeline import clips_at_once
from flows._batch_summary import headline, markdown, outcome, summarise
from flows._heartbeats import install as _install_heartbeats
from flows._progress import count, on_count

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

VIDEO_SUFFIXES = frozenset({".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg"})
FLOW_NAME = "footage-batch-analysis"
# Before any run of this flow starts: a run that sends heartbeats ends with its last
# line, not up to a second later (flows._heartbeats).
_install_heartbeats()


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

    at_once = clips_at_once(vision_capacity(get_client()) if clips else 1, len(clips))
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
            done[index] = outcome(clips[index], future.state, logger)
            count("clips", len(done), len(clips))
    results = [done[index] for index in range(len(clips))]
    return summarise(folder, glob, output, results, ignored, started)


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
        markdown=markdown(summary),
        description=f"{summary['analysed']} analysed, {summary['failed']} failed",
    )
    if summary["failed"]:
        failed = headline(summary)
        metrics.count_job(FLOW_NAME, "Failed")
        return Failed(message=failed, data=BatchFailure(failed, summary))
    metrics.count_job(FLOW_NAME, "Completed")
    return summary
