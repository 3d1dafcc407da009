"""Every error the studio raises on purpose.

One tree, so callers catch exactly the branch they can handle and the retry logic
retries only what is transient::

    StudioError                      base: the CLI prints its message as one line
    ├── ConfigError                  bad job spec, routing file, settings or CLI input
    ├── FootageError                 a clip that is missing, unreadable, not a video or damaged
    ├── InferenceError               anything on the way to or from a model
    │   ├── TransientInferenceError  timeouts, 5xx, refused connections: worth a retry
    │   ├── ModelOutputError         the model answered, but not in the required shape
    │   └── TierError                the CPU tier cannot start: port clash, no model, bad checksum
    ├── SandboxError                 generated code that may not, or did not, run
    │   ├── PolicyViolation          the static check refused the script
    │   └── SandboxRunError          the isolated run failed, timed out or hit a limit
    └── JobError                     a creative job that could not complete

Only ``TransientInferenceError`` is retried automatically (see ``is_transient``).
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "FootageError",
    "InferenceError",
    "JobError",
    "ModelOutputError",
    "PolicyViolation",
    "SandboxError",
    "SandboxRunError",
    "StudioError",
    "TierError",
    "TransientInferenceError",
    "is_transient",
]


class StudioError(Exception):
    """Base class: its message is a complete, one-line explanation for a user."""


class ConfigError(StudioError):
    """A job spec, routing file, setting or command-line value is invalid."""


class FootageError(StudioError):
    """A clip cannot be read as video (missing, empty, not a video, damaged...)."""


class InferenceError(StudioError):
    """A model call failed."""


class TransientInferenceError(InferenceError):
    """A model call failed in a way that may succeed on retry (timeout, 5xx, connection)."""


class ModelOutputError(InferenceError):
    """The model answered, but the answer did not validate even after repair attempts."""


class TierError(InferenceError):
    """The embedded CPU tier cannot be started or has died."""


class SandboxError(StudioError):
    """Generated code was refused or failed in the sandbox."""


class PolicyViolation(SandboxError):
    """The static policy check refused a script; ``reasons`` holds every finding."""

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons: list[str] = reasons or []


class SandboxRunError(SandboxError):
    """The isolated run of a script failed, timed out or exceeded a resource limit."""


class JobError(StudioError):
    """A creative job could not complete."""


def is_transient(exc: BaseException) -> bool:
    """Tell whether an exception is worth retrying.

    Args:
        exc: Any exception raised by a step.

    Returns:
        True only for the transient inference branch.
    """
    return isinstance(exc, TransientInferenceError)
