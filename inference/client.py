"""The typed inference client: every model call in the product goes through here.

One :class:`InferenceClient` serves the roles of one routing profile. For a call on a role it
walks the role's chain of groups (the role, then its fallbacks):

1. the active health probe drops dead deployments (cached; ~no hot-path cost);
2. the pool picks the least-loaded deployment of the group that is not cooling down;
3. messages are shaped for it: image parts for vision deployments, OpenCV descriptors for
   text-only ones (the analysis is then labelled ``blind``);
4. the request goes out over the deployment's transport (:mod:`inference.transport`):
   straight to the OpenAI-compatible server (:mod:`inference.wire`; vLLM, llama.cpp) or
   through the litellm Router (other providers);
5. structured answers are constrained on the server (``response_format`` per deployment),
   then validated with pydantic; an invalid answer gets a bounded repair retry that quotes
   the validation error (:mod:`inference.answers`);
6. a transient failure (:mod:`inference.failures`) is retried in the group (``num_retries``;
   a timeout is not: the server is overloaded) and counted towards the deployment's
   cooldown; a group that cannot answer hands over to the next group of the chain.

The chain is walked here rather than by litellm's fallbacks because the message shape and
``response_format`` depend on the deployment that will answer; :mod:`inference.fallback` gives
the client and the gateway the same chain and the same image rule. Every request actually sent,
retries included, leaves a :class:`CallRecord`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from core.exceptions import ConfigError, TransientInferenceError
from core.settings import Settings, get_settings
from inference.answers import Completion, answer
from inference.failures import _Overloaded
from inference.fallback import fallback_chain, shaped_for
from inference.health import DeploymentHealth, HealthProbe, health_report
from inference.messages import CallRecord
from inference.on_demand import OnDemandTier
from inference.pool import DeploymentPool
from inference.routing import ROLES, Deployment, Routing, load_routing
from inference.transport import Gate, Message, Transport

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

MessageBuilder = Callable[[Deployment], list[Message]]


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
        gate: Gate | None = None,
    ) -> None:
        self.routing = routing
        self.settings = settings or get_settings()
        self.probe = probe or HealthProbe()
        self.max_repairs = max_repairs
        self._tier = OnDemandTier(self.settings, self.probe, enabled=start_cpu_tier)
        self._transport = Transport(routing, self.settings, router=router, gate=gate)
        self._num_retries = int(routing.setting("num_retries"))

    @property
    def gate(self) -> Gate | None:
        """Entered around every request (see the class doc); set it before the first call."""
        return self._transport.gate

    @gate.setter
    def gate(self, gate: Gate | None) -> None:
        self._transport.gate = gate

    @property
    def pool(self) -> DeploymentPool:
        """Replica choice, failure counts and cooldowns of this client's deployments."""
        return self._transport.pool

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
        return self._transport.records

    def recording(self) -> contextlib.AbstractContextManager[list[CallRecord]]:
        """Collect the records of the requests this thread sends while the block runs.

        One step's calls, even while other steps run on other threads of the same client::

            with client.recording() as calls:
                understand_intent(client, request)
        """
        return self._transport.recording()

    # --- routing ----------------------------------------------------------------------
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
        return health_report(self.routing, self.probe)

    # --- sending ----------------------------------------------------------------------
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
                healthy = self._tier.healthy(members)
                if not healthy:
                    failures.append(f"{group}: no healthy deployment")
                    break
                deployment = self.pool.pick(healthy)
                if deployment is None:
                    failures.append(f"{group}: every deployment is cooling down or at its rpm cap")
                    break
                try:
                    return answer(
                        self._transport,
                        role,
                        deployment,
                        shaped_for(deployment, build(deployment)),
                        output_type,
                        max_tokens=max_tokens,
                        temperature=temperature,
                        max_repairs=self.max_repairs,
                    )
                except TransientInferenceError as exc:
                    self.probe.invalidate(deployment)
                    if not restarted and self._tier.died([deployment]):
                        restarted = True
                        continue  # _tier.healthy restarts it; this try does not count
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
