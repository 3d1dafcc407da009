"""One clip of a footage batch: the ``analyse-clip`` task.

Probe the clip (its first frame and content hash: all a skip needs), skip it when the library
already holds a complete analysis of that content, else sample its frames (reused from a
failed try, ``flows._batch_frames``), analyse each scene through the vision role (within the
process's model gate, ``flows._batch_pipeline``) and write ``analysis.json`` atomically, then
index it in the catalog (``tasks.catalog``). The flow that runs the clips is
``flows.batch_analysis``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from core import metrics
from core.exceptions import JobError
from flows._batch_frames import sampled_frames
from flows._batch_pipeline import CLIP_RETRIES, CLIP_RETRY_DELAYS_S, content_lock, model_gate
from flows._retry import retry_transient
from tasks import catalog
from tasks.analyze_frames import descriptor_text

__all__ = ["DEFAULT_FOCUS", "analyse_clip", "plain", "vision_capacity"]

DEFAULT_FOCUS = "subjects, setting, mood, composition and motion, for finding shots later"


def plain(obj: Any) -> Any:
    """Turn dataclasses / pydantic models / paths into JSON-able values."""
    if hasattr(obj, "model_dump"):
        return plain(obj.model_dump(mode="json"))
    if is_dataclass(obj) and not isinstance(obj, type):
        return plain(asdict(obj))
    if isinstance(obj, Mapping):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, bytes):
        return None
    return obj


def vision_capacity(client: Any) -> int:
    """Vision requests the client's routing serves at once (1 without a routing file)."""
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
    capacity = vision_capacity(client)
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
    from inference.cost import estimate_cost

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
        "probe": plain(manifest.video),
        "scenes": plain(manifest.scenes),
        "audio": plain(manifest.audio),
        "frames": [
            {
                **plain(f),
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
