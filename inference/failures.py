"""How a failed model request becomes a studio error: typed, one line, and key-free.

A transient failure (a dropped connection, a 5xx, a 429) may be answered by another attempt
or deployment; a timeout is transient too, but means the server is overloaded, so the client
does not ask that group again (``_Overloaded``).
"""

from __future__ import annotations

import re

from core.exceptions import InferenceError, TransientInferenceError
from inference._litellm import offline
from inference.structured import one_line
from inference.wire import WireError, transient_status

__all__ = ["map_error"]

_SECRET_RE = re.compile(r"(?i)(bearer\s+|api[_-]?key['\"=:\s]+)[^\s'\",]+")


def _scrub(text: str) -> str:
    """Remove anything that looks like a bearer token or key from an error message."""
    return _SECRET_RE.sub(r"\1***", text)


def _is_transient(exc: BaseException) -> bool:
    """Classify a litellm/openai/httpx exception: worth another deployment, or not."""
    import httpx

    offline()
    from litellm import exceptions as litellm_errors

    transient_types: tuple[type[BaseException], ...] = (
        litellm_errors.Timeout,
        litellm_errors.APIConnectionError,
        litellm_errors.RateLimitError,
        litellm_errors.ServiceUnavailableError,
        litellm_errors.InternalServerError,
        httpx.TransportError,
        TimeoutError,
        ConnectionError,
    )
    if isinstance(exc, transient_types):
        return True
    if type(exc) is litellm_errors.APIError:
        # The generic APIError is an unreadable answer (malformed body, dropped connection;
        # litellm tags it with the HTTP 200 it could not parse): the server is broken and
        # another deployment may well answer. Its subclasses carry a real status.
        return True
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return transient_status(status)
    return "No deployments available" in str(exc)


class _Overloaded(TransientInferenceError):
    """A timeout (or no free request slot): the server is overloaded, so do not ask it again."""


def map_error(exc: BaseException, role: str, target: str) -> InferenceError:
    """One typed, one-line, key-free studio error for a failed request."""
    if isinstance(exc, WireError):
        what, transient, overloaded = str(exc), exc.transient, exc.kind == "Timeout"
    elif isinstance(exc, TimeoutError):  # no request slot freed up in time
        what, transient, overloaded = f"Timeout: {exc}", True, True
    else:  # the litellm transport: its exceptions carry the provider's status
        offline()
        from litellm import exceptions as litellm_errors

        overloaded = isinstance(exc, litellm_errors.Timeout)
        what = f"{'Timeout' if overloaded else type(exc).__name__}: {exc}"
        transient = _is_transient(exc)
    text = f"{role} call to {target} failed: {one_line(_scrub(what))}"
    if overloaded:
        return _Overloaded(text)
    return TransientInferenceError(text) if transient else InferenceError(text)
