"""A cached step's result type changes shape only with ``CACHE_SCHEMA``.

Results are pickled into the cache (local or Redis, shared by workers). An entry written
before a type gained a field unpickles without it: holdout10 case 22 failed end to end with
"'Shot' object has no attribute 'face_s'" on shots measured before ``Shot.face_s`` existed.
So the shapes of the types the cached steps return are recorded per schema version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flows._cache_keys import CACHE_SCHEMA
from flows._steps import ModelStep, SampledClip
from tasks.analyze_frames import FrameAnalysis
from tasks.shots import Shot
from tasks.understand_intent import Understanding

# The shapes' fingerprint as recorded for each CACHE_SCHEMA (the newest is checked).
RECORDED = {9: "77147c2cdb29d674", 10: "e46a5e6d629f6b76", 11: "9ff25a1c2ce296ba"}


def _shape(schema: Any) -> Any:
    """A JSON schema without its words (titles, descriptions): fields, types and defaults."""
    if isinstance(schema, dict):
        return {k: _shape(v) for k, v in schema.items() if k not in ("title", "description")}
    if isinstance(schema, list):
        return [_shape(v) for v in schema]
    return schema


def _fingerprint() -> str:
    types = (Shot, SampledClip, ModelStep, FrameAnalysis, Understanding)
    shapes = {t.__name__: _shape(t.model_json_schema()) for t in types}
    return hashlib.sha256(json.dumps(shapes, sort_keys=True).encode()).hexdigest()[:16]


def test_cached_types_change_shape_only_with_the_schema() -> None:
    assert RECORDED.get(CACHE_SCHEMA) == _fingerprint(), (
        "a type the cached steps return changed shape: bump CACHE_SCHEMA in "
        f"flows/_cache_keys.py and record {{{CACHE_SCHEMA + 1}: '<new fingerprint>'}} here "
        f"(the shapes now read {_fingerprint()!r})"
    )
