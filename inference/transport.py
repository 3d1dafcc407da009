"""One request to one deployment: over its transport, inside its slot, and recorded.

OpenAI-compatible deployments (``transport: openai``) are posted to directly
(:mod:`inference.wire`); the others go through the litellm Router built from the same routing
file. Every request first takes a slot of the deployment (:mod:`inference.pool`), then the gate
shared with other processes, if any. Every request actually sent leaves a :class:`CallRecord`,
failures included, and every failure becomes a typed studio error (:mod:`inference.failures`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from core.settings import Settings
from inference.failures import map_error
from inference.messages import CallRecord
from inference.pool import DeploymentPool
from inference.routing import Deployment, Routing, build_router
from inference.wire import ChatWire

if TYPE_CHECKING:
    from litellm.router import Router

__all__ = ["Gate", "Message", "Transport"]

Message = dict[str, Any]
Gate = Callable[[Deployment], contextlib.AbstractContextManager[object]]


class Transport:
    """Sends requests to the deployments of one routing profile, thread-safe.

    Args:
        routing: The routing profile (pool settings; the litellm Router is built from it).
        settings: Settings (the per-call timeout cap).
        router: A prebuilt litellm router for ``litellm``-transport deployments (default:
            ``build_router(routing)``, built on first use).
        gate: Entered around every request, inside the pool's slot (see ``InferenceClient``).
    """

    def __init__(
        self,
        routing: Routing,
        settings: Settings,
        *,
        router: Router | None = None,
        gate: Gate | None = None,
    ) -> None:
        self.routing = routing
        self.settings = settings
        self.gate = gate
        self._router_instance = router
        self._router_lock = threading.Lock()
        self._wire = ChatWire()
        self.pool = DeploymentPool(
            allowed_fails=int(routing.setting("allowed_fails")),
            cooldown_s=routing.setting("cooldown_time"),
        )
        self._records: list[CallRecord] = []
        self._scopes = threading.local()
        self._lock = threading.Lock()

    @property
    def _router(self) -> Router:
        # Built on first use: importing litellm costs seconds that health checks do not need.
        with self._router_lock:
            if self._router_instance is None:
                self._router_instance = build_router(self.routing)
            return self._router_instance

    # --- accounting -------------------------------------------------------------------
    @property
    def records(self) -> list[CallRecord]:
        """Records of every request actually sent, in completion order (a copy)."""
        with self._lock:
            return list(self._records)

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[CallRecord]]:
        """Collect the records of the requests this thread sends while the block runs."""
        calls: list[CallRecord] = []
        stack: list[list[CallRecord]] = self._scopes.__dict__.setdefault("stack", [])
        stack.append(calls)
        try:
            yield calls
        finally:
            stack.pop()

    def _record(self, record: CallRecord) -> None:
        with self._lock:
            self._records.append(record)
        for calls in self._scopes.__dict__.get("stack", ()):
            calls.append(record)

    # --- sending ----------------------------------------------------------------------
    def _post(
        self, deployment: Deployment, messages: list[Message], body: dict[str, Any]
    ) -> tuple[str, int, int, bool]:
        """One request on ``deployment``'s transport.

        Returns ``(text, tokens_in, tokens_out, tokens_estimated)``.
        """
        timeout = min(deployment.timeout, self.settings.request_timeout_s)
        gate = self.gate(deployment) if self.gate else contextlib.nullcontext()
        with self.pool.slot(deployment, timeout), gate:
            if deployment.transport == "openai":
                reply = self._wire.chat(deployment, {"messages": messages, **body}, timeout)
                return (
                    reply.text,
                    reply.prompt_tokens,
                    reply.completion_tokens,
                    reply.tokens_estimated,
                )
            response = self._router.completion(
                model=deployment.id,
                messages=messages,
                timeout=timeout,
                num_retries=0,  # retries and fallbacks are the client's (InferenceClient._call)
                disable_fallbacks=True,
                **body,
            )
        usage = getattr(response, "usage", None)
        return (
            str(response.choices[0].message.content or ""),  # type: ignore[union-attr]  # not streamed
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
            False,
        )

    def send(
        self, role: str, deployment: Deployment, messages: list[Message], body: dict[str, Any]
    ) -> tuple[str, CallRecord]:
        """Send one request and record it: the answer's text and its record.

        Raises:
            InferenceError: Any failure, typed (transient or not) and key-free; recorded too.
        """
        start = time.monotonic()
        try:
            text, tokens_in, tokens_out, estimated = self._post(deployment, messages, body)
        except Exception as exc:  # every failure becomes a typed studio error
            error = map_error(exc, role, deployment.id)
            self._record(
                CallRecord(
                    role=role,
                    deployment=deployment.id,
                    model=deployment.model,
                    latency_s=time.monotonic() - start,
                    ok=False,
                    error=str(error),
                )
            )
            raise error from exc
        record = CallRecord(
            role=role,
            deployment=deployment.id,
            model=deployment.model,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            tokens_estimated=estimated,
            latency_s=time.monotonic() - start,
        )
        self._record(record)
        return text, record
