"""The fallback chain of a role, walked the same way by the client and the gateway.

A role is served by its own group, then by the groups its ``fallbacks`` name, in order
(:meth:`Routing.chain`). Each step of that walk is a :class:`Hop`: the group, its deployments
and whether it can see images. Both callers filter the hop's members by their own view of
health (the client's cached probe and cooldowns, the gateway's probe loop), and a text-only
group gets image parts replaced by a note (:func:`without_images`): it cannot see them, and
some servers reject them outright, which would fail the fallback too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from inference.routing import Deployment, Routing

__all__ = ["Hop", "fallback_chain", "shaped_for", "without_images"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hop:
    """One group of a fallback chain.

    Attributes:
        group: The model group.
        position: 0 for the role's own group, then 1, 2, ... for its fallbacks.
        members: The group's deployments, in file order.
        last: No group follows this one.
    """

    group: str
    position: int
    members: tuple[Deployment, ...]
    last: bool

    @property
    def text_only(self) -> bool:
        """Some deployment of the group cannot see images."""
        return not all(d.supports_vision for d in self.members)

    @property
    def can_cool(self) -> bool:
        """Cooling a deployment down only helps when there is somewhere else to go."""
        return len(self.members) > 1 or not self.last


def fallback_chain(routing: Routing, role: str) -> list[Hop]:
    """The hops tried for ``role``, in order: its own group, then its fallbacks."""
    groups = routing.chain(role)
    return [
        Hop(
            group=group,
            position=position,
            members=tuple(routing.group_deployments(group)),
            last=position == len(groups) - 1,
        )
        for position, group in enumerate(groups)
    ]


def without_images(messages: Any, target: str) -> tuple[Any, int]:
    """``messages`` with every image part replaced by a note, and how many were dropped.

    For a fallback to a text-only deployment (the CPU tier): it cannot see them, and some
    servers reject image parts outright, which would fail the fallback too.
    """
    if not isinstance(messages, list):
        return messages, 0
    dropped = 0
    out: list[Any] = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, list):
            out.append(message)
            continue
        parts = []
        for part in content:
            if isinstance(part, dict) and part.get("type") in ("image_url", "input_image"):
                dropped += 1
                note = f"[image omitted: {target} is text-only and cannot see images]"
                parts.append({"type": "text", "text": note})
            else:
                parts.append(part)
        out.append({**message, "content": parts})
    return out, dropped


def shaped_for(deployment: Deployment, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``messages`` as ``deployment`` may receive them: no image parts for a text-only one."""
    if deployment.supports_vision:
        return messages
    shaped, dropped = without_images(messages, deployment.id)
    if dropped:
        _log.info("%s is text-only: %d image part(s) replaced", deployment.id, dropped)
    return list(shaped)
