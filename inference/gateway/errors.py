"""The gateway's error answers, and how an upstream failure becomes one."""

from __future__ import annotations

from typing import Any

__all__ = ["RETRYABLE_KINDS", "GatewayError", "upstream_error"]

# Upstream failures worth trying the next target for (the client's request was fine).
RETRYABLE_KINDS = frozenset(
    {"upstream_timeout", "upstream_busy", "upstream_unavailable", "upstream_empty"}
)


class GatewayError(Exception):
    """An OpenAI-style error answer: status, ``error.type`` and a safe one-line message."""

    def __init__(
        self, status: int, kind: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.headers = headers or {}

    def body(self, request_id: str = "") -> dict[str, Any]:
        """The JSON body of the answer: ``code`` is the stable kind, ``request_id`` its log."""
        error = {"message": self.message, "type": self.kind, "code": self.kind}
        if request_id:
            error["request_id"] = request_id
        return {"error": error}


def upstream_error(exc: Exception) -> GatewayError:
    """Map a litellm/Router failure to the answer the client gets (no backend details)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if name == "Timeout" or status == 408:
        # Not served in time: a 503 (with Retry-After, see Upstream) the client may retry.
        return GatewayError(503, "upstream_timeout", f"the model deployment timed out ({name})")
    # The backend's own text never reaches the client: it may quote other requests, paths or
    # versions. The kind and the request id (in the gateway's log) are what a caller gets.
    if name == "ContextWindowExceededError":
        return GatewayError(
            400, "context_length_exceeded", "the request does not fit the model's context window"
        )
    if status in (400, 413, 422) or name == "BadRequestError":
        return GatewayError(400, "bad_request", f"the model refused the request ({name})")
    if status == 429 or name in ("RateLimitError", "RouterRateLimitError"):
        return GatewayError(
            503, "upstream_busy", f"every deployment is busy or cooling down ({name})"
        )
    if status in (401, 403):
        # The backend refused *our* credentials: a gateway misconfiguration, not the client's.
        return GatewayError(502, "upstream_auth", "the gateway's backend credentials were refused")
    return GatewayError(502, "upstream_unavailable", f"no model deployment answered ({name})")
