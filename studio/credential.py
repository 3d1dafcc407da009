"""The Prefect API credential: generated once, kept mode 0600 under STUDIO_HOME, never printed.

Prefect 3's self-hosted server checks HTTP basic auth when ``PREFECT_SERVER_API_AUTH_STRING``
is set, and its clients (CLI, worker, flow runs, the UI after a login form) send
``PREFECT_API_AUTH_STRING``. ``studio up`` generates ``studio:<random>`` into
``<home>/prefect-auth`` on first use and hands it to the server and every client it starts;
compose and Kubernetes mount it from a secret (``STUDIO_PREFECT_AUTH_FILE``). Messages name
the file, never its content.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core.exceptions import ConfigError
from core.settings import Settings

__all__ = [
    "AUTH_ENV",
    "SERVER_AUTH_ENV",
    "USER",
    "auth_status",
    "client_env",
    "credential_file",
    "describe",
    "ensure_credential",
    "read_credential",
    "server_auth_env",
]

USER = "studio"
AUTH_ENV = "PREFECT_API_AUTH_STRING"
SERVER_AUTH_ENV = "PREFECT_SERVER_API_AUTH_STRING"


def credential_file(settings: Settings) -> Path:
    """Where the credential lives: ``STUDIO_PREFECT_AUTH_FILE``, else ``<home>/prefect-auth``."""
    return settings.prefect_auth_file or settings.home / "prefect-auth"


def read_credential(settings: Settings) -> str | None:
    """The stored ``user:password``, or None when there is none yet.

    Raises:
        ConfigError: The generated file is readable by others, or the file is not
            ``user:password``.
    """
    path = credential_file(settings)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(
            f"cannot read the Prefect API credential {path}: {exc.strerror}"
        ) from None
    # A mounted secret's mode is the orchestrator's business; the one we generate is ours.
    if settings.prefect_auth_file is None and mode & 0o077:
        raise ConfigError(
            f"{path} is readable by other users (mode {mode & 0o777:o}): "
            "chmod 600 it, or delete it to generate a new credential"
        )
    user, sep, password = text.partition(":")
    if not (sep and user and password) or "\n" in text:
        raise ConfigError(f"{path} must hold one line 'user:password'")
    return text


def ensure_credential(settings: Settings) -> str:
    """Return the credential, generating it (mode 0600, created exclusively) when missing."""
    existing = read_credential(settings)
    if existing is not None:
        return existing
    path = credential_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    value = f"{USER}:{secrets.token_urlsafe(32)}"
    try:
        # O_EXCL with the mode at creation: no moment where the file is wider than 0600.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another `studio up` won the race: use its credential
        return read_credential(settings) or value
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


def describe(settings: Settings) -> str:
    """Where the credential is, for messages; never the password itself."""
    value = read_credential(settings)
    user = value.partition(":")[0] if value else USER
    return f"basic auth, user {user!r}, password in {credential_file(settings)}"


def client_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this environment) plus the credential for Prefect clients.

    An explicit ``PREFECT_API_AUTH_STRING`` wins; otherwise the stored credential is added
    when there is one.
    """
    env = dict(os.environ if base is None else base)
    if not env.get(AUTH_ENV):
        value = read_credential(settings)
        if value is not None:
            env[AUTH_ENV] = value
    return env


def server_auth_env(
    settings: Settings, env: dict[str, str], *, auth: bool
) -> tuple[dict[str, str], str]:
    """The server's environment with auth on (credential ensured) or off, and a status line."""
    env = dict(env)
    if not auth:
        env.pop(SERVER_AUTH_ENV, None)
        return env, (
            "API auth OFF (--no-auth): anyone who can reach "
            f"{settings.prefect_host}:{settings.prefect_port} can start, cancel and change "
            "runs and deployments and read their history, logs and artifacts"
        )
    env[SERVER_AUTH_ENV] = ensure_credential(settings)
    return env, f"API auth on ({describe(settings)})"


def auth_status(settings: Settings, api: str) -> tuple[bool, None, str]:
    """Whether the API at ``api`` refuses a request without credentials (asked, not assumed).

    Returns:
        ``(enforced, None, detail)``, the fields of a ``studio status`` row after its name.
    """
    import httpx

    try:
        response = httpx.get(f"{api}/admin/version", timeout=5.0)
    except httpx.HTTPError as exc:
        return False, None, f"unknown ({type(exc).__name__})"
    if response.status_code == 401:
        return True, None, describe(settings)
    return False, None, "OFF: the API answers without credentials (started with --no-auth?)"
