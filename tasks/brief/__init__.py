"""The brief: a request's checkable criteria (see :mod:`tasks.brief.model`)."""

from __future__ import annotations

from .model import Brief, CheckResult, Criterion, DurationAsk, ShotPick, SourceUse, SpeedAsk

__all__ = [
    "Brief",
    "CheckResult",
    "Criterion",
    "DurationAsk",
    "ShotPick",
    "SourceUse",
    "SpeedAsk",
]
