"""The brief: a request's checkable criteria (see :mod:`tasks.brief.model`)."""

from __future__ import annotations

from ._proposal import brief_from_model
from ._schema import BRIEF_SCHEMA
from .merge import merge
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
