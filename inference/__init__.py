"""The inference tier: routing file, litellm Router, CPU tier and the typed client.

It knows roles, deployments, messages and call records, and nothing about creative work:
each step in ``tasks/`` owns its prompt and answer type. ``from inference import get_client``
is all most callers need; nothing heavy (litellm, llama.cpp) is imported until a client is
built.
"""

from inference.answers import Completion
from inference.client import InferenceClient, get_client
from inference.health import DeploymentHealth
from inference.messages import CallRecord
from inference.routing import Deployment, Routing, build_router, load_routing

__all__ = [
    "CallRecord",
    "Completion",
    "Deployment",
    "DeploymentHealth",
    "InferenceClient",
    "Routing",
    "build_router",
    "get_client",
    "load_routing",
]
