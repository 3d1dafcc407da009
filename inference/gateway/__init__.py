"""The OpenAI-compatible gateway: one HTTP front door over the routing file.

``create_app`` builds a FastAPI app that answers ``/v1/chat/completions`` (streaming too),
``/v1/embeddings`` (for groups whose deployments declare ``model_info.mode: embedding``),
``/v1/models``, ``/health`` and ``/metrics``. Every model call goes through the tier's one
``litellm.Router`` (``build_router(load_routing(...))``); the gateway adds what a shared
service needs on top of it and nothing else. One module per concern:

* :mod:`.keys` -- bearer keys (401); logs and metrics see a key's short id, never the key;
* :mod:`.limits` -- per-key rate limits (429 with ``Retry-After``), in Redis so replicas
  share them, or in memory when Redis is absent;
* :mod:`.cache` -- the Redis response cache for identical non-streaming requests
  (``x-cache: hit|miss|bypass``), keyed by the request and a fingerprint of the deployments
  that would answer it;
* :mod:`.upstream` -- the active health probe and the walk of the fallback chain
  (:mod:`inference.fallback`, shared with the typed client);
* :mod:`.handlers` -- one small function per route; :mod:`.app` wires them together;
* :mod:`.metrics` -- Prometheus series in a registry of their own.

litellm's own proxy was considered: ``litellm[proxy]`` could not be installed in this
environment at litellm 1.110.2, and its per-key limits need a Prisma database. This package is
the small part of it the studio needs.
"""

from __future__ import annotations

from inference.gateway.app import create_app
from inference.gateway.config import KEEP_ALIVE_S, GatewayConfig
from inference.gateway.keys import key_id, load_keys
from inference.gateway.metrics import GatewayMetrics

__all__ = ["KEEP_ALIVE_S", "GatewayConfig", "GatewayMetrics", "create_app", "key_id", "load_keys"]
