"""The Redis response cache for identical non-streaming requests."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from core.formats import canonical_json

if TYPE_CHECKING:
    from inference.gateway.redis_link import RedisLink

__all__ = ["ResponseCache", "fingerprint"]


def fingerprint(entries: list[dict[str, Any]]) -> str:
    """What would answer a request, minus secrets: changing a deployment changes the key."""
    stripped = []
    for entry in entries:
        params = {k: v for k, v in entry.get("litellm_params", {}).items() if k != "api_key"}
        stripped.append({"params": params, "id": entry.get("model_info", {}).get("id")})
    return hashlib.sha256(canonical_json(stripped)).hexdigest()[:16]


class ResponseCache:
    """Answers by request, in Redis, for ``ttl_s``; every failure reads as a miss.

    While the link to Redis is down requests bypass the cache (the link warns once).
    """

    def __init__(
        self, link: RedisLink, prefix: str, ttl_s: int, fingerprints: dict[str, str]
    ) -> None:
        self.link = link
        self.prefix = prefix
        self.ttl_s = ttl_s
        self.fingerprints = fingerprints

    def usable(self, cache_control: str) -> bool:
        """Whether a request with this ``Cache-Control`` header may read and fill the cache."""
        directives = cache_control.lower()
        no_cache = "no-cache" in directives or "no-store" in directives
        return self.ttl_s > 0 and not no_cache and self.link.usable()

    def key(self, route: str, body: dict[str, Any], scope: str) -> str:
        """The Redis key of a request: who may share it, route, body and routing fingerprint.

        ``scope`` is the key's HMAC (answers are per key) or ``shared`` when the operator
        chose to share them across keys (``gateway_cache_scope``).
        """
        material = {
            "scope": scope,
            "route": route,
            "body": body,
            "routing": self.fingerprints[body["model"]],
        }
        return f"{self.prefix}:cache:{hashlib.sha256(canonical_json(material)).hexdigest()}"

    async def get(self, key: str) -> bytes | None:
        """The cached answer, or None (also when Redis fails: the request goes upstream)."""
        use = self.link.client()
        if use is None:
            return None
        redis, began = use
        try:
            hit = await redis.get(key)
        except Exception as exc:
            self.link.failed(exc, began)
            return None
        self.link.succeeded(began)
        if hit is None:
            return None
        return hit if isinstance(hit, bytes) else str(hit).encode()

    async def put(self, key: str, data: bytes) -> None:
        """Keep an answer for ``ttl_s`` (a failed write only costs a later miss)."""
        use = self.link.client()
        if use is None:
            return
        redis, began = use
        try:
            await redis.set(key, data, ex=self.ttl_s)
        except Exception as exc:
            self.link.failed(exc, began)
        else:
            self.link.succeeded(began)
