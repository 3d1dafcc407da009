"""Stable text forms: canonical JSON for hashing and wire bodies, URLs fit for logs."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["canonical_json", "redact_url"]


def canonical_json(payload: Any) -> bytes:
    """``payload`` as compact UTF-8 JSON with sorted keys: equal content, equal bytes."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def redact_url(url: str) -> str:
    """``url`` with its user and password replaced by ``***`` (never log a Redis password)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"***@{host}{port}", parts.path, parts.query, parts.fragment))
