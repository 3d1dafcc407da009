"""The Prefect server's database: PostgreSQL where one is reachable, SQLite otherwise.

SQLite serialises writers, and under concurrent work (several runs submitted at once, the
server's own services writing meanwhile) Prefect answers 503 while the file is locked. So
``studio up`` provisions a role and a database of its own on the PostgreSQL server named by
``STUDIO_POSTGRES_ADMIN_URL`` (default the local one, as a superuser) and points Prefect at it
through the asyncpg driver. Nothing is created twice: the role's password is (re)set to the
one stored under ``STUDIO_HOME`` and the database is created only when missing.

The stored password is a secret: the file is mode 0600, and every URL this module returns
for display goes through :func:`redact`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from core.exceptions import ConfigError
from core.settings import Settings

__all__ = [
    "ADMIN_URL_ENV",
    "Backend",
    "admin_url",
    "choose",
    "drop",
    "redact",
]

# Named in messages; the value is ``Settings.postgres_admin_url``.
ADMIN_URL_ENV = "STUDIO_POSTGRES_ADMIN_URL"
# The names Prefect reads its database URL from (the second is the older alias).
_PREFECT_DB_VARS = ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL")
_CREDENTIALS = "postgres.json"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Backend:
    """The database a Prefect server will use.

    Attributes:
        kind: ``postgresql`` or ``sqlite``.
        connection_url: What to put in ``PREFECT_API_DATABASE_CONNECTION_URL`` (carries the
            password: pass it to the server process only, never print it); ``None`` leaves
            Prefect's default SQLite file under ``PREFECT_HOME``.
        description: One printable line saying what was chosen and why.
    """

    kind: Literal["postgresql", "sqlite"]
    connection_url: str | None
    description: str


def redact(url: str) -> str:
    """The URL with its password replaced by ``***`` (safe for logs and messages)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def admin_url(settings: Settings) -> str | None:
    """The admin connection URL, or ``None`` when ``STUDIO_POSTGRES_ADMIN_URL`` is empty."""
    return settings.postgres_admin_url.strip() or None


def _credentials_path(settings: Settings) -> Path:
    return settings.home / _CREDENTIALS


def _default_name(settings: Settings) -> str:
    # One database per STUDIO_HOME: two homes (a user's and a test's) never share one.
    digest = hashlib.sha256(str(settings.home.resolve()).encode()).hexdigest()[:10]
    return f"studio_{digest}"


def _load_or_create_credentials(settings: Settings) -> dict[str, str]:
    path = _credentials_path(settings)
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text())
        if not (_NAME.match(data.get("role", "")) and _NAME.match(data.get("database", ""))):
            raise ConfigError(f"{path} names an invalid role or database; remove it")
        return data
    name = _default_name(settings)
    data = {"role": name, "database": name, "password": secrets.token_urlsafe(24)}
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 from the start: the password is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    return data


async def _connect(admin: str, timeout: float) -> Any:
    import asyncpg

    return await asyncpg.connect(admin, timeout=timeout)


async def _provision(admin: str, settings: Settings, timeout: float) -> dict[str, str]:
    conn = await _connect(admin, timeout)
    try:
        # Only once the server answered: an unreachable one leaves no credentials behind.
        creds = _load_or_create_credentials(settings)
        role, database = creds["role"], creds["database"]
        exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
        verb = "ALTER" if exists else "CREATE"
        # DDL takes no bind parameters; the names are checked against _NAME and the
        # password is quoted as a literal by the server's own quote_literal.
        literal = await conn.fetchval("SELECT quote_literal($1)", creds["password"])
        await conn.execute(f'{verb} ROLE "{role}" WITH LOGIN PASSWORD {literal}')
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            await conn.execute(f'CREATE DATABASE "{database}" OWNER "{role}"')
        return creds
    finally:
        await conn.close()


async def _drop(admin: str, creds: dict[str, str], timeout: float) -> bool:
    conn = await _connect(admin, timeout)
    try:
        role, database = creds["role"], creds["database"]
        existed = bool(
            await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        )
        # FORCE ends sessions still open (a server that was killed rather than stopped).
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        return existed
    finally:
        await conn.close()


def _server_address(admin: str) -> tuple[str, int]:
    parts = urlsplit(admin)
    return parts.hostname or "127.0.0.1", parts.port or 5432


def _sqlite(settings: Settings, why: str) -> Backend:
    prefect_home = settings.prefect_home or settings.home / "prefect"
    return Backend("sqlite", None, f"{why}; database: SQLite at {prefect_home / 'prefect.db'}")


def choose(settings: Settings, *, timeout: float = 3.0) -> Backend:
    """Pick the Prefect server's database, provisioning PostgreSQL when it is reachable.

    An explicit ``PREFECT_API_DATABASE_CONNECTION_URL`` in the environment wins; an empty
    ``STUDIO_POSTGRES_ADMIN_URL`` asks for SQLite; otherwise the PostgreSQL server it names
    (default ``127.0.0.1:5432``) is used when it answers, and SQLite when it does not.
    """
    for var in _PREFECT_DB_VARS:
        if os.environ.get(var):
            url = os.environ[var]
            kind: Literal["postgresql", "sqlite"] = (
                "postgresql" if url.startswith("postgresql") else "sqlite"
            )
            return Backend(kind, url, f"database: {redact(url)} (from {var})")
    admin = admin_url(settings)
    if admin is None:
        return _sqlite(settings, f"{ADMIN_URL_ENV} is empty")
    host, port = _server_address(admin)
    try:
        creds: dict[str, str] = asyncio.run(_provision(admin, settings, timeout))
    except (OSError, TimeoutError) as exc:
        reason = type(exc).__name__ if not str(exc) else str(exc).splitlines()[0]
        return _sqlite(settings, f"PostgreSQL not reachable at {host}:{port} ({redact(reason)})")
    except Exception as exc:  # asyncpg's errors: auth, missing privileges
        raise ConfigError(
            f"PostgreSQL at {host}:{port} refused to provision the stack's database: "
            f"{redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)}; "
            f"fix {ADMIN_URL_ENV} or set it empty for SQLite"
        ) from exc
    url = (
        f"postgresql+asyncpg://{quote(creds['role'])}:{quote(creds['password'], safe='')}"
        f"@{host}:{port}/{creds['database']}"
    )
    return Backend(
        "postgresql",
        url,
        f"database: PostgreSQL {creds['database']!r} at {host}:{port} "
        f"(credentials in {_credentials_path(settings)})",
    )


def drop(settings: Settings, *, timeout: float = 3.0) -> str:
    """Drop the stack's PostgreSQL database and role and forget the credentials.

    Returns:
        A one-line description of what happened.

    Raises:
        ConfigError: PostgreSQL is not reachable, so nothing could be dropped.
    """
    path = _credentials_path(settings)
    if not path.exists():
        return "no PostgreSQL database recorded for this STUDIO_HOME"
    creds = _load_or_create_credentials(settings)
    admin = admin_url(settings)
    if admin is None:
        raise ConfigError(f"{ADMIN_URL_ENV} is empty: cannot drop {creds['database']!r}")
    host, port = _server_address(admin)
    try:
        existed = asyncio.run(_drop(admin, creds, timeout))
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"PostgreSQL not reachable at {host}:{port}; {creds['database']!r} not dropped"
        ) from exc
    path.unlink(missing_ok=True)
    verb = "dropped" if existed else "was already gone"
    return f"PostgreSQL database {creds['database']!r} at {host}:{port} {verb}"
