"""The one place litellm's environment is set: import litellm only after ``offline()``.

litellm fetches its model cost map from the network at import unless told to use the copy
it bundles; the studio never needs the network for that.
"""

from __future__ import annotations

import os

__all__ = ["ENV", "offline"]

ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def offline() -> None:
    """Make a later ``import litellm`` use its bundled cost map (an explicit setting wins)."""
    for name, value in ENV.items():
        os.environ.setdefault(name, value)
