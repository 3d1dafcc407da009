"""The one place onnxruntime's environment is set: call ``offline()`` before importing it.

onnxruntime (1.31, used by RapidOCR and by faster-whisper's Silero VAD) keeps a device id and
an event store for Microsoft's telemetry under ``~/.cache/Microsoft/DeveloperTools`` the first
time a session starts, even with no network. The studio sends nothing anywhere and writes
nothing outside its own folders, so that store is switched off (an explicit setting wins).
"""

from __future__ import annotations

import os

__all__ = ["ENV", "offline"]

ENV = {"ORT_DISABLE_TELEMETRY": "1"}


def offline() -> None:
    """Make a later ``import onnxruntime`` keep no telemetry (an explicit setting wins)."""
    for name, value in ENV.items():
        os.environ.setdefault(name, value)
