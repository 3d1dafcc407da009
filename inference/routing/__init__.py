"""Routing as data: the routing file, its profiles, and the one litellm Router built from it.

``deployments/inference.yaml`` (or ``Settings.routing_file``) holds one litellm
configuration per profile: a ``model_list`` whose ``model_name`` is a role (``reasoning``,
``vision``, ``coder``) or a fallback group (``cpu``), the ``fallbacks`` between groups, and
``router_settings``. :func:`load_routing` validates it and expands ``${...}`` variables;
:func:`build_router` turns it into a ``litellm.Router`` whose retry policy retries only
transient failures (timeouts, 5xx, rate limits, refused connections). One module per part:

* :mod:`.file` -- reading, variable expansion and validation of the file;
* :mod:`.profile` -- :class:`Routing`, one validated profile (roles, groups, fallbacks);
* :mod:`.deployment` -- :class:`Deployment`, the typed view of one ``model_list`` entry;
* :mod:`.router` -- :func:`build_router`, the only part that imports litellm (when called).
"""

from __future__ import annotations

from inference.routing.deployment import Deployment, StructuredMode
from inference.routing.file import default_routing_file, load_routing
from inference.routing.profile import ROLES, ROUTER_DEFAULTS, Routing
from inference.routing.router import build_router

__all__ = [
    "ROLES",
    "ROUTER_DEFAULTS",
    "Deployment",
    "Routing",
    "StructuredMode",
    "build_router",
    "default_routing_file",
    "load_routing",
]
