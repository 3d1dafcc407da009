"""Bearer keys: where they come from, and how a presented one is recognised."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.exceptions import ConfigError
from core.settings import Settings

__all__ = ["MIN_KEY_LENGTH", "Caller", "KeyRing", "key_id", "load_keys"]

MIN_KEY_LENGTH = 24


def key_id(key: str) -> str:
    """Short, non-reversible name of a key for logs and metrics."""
    return "k-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def load_keys(settings: Settings) -> tuple[str, ...]:
    """Collect the gateway's bearer keys from the environment and the keys file.

    ``STUDIO_GATEWAY_KEYS`` is comma-separated; the file holds one key per line (blank
    lines and ``#`` comments ignored).

    Raises:
        ConfigError: No key configured (the gateway never runs open), a key shorter than
            :data:`MIN_KEY_LENGTH`, or an unreadable file.
    """
    keys: list[str] = []
    if settings.gateway_keys is not None:
        keys += [k.strip() for k in settings.gateway_keys.get_secret_value().split(",")]
    path = settings.gateway_keys_file
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"gateway keys file {path} is unreadable: {exc.strerror}") from None
        keys += [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    keys = [k for k in dict.fromkeys(keys) if k]
    if not keys:
        raise ConfigError(
            "the gateway has no keys: set STUDIO_GATEWAY_KEYS or STUDIO_GATEWAY_KEYS_FILE"
        )
    weak = [k for k in keys if len(k) < MIN_KEY_LENGTH]
    if weak:
        # Named by position and id only: the message must not carry the key itself.
        raise ConfigError(
            f"{len(weak)} gateway key(s) shorter than {MIN_KEY_LENGTH} characters "
            f"({', '.join(key_id(k) for k in weak)}); use random keys, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
        )
    return tuple(keys)


@dataclass(frozen=True)
class Caller:
    """Who a request comes from.

    Attributes:
        ident: The key's short id, for logs and metrics.
        scope: HMAC of the key: names its counters and cache entries in Redis (a reader of
            Redis cannot test guesses of a key against it without the secret).
    """

    ident: str
    scope: str


class KeyRing:
    """Constant-time lookup of a presented key among the configured ones."""

    def __init__(self, keys: Iterable[str], secret: bytes) -> None:
        self._secret = secret
        self._digests = [
            (
                hashlib.sha256(k.encode()).digest(),
                Caller(key_id(k), hmac.new(secret, k.encode(), "sha256").hexdigest()[:32]),
            )
            for k in keys
        ]

    def scope_of(self, name: str) -> str:
        """HMAC name of anything else counted in Redis (a client address)."""
        return hmac.new(self._secret, name.encode(), "sha256").hexdigest()[:32]

    def identify(self, presented: str) -> Caller | None:
        """Who holds the presented key, or None when it is not one of ours."""
        digest = hashlib.sha256(presented.encode()).digest()
        found = None
        for known, caller in self._digests:
            # No early exit: every configured key is compared, whatever matches.
            if hmac.compare_digest(digest, known):
                found = caller
        return found
