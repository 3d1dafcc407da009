"""A finished job's outputs, recorded with everything that decided them (like make or bazel).

Every step of an identical rerun is a cache hit, yet going through them all still costs a
Prefect task run, a lock and a result read each, and the finish decodes the render again
for the contact sheets: most of a second for a few-second job. So a finished run records,
under ``job_key`` (everything that decides its outputs, hashed with the step keys' own
``content_digest``), the sha256 of each file it published and what its report was built
from. A rerun under the same key whose recorded files are all still in ``output_dir`` with
those bytes has nothing left to compute: it writes this run's report and summary (every
step a cache hit, no model call) and is done. A file missing or changed, or any ingredient
of the key changed, and the run takes the normal path, where the steps' caches still apply.

The record lives in the result cache beside the steps' results (same storage, TTL and
trust); one that cannot be read back is a miss.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.files import package_dir, sha256_file
from core.settings import Settings
from flows._cache_keys import CACHE_SCHEMA, content_digest
from flows.spec import JobSpec
from inference.messages import CallRecord
from tasks.report import JobResults

__all__ = ["JobRecord", "job_key", "record_run", "recorded_run"]

logger = logging.getLogger("studio.cache")

# The studio's own code: what it runs decides the outputs too (the finish writes the sheets,
# timeline and subtitles outside any step's key), and the record pickles its types.
_CODE = ("core", "flows", "inference", "prompts", "sandbox", "tasks")


@dataclass
class JobRecord:
    """What a finished run published and what its report was built from.

    Attributes:
        outputs: sha256 of each published file (report and summary aside: every run writes
            its own), by name in ``output_dir``.
        results: The report's inputs (this run's own fields are replaced on a reuse).
        steps: Every step the run took, cached or not: on a reuse, each is a cache hit.
        calls: Every call behind the results, marked as cache hits.
    """

    outputs: dict[str, str]
    results: JobResults
    steps: list[str]
    calls: list[CallRecord]


@lru_cache(maxsize=1)
def _code_digest() -> str:
    files: dict[str, bytes] = {}
    for package in _CODE:
        folder = package_dir(package)
        if folder is None:
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".j2") and path.is_file():
                files[f"{package}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return content_digest(files)


def _prompt_versions() -> dict[str, str]:
    import prompts
    from tasks import analyze_frames, generate_edit, understand_intent

    return {
        "understand_intent": understand_intent.prompt_version(),
        "analyze_frames": prompts.load(analyze_frames.PROMPT_NAME).version,
        **generate_edit.prompt_versions(),
    }


def _deployments(client: Any) -> dict[str, str]:
    """Who serves each role now, as the model steps' keys name it (a fallback counts)."""
    from tasks import analyze_frames, generate_edit, understand_intent

    routing = client.routing
    roles = (understand_intent.ROLE, analyze_frames.ROLE, generate_edit.ROLE)
    return {r: client.deployment_id(r) for r in roles if routing.group_deployments(r)}


def job_key(spec: JobSpec, client: Any, settings: Settings) -> str:
    """A key over everything that decides a job's outputs.

    The admitted spec with every field (footage by bytes and by path: the timeline files
    name the clips; ``output_dir`` by path), the prompt and verifier versions, the routing
    and who serves each role, the settings, ``CACHE_SCHEMA`` and the studio's source.
    """
    from tasks.verify_edit.verify import VERIFIER_VERSION

    routing = getattr(client, "routing", None)
    served: Any = None
    if routing is not None:
        served = [routing.profile, routing.model_list, routing.fallbacks, _deployments(client)]
    return content_digest(
        {
            "schema": CACHE_SCHEMA,
            "spec": spec,
            "paths": [str(p) for p in (*spec.footage, spec.output_dir)],
            "prompts": _prompt_versions(),
            "verifier": VERIFIER_VERSION,
            "routing": served,
            "settings": settings.model_dump(mode="json"),
            "code": _code_digest(),
        }
    )


def _name(key: str) -> str:
    return f"job-{key[:40]}"


def record_run(
    storage: Any,
    key: str,
    output_dir: Path,
    names: Sequence[str],
    results: JobResults,
    steps: Sequence[str],
) -> None:
    """Record a published run: its files' sha256 (read back from ``output_dir``) and results."""
    calls = [c.model_copy(update={"cache_hit": True}) for c in (*results.sent, *results.cached)]
    try:
        outputs = {name: sha256_file(output_dir / name) for name in names}
    except OSError as exc:  # moved away already: nothing to vouch for
        logger.info("job not recorded: %s", exc)
        return
    record = JobRecord(outputs=outputs, results=results, steps=list(steps), calls=calls)
    storage.write_path(_name(key), pickle.dumps(record))


def recorded_run(storage: Any, key: str, output_dir: Path) -> JobRecord | None:
    """The run recorded under ``key`` when each of its files is in ``output_dir`` unchanged."""
    try:
        # The result cache's own bytes, trusted as Prefect trusts the steps' pickled results.
        record = pickle.loads(storage.read_path(_name(key)))
    except KeyError:
        return None
    except Exception as exc:  # written by other code, or cut short: a miss, never a failure
        logger.info("job record unreadable (%s): running the job", exc)
        return None
    if not isinstance(record, JobRecord):
        return None
    for name, digest in record.outputs.items():
        try:
            if sha256_file(output_dir / name) != digest:
                return None
        except OSError:
            return None
    return record
