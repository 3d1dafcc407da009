"""The brief: a request's checkable criteria (see :mod:`tasks.brief.model`)."""

from __future__ import annotations

from .merge import BRIEF_SCHEMA, brief_from_model, merge
from .model import (
    Brief,
    CheckResult,
    Criterion,
    DurationAsk,
    ShotPick,
    SoundAsk,
    SourceUse,
    SpeedAsk,
)
from .parse import parse_request

__all__ = [
    "BRIEF_SCHEMA",
    "Brief",
    "CheckResult",
    "Criterion",
    "DurationAsk",
    "ShotPick",
    "SoundAsk",
    "SourceUse",
    "SpeedAsk",
    "brief_from_model",
    "merge",
    "parse_request",
]
