"""``studio config``: every setting, the value in effect and where it came from.

Values come from ``STUDIO_*`` environment variables or the defaults in ``core.settings``;
secrets (and passwords inside URLs) are masked, so the output is safe to paste in a report.
"""

from __future__ import annotations

import os
import re
from typing import Any

import typer

from studio.cli._output import print_json

__all__ = ["register"]

_MASK = "********"
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/@:\s]*:)[^/@\s]+(?=@)", re.I)


def _shown(value: Any) -> Any:
    from pydantic import SecretStr

    if isinstance(value, SecretStr):
        return _MASK if value.get_secret_value() else ""
    if isinstance(value, str):
        return _URL_PASSWORD.sub(lambda m: m.group("head") + _MASK, value)
    if isinstance(value, dict | list | int | float | bool) or value is None:
        return value
    return str(value)


def settings_table() -> list[dict[str, Any]]:
    """One row per setting: name, env variable, value (masked), source, description."""
    from core.settings import Settings, get_settings

    settings = get_settings()
    prefix = str(Settings.model_config.get("env_prefix", ""))
    environ = {key.upper() for key in os.environ}
    rows = []
    for name, field in Settings.model_fields.items():
        env = f"{prefix}{name}".upper()
        rows.append(
            {
                "name": name,
                "env": env,
                "value": _shown(getattr(settings, name)),
                "source": "env" if env in environ else "default",
                "description": field.description or "",
            }
        )
    return rows


def config(
    as_json: bool = typer.Option(False, "--json", help="Print the settings as JSON."),
) -> None:
    """Show every setting, its value in effect and where it came from (secrets masked).

    Examples: studio config | studio config --json | STUDIO_PROFILE=vllm studio config
    """
    rows = settings_table()
    if as_json:
        print_json(rows)
        return
    width = max(len(row["env"]) for row in rows)
    for row in rows:
        value = "-" if row["value"] is None else row["value"]
        typer.echo(f"{row['env']:{width}}  {value}  ({row['source']})")


def register(app: typer.Typer) -> None:
    """Add ``studio config`` to the root app."""
    app.command("config")(config)
