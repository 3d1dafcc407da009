"""Bearer keys: where they come from, and how a presented one is recognised."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from pathlib import Path

from core.exceptions import ConfigError
from core.settings import Settings

__all__ = ["KeyRing", "key_id", "load_keys"]


def key_id(key: str) -> str:
    """Short, non-reversible name of a key for logs and metrics."""
    return "k-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def load_keys(settings: Settings) -> tuple[str, ...]:
    """Collect the gateway's bearer keys from the environment and the keys file.

    ``STUDIO_GATEWAY_KEYS`` is comma-separated; the file holds one key per line (blank
    lines and ``#`` comments ignored).

    Raises:
        ConfigError: No key configured (the gateway never runs open), or an unreadable file.
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
    return tuple(keys)


class KeyRing:
    """Constant-time lookup of a presented key among the configured ones."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._digests = [(hashlib.sha256(k.encode()).digest(), key_id(k)) for k in keys]

    def identify(self, presented: str) -> str | None:
        """The presented key's id, or None when it is not one of ours."""
        digest = hashlib.sha256(presented.encode()).digest()
        found = None
        for known, ident in self._digests:
            # No early exit: every configured key is compared, whatever matches.
            if hmac.compare_digest(digest, known):
                found = ident
        return found
