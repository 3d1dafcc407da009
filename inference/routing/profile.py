"""One profile of a routing file: deployments by role and group, fallbacks, router settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from core.exceptions import ConfigError
from inference.routing.deployment import Deployment

__all__ = ["ROLES", "ROUTER_DEFAULTS", "Routing"]

ROLES: tuple[str, ...] = ("reasoning", "vision", "coder")
# What a profile gets for the settings it leaves out (the client's pool reads the same).
ROUTER_DEFAULTS: Mapping[str, float] = {
    "num_retries": 2,
    "allowed_fails": 1,
    "cooldown_time": 30,
    "retry_after": 0,
}


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
        return tuple(Deployment.from_entry(entry) for entry in self.model_list)

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
