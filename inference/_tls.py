"""The one TLS context every HTTP client of the inference tier uses.

httpx builds a new ``SSLContext`` for each ``Client``, loading certifi's CA bundle: ~35-65 ms
of CPU on this class of machine, paid even by a client that only ever talks plain HTTP to a
local server, and once per server per inference client (each job run has its own) plus once
for the health probes. One context, built on first use, serves them all: an ``SSLContext`` is
safe to share between clients and threads once configured. It is built once even when several
threads first ask at the same moment, as a batch's first scene requests do (``core.once``).

It trusts what httpx trusts by default: ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` when set (a
private CA in front of a vLLM server), else certifi's bundle. That holds for the wire client
too, whose ``trust_env=False`` is about proxies and netrc files, not certificates.
"""

from __future__ import annotations

import ssl

import httpx

from core.once import locked_cache

__all__ = ["tls_context"]


@locked_cache()
def tls_context() -> ssl.SSLContext:
    """The process's TLS context, built on first use."""
    return httpx.create_ssl_context(trust_env=True)
