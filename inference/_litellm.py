"""The one place litellm's environment is set: import litellm only after ``offline()``.

litellm fetches its model cost map from the network at import unless told to use the copy
it bundles; the studio never needs the network for that.

Its default aiohttp transport reuses pooled connections that the server already closed
(uvicorn-based servers such as vLLM and llama-cpp-python drop idle keep-alive connections
after 5 s; aiohttp keeps them 15 s and does not check them before reuse): under load some
requests then fail with "Server disconnected" / "Can not write request body", which the
gateway must answer as 502s (issue 13: 3-26 of 400 requests from 50 clients). httpx checks a
pooled connection before reusing it: 0 of 1,200. Its pool keeps an idle connection 4 s, less
than those servers' 5 s, so it never picks one the server is closing at that moment.
"""

from __future__ import annotations

import os

__all__ = ["ENV", "offline"]

ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "DISABLE_AIOHTTP_TRANSPORT": "True",
    "AIOHTTP_KEEPALIVE_TIMEOUT": "4",  # also the idle expiry of the httpx pool that replaces it
}


def offline() -> None:
    """Make a later ``import litellm`` use its bundled cost map (an explicit setting wins)."""
    for name, value in ENV.items():
        os.environ.setdefault(name, value)
