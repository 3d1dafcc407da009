"""The inference tier: routing file, litellm Router, CPU tier and the typed client.

``from inference import get_client`` is all most callers need; nothing heavy (litellm,
llama.cpp) is imported until a client is built.
"""

from inference.client import Completion, DeploymentHealth, InferenceClient, get_client
from inference.messages import CallRecord, CreativeIntent, EditScript, FrameAnalysis, FrameInput
from inference.routing import Deployment, Routing, build_router, load_routing

__all__ = [
    "CallRecord",
    "Completion",
    "CreativeIntent",
    "Deployment",
    "DeploymentHealth",
    "EditScript",
    "FrameAnalysis",
    "FrameInput",
    "InferenceClient",
    "Routing",
    "build_router",
    "get_client",
    "load_routing",
]
