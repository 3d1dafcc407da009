"""The routing file: read one profile, expand its ``${...}`` variables and validate it."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

import yaml

from core.exceptions import ConfigError
from core.settings import Settings, get_settings
from core.yaml_input import load_yaml, read_yaml_text, yaml_problem
from inference.routing.deployment import StructuredMode, Transport, speaks_openai
from inference.routing.profile import Routing

__all__ = ["default_routing_file", "load_routing"]

# Derived from the Literal types so that the check and the typed view cannot drift apart.
_STRUCTURED_MODES: tuple[str, ...] = get_args(StructuredMode)
_TRANSPORTS: tuple[str, ...] = get_args(Transport)
_VAR_RE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
# Router keyword arguments a routing file may set; anything else is a typo worth reporting.
_ROUTER_SETTINGS: frozenset[str] = frozenset(
    {"num_retries", "allowed_fails", "cooldown_time", "timeout", "retry_after", "max_fallbacks"}
)


def default_routing_file() -> Path:
    """The routing file shipped with the repository."""
    # This module is inference/routing/file.py: the repository root is two folders up.
    return Path(__file__).resolve().parents[2] / "deployments" / "inference.yaml"


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
        if transport == "openai" and not speaks_openai(str(params["model"])):
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
