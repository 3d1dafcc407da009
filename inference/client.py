"""The typed inference client: every model call in the product goes through here.

One :class:`InferenceClient` serves the roles of one routing profile. For a call on a role it
walks the role's chain of groups (the role, then its fallbacks):

1. the active health probe drops dead deployments (cached; ~no hot-path cost);
2. the pool picks the least-loaded deployment of the group that is not cooling down;
3. messages are shaped for it: image parts for vision deployments, OpenCV descriptors for
   text-only ones (the analysis is then labelled ``blind``);
4. the request goes out over the deployment's transport: straight to the OpenAI-compatible
   server (:mod:`inference.wire`; vLLM, llama.cpp) or through the litellm Router (other
   providers);
5. structured answers are constrained on the server (``response_format`` per deployment),
   then validated with pydantic; an invalid answer gets a bounded repair retry that quotes
   the validation error;
6. a transient failure is retried in the group (``num_retries``; a timeout is not: the
   server is overloaded) and counted towards the deployment's cooldown; a group that
   cannot answer hands over to the next group of the chain.

The chain is walked here rather than by litellm's fallbacks because the message shape and
``response_format`` depend on the deployment that will answer; :mod:`inference.fallback` gives
the client and the gateway the same chain and the same image rule. Every request actually sent,
retries included, leaves a :class:`CallRecord`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from core.exceptions import (
    ConfigError,
    InferenceError,
    ModelOutputError,
    TierError,
    TransientInferenceError,
)
from core.settings import Settings, get_settings
from inference._litellm import offline
from inference.fallback import fallback_chain, without_images
from inference.health import HealthProbe
from inference.messages import CallRecord
from inference.pool import DeploymentPool
from inference.routing import ROLES, Deployment, Routing, build_router, load_routing
from inference.structured import (
    error_summary,
    one_line,
    response_format,
    string_limit,
    validate_answer,
)
from inference.wire import ChatWire, WireError

if TYPE_CHECKING:
    from litellm.router import Router

__all__ = [
    "Completion",
    "DeploymentHealth",
    "InferenceClient",
    "Message",
    "MessageBuilder",
    "get_client",
]

_log = logging.getLogger(__name__)

Message = dict[str, Any]
MessageBuilder = Callable[[Deployment], list[Message]]

_SECRET_RE = re.compile(r"(?i)(bearer\s+|api[_-]?key['\"=:\s]+)[^\s'\",]+")


@dataclass(frozen=True)
class Completion:
    """The result of :meth:`InferenceClient.complete`.

    Attributes:
        value: The validated ``output_type`` instance, or the text when none was asked.
        text: The raw text of the final answer.
        record: The call record of the final (successful) request.
        deployment: The deployment that answered (its messages were built for it).
    """

    value: Any
    text: str
    record: CallRecord
    deployment: Deployment


@dataclass(frozen=True)
class DeploymentHealth:
    """One line of :meth:`InferenceClient.health`."""

    role: str
    group: str
    id: str
    model: str
    api_base: str
    healthy: bool
    detail: str
    fallback: bool
    supports_vision: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return dict(self.__dict__)


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
        return status >= 500 or status in (408, 409, 425, 429)
    return "No deployments available" in str(exc)


def _shaped_for(deployment: Deployment, messages: list[Message]) -> list[Message]:
    """``messages`` as ``deployment`` may receive them: no image parts for a text-only one."""
    if deployment.supports_vision:
        return messages
    shaped, dropped = without_images(messages, deployment.id)
    if dropped:
        _log.info("%s is text-only: %d image part(s) replaced", deployment.id, dropped)
    return list(shaped)


class _Overloaded(TransientInferenceError):
    """A timeout (or no free request slot): the server is overloaded, so do not ask it again."""


def _map_error(exc: BaseException, role: str, target: str) -> InferenceError:
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


class InferenceClient:
    """Typed, thread-safe access to the model roles of one routing profile.

    Args:
        routing: The routing profile.
        settings: Settings (CPU tier location, timeouts).
        router: A prebuilt litellm router for ``litellm``-transport deployments (default:
            ``build_router(routing)``, built on first use).
        probe: The health probe (default: 5 s cache, 1 s timeout).
        max_repairs: Repair retries for an answer that fails validation.
        start_cpu_tier: Start the local CPU tier when a call needs it and it is down.
        gate: Entered around every request, inside this client's own slot, to share a
            server's capacity with other processes (``flows._model_slots``); None: no gate.
    """

    def __init__(
        self,
        routing: Routing,
        settings: Settings | None = None,
        *,
        router: Router | None = None,
        probe: HealthProbe | None = None,
        max_repairs: int = 1,
        start_cpu_tier: bool = False,
        gate: Callable[[Deployment], contextlib.AbstractContextManager[object]] | None = None,
    ) -> None:
        self.routing = routing
        self.gate = gate
        self.settings = settings or get_settings()
        self._router_instance = router
        self.probe = probe or HealthProbe()
        self.max_repairs = max_repairs
        self._start_cpu_tier = start_cpu_tier
        self._cpu_url = f"http://{self.settings.cpu_host}:{self.settings.cpu_port}/v1"
        self._records: list[CallRecord] = []
        self._scopes = threading.local()
        self._lock = threading.Lock()
        self._tier_lock = threading.Lock()
        self._router_lock = threading.Lock()
        self._wire = ChatWire()
        self.pool = DeploymentPool(
            allowed_fails=int(routing.setting("allowed_fails")),
            cooldown_s=routing.setting("cooldown_time"),
        )
        self._num_retries = int(routing.setting("num_retries"))

    @property
    def _router(self) -> Router:
        # Built on first use: importing litellm costs seconds that health checks do not need.
        with self._router_lock:
            if self._router_instance is None:
                self._router_instance = build_router(self.routing)
            return self._router_instance

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> InferenceClient:
        """Build a client for ``settings.profile`` of the configured routing file.

        With the ``embedded`` profile the CPU tier is started on demand by the first call
        that needs it (announced on stderr).
        """
        settings = settings or get_settings()
        routing = load_routing(settings=settings)
        return cls(routing, settings, start_cpu_tier=routing.profile == "embedded")

    def with_routing(self, routing: Routing) -> InferenceClient:
        """A client for ``routing`` sharing this one's settings, probe and repair budget.

        Its records are its own: one client per job run counts only that run's calls.
        """
        return InferenceClient(
            routing,
            self.settings,
            probe=self.probe,
            max_repairs=self.max_repairs,
            start_cpu_tier=routing.profile == "embedded",
            gate=self.gate,
        )

    # --- accounting -------------------------------------------------------------------
    @property
    def records(self) -> list[CallRecord]:
        """Records of every request actually sent, in completion order (a copy)."""
        with self._lock:
            return list(self._records)

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[CallRecord]]:
        """Collect the records of the requests this thread sends while the block runs.

        One step's calls, even while other steps run on other threads of the same client::

            with client.recording() as calls:
                understand_intent(client, request)
        """
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

    # --- routing ----------------------------------------------------------------------
    def _ensure_cpu_tier(self, deployment: Deployment) -> None:
        if not self._start_cpu_tier or deployment.api_base != self._cpu_url:
            return
        if self.probe.is_up(deployment):
            return  # the hot path: a cached answer, no lock
        with self._tier_lock:
            if self.probe.is_up(deployment):
                return
            from inference.cpu_tier import CpuTier

            tier = CpuTier(self.settings)
            try:
                tier.ensure_alive()
            except TierError as exc:
                print(f"{exc}; restarting it", file=sys.stderr)
            print(
                f"starting the CPU tier on {self._cpu_url} (no other tier is configured)...",
                file=sys.stderr,
            )
            _log.info("starting CPU tier on demand at %s", self._cpu_url)
            tier.up()
            self.probe.invalidate(deployment)
            self.probe.check(deployment)

    def _cpu_tier_died(self, members: list[Deployment]) -> bool:
        """True when ``members`` include the CPU tier we manage and it no longer answers."""
        local = [d for d in members if self._start_cpu_tier and d.api_base == self._cpu_url]
        return bool(local) and not any(self.probe.is_up(d) for d in local)

    def _healthy(self, members: list[Deployment]) -> list[Deployment]:
        for deployment in members:
            self._ensure_cpu_tier(deployment)
        return [d for d in members if self.probe.is_up(d)]

    def deployment_id(self, role: str) -> str:
        """Stable identity of what serves ``role`` now, for cache keys.

        The ids of the first group of the role's chain with a healthy deployment (the role's
        own group if none is up): a fallback to a different model changes the key.
        """
        self._check_role(role)
        chain = self.routing.chain(role)
        for group in chain:
            members = self.routing.group_deployments(group)
            if any(self.probe.is_up(d) for d in members):
                return "|".join(d.id for d in members)
        return "|".join(d.id for d in self.routing.group_deployments(chain[0]))

    def _check_role(self, role: str) -> None:
        if not self.routing.group_deployments(role):
            raise ConfigError(
                f"unknown role {role!r} for profile {self.routing.profile!r} "
                f"(roles: {', '.join(r for r in ROLES if self.routing.group_deployments(r))})"
            )

    def health(self) -> list[DeploymentHealth]:
        """Probe every deployment of every role's chain now (no cache)."""
        lines: list[DeploymentHealth] = []
        seen: dict[str, tuple[bool, str]] = {}
        for role in ROLES:
            if not self.routing.group_deployments(role):
                continue
            for position, group in enumerate(self.routing.chain(role)):
                for d in self.routing.group_deployments(group):
                    if d.health_url not in seen:
                        result = self.probe.check(d)
                        seen[d.health_url] = (result.up, result.detail)
                    up, detail = seen[d.health_url]
                    lines.append(
                        DeploymentHealth(
                            role=role,
                            group=group,
                            id=d.id,
                            model=d.model,
                            api_base=d.api_base,
                            healthy=up,
                            detail=detail,
                            fallback=position > 0,
                            supports_vision=d.supports_vision,
                        )
                    )
        return lines

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
                num_retries=0,  # retries and fallbacks are this client's (see _call)
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

    def _send(
        self, role: str, deployment: Deployment, messages: list[Message], body: dict[str, Any]
    ) -> tuple[str, CallRecord]:
        start = time.monotonic()
        try:
            text, tokens_in, tokens_out, estimated = self._post(deployment, messages, body)
        except Exception as exc:  # every failure becomes a typed studio error
            error = _map_error(exc, role, deployment.id)
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

    def _call(
        self,
        role: str,
        build: MessageBuilder,
        output_type: type[BaseModel] | None,
        *,
        max_tokens: int,
        temperature: float,
    ) -> Completion:
        self._check_role(role)
        failures: list[str] = []
        last_transient: TransientInferenceError | None = None
        for hop in fallback_chain(self.routing, role):
            group, members = hop.group, list(hop.members)
            attempts, restarted = 0, False
            while True:
                healthy = self._healthy(members)
                if not healthy:
                    failures.append(f"{group}: no healthy deployment")
                    break
                deployment = self.pool.pick(healthy)
                if deployment is None:
                    failures.append(f"{group}: every deployment is cooling down or at its rpm cap")
                    break
                try:
                    return self._complete_on(
                        role,
                        deployment,
                        _shaped_for(deployment, build(deployment)),
                        output_type,
                        max_tokens=max_tokens,
                        temperature=temperature,
                    )
                except TransientInferenceError as exc:
                    self.probe.invalidate(deployment)
                    if not restarted and self._cpu_tier_died([deployment]):
                        restarted = True
                        continue  # _healthy restarts it; this try does not count
                    self.pool.failed(deployment, can_cool=hop.can_cool)
                    last_transient = exc
                    attempts += 1
                    if isinstance(exc, _Overloaded) or attempts > self._num_retries:
                        failures.append(str(exc))
                        _log.warning("%s: group %s failed, trying the next: %s", role, group, exc)
                        break
        if last_transient is not None and len(failures) == 1:
            raise last_transient
        raise TransientInferenceError(
            f"no deployment could answer role {role!r}: " + "; ".join(failures)
        )

    def _complete_on(
        self,
        role: str,
        deployment: Deployment,
        messages: list[Message],
        output_type: type[BaseModel] | None,
        *,
        max_tokens: int,
        temperature: float,
    ) -> Completion:
        body: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature}
        clip_limit: int | None = None
        if output_type is not None:
            body["response_format"] = response_format(deployment, output_type, max_tokens)
            clip_limit = string_limit(deployment, output_type, max_tokens)
        conversation = list(messages)
        problem = ""
        for _attempt in range(self.max_repairs + 1):
            text, record = self._send(role, deployment, conversation, body)
            if output_type is None:
                return Completion(value=text, text=text, record=record, deployment=deployment)
            try:
                value = validate_answer(text, output_type, clip_limit)
                return Completion(value=value, text=text, record=record, deployment=deployment)
            except (ValidationError, ValueError) as exc:
                problem = error_summary(exc)
                _log.info("%s answer from %s invalid (%s); repairing", role, deployment.id, problem)
                conversation = [
                    *messages,
                    {"role": "assistant", "content": text[:2000]},
                    {
                        "role": "user",
                        "content": f"That answer was invalid: {problem}. Reply again with only "
                        f"the corrected JSON object.",
                    },
                ]
        name = output_type.__name__ if output_type else "text"
        raise ModelOutputError(
            f"{role} answer from {deployment.id} did not validate as {name} "
            f"after {self.max_repairs} repair(s): {problem}"
        )

    # --- public API -------------------------------------------------------------------
    def complete(
        self,
        role: str,
        messages: Sequence[Message] | MessageBuilder,
        output_type: type[BaseModel] | None = None,
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> Completion:
        """Send ``messages`` to ``role``.

        Args:
            role: ``reasoning``, ``vision`` or ``coder``.
            messages: OpenAI chat messages, or a function that builds them for the deployment
                about to be asked (image parts only for vision deployments, for example);
                it is called again when the chain falls back to another deployment.
            output_type: A pydantic model the answer must validate as (server-constrained).
            max_tokens: Cap on generated tokens.
            temperature: Sampling temperature.

        Returns:
            The completion: ``.value`` is an ``output_type`` instance or the text.

        Raises:
            TransientInferenceError: Every deployment of the chain failed transiently.
            ModelOutputError: The answer never validated.
            InferenceError: A non-transient failure (bad request, auth).
        """
        if callable(messages):
            build: MessageBuilder = messages
        else:
            fixed = list(messages)

            def build(_deployment: Deployment) -> list[Message]:
                return fixed

        return self._call(role, build, output_type, max_tokens=max_tokens, temperature=temperature)


_client_lock = threading.Lock()
_client: tuple[tuple[Any, ...], InferenceClient] | None = None


def get_client() -> InferenceClient:
    """The process-wide client for the current settings (rebuilt when they change)."""
    global _client
    settings = get_settings()
    key = (
        settings.profile,
        settings.routing_file,
        settings.cpu_host,
        settings.cpu_port,
        os.environ.get("STUDIO_ROUTING_FILE"),
    )
    with _client_lock:
        if _client is None or _client[0] != key:
            _client = (key, InferenceClient.from_settings(settings))
        return _client[1]
