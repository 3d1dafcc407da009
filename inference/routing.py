"""Routing as data: the routing file, its profiles, and the one litellm Router built from it.

``deployments/inference.yaml`` (or ``Settings.routing_file``) holds one litellm
configuration per profile: a ``model_list`` whose ``model_name`` is a role (``reasoning``,
``vision``, ``coder``) or a fallback group (``cpu``), the ``fallbacks`` between groups, and
``router_settings``. :func:`load_routing` validates it and expands ``${...}`` variables;
:func:`build_router` turns it into a ``litellm.Router`` whose retry policy retries only
transient failures (timeouts, 5xx, rate limits, refused connections).
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from core.exceptions import ConfigError
from core.settings import Settings, get_settings
from core.yaml_input import load_yaml, read_yaml_text, yaml_problem

if TYPE_CHECKING:
    from litellm.router import Router

__all__ = [
    "ROLES",
    "ROUTER_DEFAULTS",
    "Deployment",
    "Routing",
    "build_router",
    "default_routing_file",
    "load_routing",
]

ROLES: tuple[str, ...] = ("reasoning", "vision", "coder")
StructuredMode = Literal["json_schema", "json_object_schema", "none"]
Transport = Literal["openai", "litellm"]
# True: a stream ends with its usage (vLLM); "chunks": one token a chunk, no usage (llama.cpp).
StreamUsage = bool | Literal["chunks"]
_STRUCTURED_MODES: tuple[str, ...] = ("json_schema", "json_object_schema", "none")
_TRANSPORTS: tuple[str, ...] = ("openai", "litellm")
# litellm providers that are plain OpenAI chat completions on the wire (model prefix dropped).
_OPENAI_WIRE_PROVIDERS: frozenset[str] = frozenset({"hosted_vllm", "openai"})
_VAR_RE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
# Router keyword arguments a routing file may set; anything else is a typo worth reporting.
_ROUTER_SETTINGS: frozenset[str] = frozenset(
    {"num_retries", "allowed_fails", "cooldown_time", "timeout", "retry_after", "max_fallbacks"}
)
# What a profile gets for the settings it leaves out (the client's pool reads the same).
ROUTER_DEFAULTS: Mapping[str, float] = {
    "num_retries": 2,
    "allowed_fails": 1,
    "cooldown_time": 30,
    "retry_after": 0,
}


def default_routing_file() -> Path:
    """The routing file shipped with the repository."""
    return Path(__file__).resolve().parents[1] / "deployments" / "inference.yaml"


@dataclass(frozen=True)
class Deployment:
    """A typed view of one ``model_list`` entry.

    Attributes:
        id: ``model_info.id``: stable identity, used in cache keys and call records.
        group: ``model_name``: the role or fallback group it serves.
        model: litellm model string (``hosted_vllm/...``).
        api_base: OpenAI-compatible base URL (ends in ``/v1``).
        supports_vision: Whether image parts may be sent.
        structured_output: How the server constrains JSON output.
        health_url: Absolute URL of the active health probe.
        timeout: Per-call timeout, in seconds.
        transport: ``openai``: the client posts to the server itself (:mod:`inference.wire`);
            ``litellm``: through the litellm Router, for providers that need translation.
        api_key: The key *reference* from the file (``os.environ/NAME`` or a literal), never
            the resolved secret.
        max_parallel: ``max_parallel_requests``: requests in flight at once (None: no cap).
        rpm: Requests started per rolling minute (None: no cap).
        serve: vLLM launch data (empty for non-vLLM deployments).
        stream_usage: How a streamed answer keeps exact token counts, so that the client
            may stream answers for progress (``model_info.stream_usage``): ``True``, the
            server ends a stream with its usage (default for vLLM deployments); ``"chunks"``,
            it streams one token a chunk and no usage (llama-cpp-python, see
            :mod:`inference._usage`); ``False``, never streamed.
    """

    id: str
    group: str
    model: str
    api_base: str
    supports_vision: bool
    structured_output: StructuredMode
    health_url: str
    timeout: float
    transport: Transport = "openai"
    api_key: str | None = field(default=None, repr=False)
    max_parallel: int | None = None
    rpm: int | None = None
    serve: Mapping[str, Any] = field(default_factory=dict)
    stream_usage: StreamUsage = False

    @property
    def local(self) -> bool:
        """True for a deployment on this machine (the CPU tier)."""
        return self.api_base.startswith(("http://127.0.0.1", "http://localhost"))

    @property
    def wire_model(self) -> str:
        """The ``model`` the server itself is asked for: the litellm string minus its provider."""
        return self.model.partition("/")[2] if _speaks_openai(self.model) else self.model


@dataclass(frozen=True)
class Routing:
    """One profile of a routing file, validated.

    Attributes:
        profile: The profile name.
        source: The file it came from.
        model_list: litellm ``model_list`` (variables expanded; keys still ``os.environ/...``).
        fallbacks: litellm ``fallbacks``: ``[{group: [group, ...]}, ...]``.
        router_settings: Extra ``litellm.Router`` keyword arguments.
    """

    profile: str
    source: Path
    model_list: list[dict[str, Any]]
    fallbacks: list[dict[str, list[str]]]
    router_settings: dict[str, Any]

    @cached_property
    def _deployments(self) -> tuple[Deployment, ...]:
        return tuple(_deployment(entry) for entry in self.model_list)

    @property
    def all_deployments(self) -> list[Deployment]:
        """Every deployment of the profile, in file order."""
        return list(self._deployments)

    @property
    def groups(self) -> list[str]:
        """Model group names in file order, without repeats."""
        return list(dict.fromkeys(entry["model_name"] for entry in self.model_list))

    def group_deployments(self, group: str) -> list[Deployment]:
        """Deployments whose ``model_name`` is ``group``."""
        return [d for d in self._deployments if d.group == group]

    def deployments(self, role: str) -> list[Deployment]:
        """Deployments that serve ``role`` directly (its own group, not fallbacks).

        Raises:
            ConfigError: The profile does not serve ``role``.
        """
        found = self.group_deployments(role)
        if not found:
            raise ConfigError(
                f"routing profile {self.profile!r} has no deployment for role {role!r}"
            )
        return found

    def setting(self, name: str) -> float:
        """A ``router_settings`` value, or its default (:data:`ROUTER_DEFAULTS`)."""
        return float(self.router_settings.get(name, ROUTER_DEFAULTS[name]))

    def capacity(self, role: str) -> int:
        """Requests ``role``'s own deployments serve at once (at least 1).

        The sum of their ``max_parallel_requests``, counting 1 for a deployment without a
        cap (the CPU tier serves one request at a time).
        """
        return max(1, sum(d.max_parallel or 1 for d in self.group_deployments(role)))

    def with_overrides(self, models: Mapping[str, str]) -> Routing:
        """This profile with each role in ``models`` served by another group or deployment.

        Args:
            models: Role -> a model group name or a deployment id of this profile (a job
                spec's ``models:``).

        Returns:
            A new routing; fallbacks that named a replaced group are kept only where still
            meaningful.

        Raises:
            ConfigError: A target is neither a group nor a deployment of the profile.
        """
        if not models:
            return self
        entries = [e for e in self.model_list if e["model_name"] not in models]
        for role, target in models.items():
            chosen = [e for e in self.model_list if e["model_name"] == target] or [
                e for e in self.model_list if e.get("model_info", {}).get("id") == target
            ]
            if not chosen:
                raise ConfigError(
                    f"models.{role}: no model group or deployment {target!r} in routing profile "
                    f"{self.profile!r}"
                )
            for entry in chosen:
                info = {**entry["model_info"], "id": f"{entry['model_info']['id']}@{role}"}
                entries.append({**entry, "model_name": role, "model_info": info})
        groups = {e["model_name"] for e in entries}
        fallbacks = [
            {k: [g for g in v if g in groups]}
            for item in self.fallbacks
            for k, v in item.items()
            if k in groups
        ]
        return dataclasses.replace(self, model_list=entries, fallbacks=fallbacks)

    def chain(self, role: str) -> list[str]:
        """The groups tried for ``role``, in order: the role itself, then its fallbacks."""
        order = [role]
        for item in self.fallbacks:
            for group in item.get(role, []):
                if group not in order:
                    order.append(group)
        return order


def _expand(value: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            name, default = match["name"], match["default"]
            if name in variables:
                return variables[name]
            if name in os.environ:
                return os.environ[name]
            if default is not None:
                return default
            raise ConfigError(f"routing file needs ${{{name}}} but it is not set")

        return _VAR_RE.sub(substitute, value)
    if isinstance(value, dict):
        return {key: _expand(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand(item, variables) for item in value]
    return value


def _speaks_openai(model: str) -> bool:
    """Whether a litellm model string names a plain OpenAI-compatible server (``provider/name``)."""
    provider, _, name = model.partition("/")
    return provider in _OPENAI_WIRE_PROVIDERS and bool(name)


def _deployment(entry: Mapping[str, Any]) -> Deployment:
    params = entry["litellm_params"]
    info = entry["model_info"]
    api_base = str(params["api_base"]).rstrip("/")
    root = api_base[: -len("/v1")] if api_base.endswith("/v1") else api_base
    health_path = str(info.get("health_path", "/health"))
    default_transport = "openai" if _speaks_openai(str(params["model"])) else "litellm"
    max_parallel = params.get("max_parallel_requests")
    rpm = params.get("rpm")
    key = params.get("api_key")
    return Deployment(
        id=str(info["id"]),
        group=str(entry["model_name"]),
        model=str(params["model"]),
        api_base=api_base,
        supports_vision=bool(info.get("supports_vision", False)),
        structured_output=info.get("structured_output", "json_schema"),
        health_url=root + (health_path if health_path.startswith("/") else "/" + health_path),
        timeout=float(params.get("timeout", 300)),
        transport=info.get("transport", default_transport),
        api_key=None if key is None else str(key),
        max_parallel=None if max_parallel is None else int(max_parallel),
        rpm=None if rpm is None else int(rpm),
        serve=dict(info.get("serve") or {}),
        stream_usage=info.get("stream_usage", bool(info.get("serve"))),
    )


def _validate(profile: str, source: Path, raw: Mapping[str, Any]) -> Routing:
    where = f"{source} profile {profile!r}"
    model_list = raw.get("model_list")
    if not isinstance(model_list, list) or not model_list:
        raise ConfigError(f"{where}: model_list must be a non-empty list")
    ids: set[str] = set()
    for index, entry in enumerate(model_list):
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: model_list[{index}] is not a mapping")
        name = entry.get("model_name")
        params = entry.get("litellm_params")
        info = entry.setdefault("model_info", {})
        if not isinstance(name, str) or not name:
            raise ConfigError(f"{where}: model_list[{index}] needs a model_name")
        if not isinstance(params, dict) or not params.get("model") or not params.get("api_base"):
            raise ConfigError(f"{where}: {name}: litellm_params needs model and api_base")
        if not isinstance(info, dict) or not info.get("id"):
            raise ConfigError(f"{where}: {name}: model_info needs an id")
        if info["id"] in ids:
            raise ConfigError(f"{where}: duplicate deployment id {info['id']!r}")
        ids.add(str(info["id"]))
        mode = info.get("structured_output", "json_schema")
        if mode not in _STRUCTURED_MODES:
            raise ConfigError(
                f"{where}: {info['id']}: structured_output must be one of {_STRUCTURED_MODES}"
            )
        transport = info.get("transport")
        if transport is not None and transport not in _TRANSPORTS:
            raise ConfigError(f"{where}: {info['id']}: transport must be one of {_TRANSPORTS}")
        if info.get("stream_usage", False) not in (True, False, "chunks"):
            raise ConfigError(f"{where}: {info['id']}: stream_usage must be true, false or chunks")
        if transport == "openai" and not _speaks_openai(str(params["model"])):
            raise ConfigError(
                f"{where}: {info['id']}: transport 'openai' needs a hosted_vllm/ or openai/ model"
            )
    groups = {entry["model_name"] for entry in model_list}
    # The client shapes messages per group (images or descriptors), so a group must agree.
    for group in groups:
        members = [e["model_info"] for e in model_list if e["model_name"] == group]
        shapes = {(bool(i.get("supports_vision")), i.get("structured_output")) for i in members}
        if len(shapes) > 1:
            raise ConfigError(
                f"{where}: group {group!r} mixes vision/structured_output settings; split it"
            )
    fallbacks_raw = raw.get("fallbacks") or []
    fallbacks: list[dict[str, list[str]]] = []
    if not isinstance(fallbacks_raw, list):
        raise ConfigError(f"{where}: fallbacks must be a list of {{group: [groups]}}")
    for item in fallbacks_raw:
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: fallbacks must be a list of {{group: [groups]}}")
        for group, targets in item.items():
            targets_list = [targets] if isinstance(targets, str) else list(targets or [])
            for name in [group, *targets_list]:
                if name not in groups:
                    raise ConfigError(f"{where}: fallback names unknown group {name!r}")
            fallbacks.append({str(group): [str(t) for t in targets_list]})
    settings_raw = raw.get("router_settings") or {}
    unknown = set(settings_raw) - _ROUTER_SETTINGS
    if unknown:
        raise ConfigError(f"{where}: unknown router_settings {sorted(unknown)}")
    return Routing(
        profile=profile,
        source=source,
        model_list=model_list,
        fallbacks=fallbacks,
        router_settings=dict(settings_raw),
    )


def load_routing(
    profile: str | None = None, path: Path | None = None, settings: Settings | None = None
) -> Routing:
    """Read one profile of a routing file.

    Args:
        profile: Profile name; default ``settings.profile``.
        path: Routing YAML; default ``settings.routing_file`` or the bundled file.
        settings: Settings for defaults and the ``cpu_url`` variable.

    Returns:
        The validated profile, variables expanded (``os.environ/`` keys left for litellm).

    Raises:
        ConfigError: Missing file, unknown profile or an invalid entry.
    """
    settings = settings or get_settings()
    source = path or settings.routing_file or default_routing_file()
    profile = profile or settings.profile
    text = read_yaml_text(source, "routing file")  # bounded, UTF-8, one-line errors
    try:
        document = load_yaml(text, f"routing file {source}")[0]
    except yaml.YAMLError as exc:
        raise ConfigError(f"routing file {source} is not valid YAML: {yaml_problem(exc)}") from None
    profiles = (document or {}).get("profiles") if isinstance(document, dict) else None
    if not isinstance(profiles, dict) or not profiles:
        raise ConfigError(f"routing file {source} has no 'profiles' mapping")
    if profile not in profiles:
        raise ConfigError(
            f"routing file {source} has no profile {profile!r} (has: {', '.join(profiles)})"
        )
    variables = {"cpu_url": f"http://{settings.cpu_host}:{settings.cpu_port}/v1"}
    # Deep copy first: YAML anchors share one dict between entries and litellm mutates params.
    raw = _expand(copy.deepcopy(profiles[profile]), variables)
    if not isinstance(raw, dict):
        raise ConfigError(f"routing file {source} profile {profile!r} is not a mapping")
    return _validate(profile, source, raw)


def _retry_policy() -> Any:
    from litellm import RetryPolicy

    # Only transient failures are worth another attempt; a 400/401 will fail the same way.
    # A timeout is not retried on the same group either: the server is overloaded (a CPU
    # tier keeps generating the abandoned answer), so the client moves to the next group.
    return RetryPolicy(
        BadRequestErrorRetries=0,
        AuthenticationErrorRetries=0,
        ContentPolicyViolationErrorRetries=0,
        NotFoundErrorRetries=0,
        TimeoutErrorRetries=0,
        RateLimitErrorRetries=None,
        InternalServerErrorRetries=None,
    )


def build_router(routing: Routing, **overrides: Any) -> Router:
    """Build the one ``litellm.Router`` for a routing profile.

    Args:
        routing: The loaded profile.
        **overrides: Router keyword arguments that win over the file's ``router_settings``.

    Returns:
        A router with the profile's deployments, fallbacks, cooldowns and a retry policy
        that retries only transient errors.
    """
    from inference._litellm import offline

    offline()
    import litellm
    from litellm.router import Router

    litellm.suppress_debug_info = True
    kwargs: dict[str, Any] = {**ROUTER_DEFAULTS, **routing.router_settings, **overrides}
    router: Router = Router(
        model_list=copy.deepcopy(routing.model_list),
        fallbacks=copy.deepcopy(routing.fallbacks),
        retry_policy=_retry_policy(),
        **kwargs,
    )
    return router
