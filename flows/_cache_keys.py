"""Cache keys built from content: the bytes a step reads, never where they live.

A step's key is its name, ``CACHE_SCHEMA`` and its inputs by content: paths become their
file's SHA-256, pydantic models their data. The version of the prompt a step renders and the
id of the deployment serving its role are among those inputs, so an edited prompt or a
swapped model busts exactly the steps that use them, while a renamed clip or a new run
reuses results.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect.cache_policies import CachePolicy
from prefect.context import TaskRunContext
from pydantic import BaseModel

from core.files import sha256_file
from core.formats import canonical_json

__all__ = ["CACHE_SCHEMA", "ContentPolicy", "content_digest", "file_sha256"]

# Bump when a step returns something else for the same inputs (a new shape, or code that
# computes it differently): old entries then stop matching. 2: faces by the alt2 cascade,
# intent strings cut on a whole word. 3: frames decoded by PyAV (codec labels, detector
# copies from the YUV planes), faces by BlazeFace with the detector named. 4: the answer and
# manifest types moved (tasks.understand_intent, tasks.analyze_frames, tasks.footage), so
# entries pickled under the old class paths could not be read back. 5: the intent step
# returns an ``Understanding`` (intent + brief), the edit step takes a plan and feedback.
# 6: ``Understanding`` keeps the model's proposed brief (the flow re-settles the brief).
# 7: the footage manifest holds audio and on-screen text. 8: measured shots carry their
# scene (long takes) and faces. 9: measured shots carry the times a face was seen
# (``Shot.face_s``: a shot unpickled from 8 had no such attribute and failed the plan).
# 10: a brief's shot pick may count scenes from the end (``scene_from_end``), and the model
# is offered it in the brief's schema: an ``Understanding`` from 9 never holds one.
# 11: a brief may keep what is taken away as said (``SourceUse`` trim and except,
# ``DurationAsk.shorter_by_s``), resolved against the footage by ``tasks.on_footage``.
# tests/flows/test_cache_schema.py fails when a cached type changes shape without a bump.
CACHE_SCHEMA = 11

_sha_memo: dict[tuple[str, int, int], str] = {}
_sha_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, memoised on (path, size, mtime) within the process."""
    stat = path.stat()
    memo_key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _sha_lock:
        if memo_key in _sha_memo:
            return _sha_memo[memo_key]
    value = sha256_file(path)
    with _sha_lock:
        _sha_memo[memo_key] = value
    return value


def _canonical(value: Any) -> Any:
    """Turn a step input into JSON-able content: paths become their file's hash."""
    if isinstance(value, Path):
        return {"sha256": file_sha256(value)} if value.is_file() else {"missing": value.name}
    if isinstance(value, bytes | bytearray):
        return {"bytes_sha256": hashlib.sha256(value).hexdigest()}
    if isinstance(value, BaseModel):
        return _canonical(value.model_dump(mode="python"))
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def content_digest(*parts: Any) -> str:
    """A stable hex digest of ``parts`` by content (see ``_canonical``)."""
    return hashlib.sha256(canonical_json([_canonical(p) for p in parts])).hexdigest()


@dataclass
class ContentPolicy(CachePolicy):
    """Cache key = step name + schema version + the content of the task's inputs.

    Paths among the inputs are replaced by their file's SHA-256 and pydantic models by their
    data, so keys depend on what a step reads, never on where it lives. Inputs named in
    ``ignore`` (e.g. an output folder) are left out.
    """

    step: str = ""
    ignore: tuple[str, ...] = ()
    on_key: Callable[[str, str], None] | None = field(default=None, repr=False)

    def compute_key(
        self,
        task_ctx: TaskRunContext,
        inputs: dict[str, Any],
        flow_parameters: dict[str, Any],
        **kwargs: Any,
    ) -> str | None:
        """Hash the step's content inputs into a storage-safe key."""
        material = {k: v for k, v in inputs.items() if k not in self.ignore}
        key = f"{self.step}-{content_digest(CACHE_SCHEMA, self.step, material)[:40]}"
        if self.on_key is not None:
            self.on_key(self.step, key)
        return key
