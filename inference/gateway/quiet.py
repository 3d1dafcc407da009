"""litellm's loggers, made to keep prompts, completions and backend bodies out of logs.

At DEBUG litellm logs whole requests (``POST Request Sent from LiteLLM: ... -d {messages}``),
and at INFO/WARNING its router logs backend error bodies, which quote the prompt. The gateway
logs only error types and ids; this filter holds litellm to the same rule at every level:
a record keeps its level and where it came from, and loses its text.
"""

from __future__ import annotations

import logging

__all__ = ["LITELLM_LOGGERS", "quiet_litellm"]

LITELLM_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy")


class _Withheld(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = "%s at %s:%d (text withheld: it may quote prompts or backend bodies)"
        record.args = (record.levelname.lower(), record.module, record.lineno)
        # A traceback's last line is the exception's message, often the backend's body.
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


_FILTER = _Withheld()


def quiet_litellm() -> None:
    """Install the filter on litellm's loggers (idempotent)."""
    for name in LITELLM_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
