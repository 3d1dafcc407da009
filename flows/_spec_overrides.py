"""``--set key.sub=value`` overrides of a job spec: parsed, then applied onto its YAML data.

``flows.spec.load_spec`` applies them after reading the file and before validating, so an
override is checked exactly like the key it replaces (and its errors say ``(--set)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from core.exceptions import ConfigError
from core.yaml_input import load_yaml

__all__ = ["apply_override", "parse_overrides"]


def parse_overrides(overrides: Iterable[str]) -> list[tuple[tuple[str, ...], Any]]:
    """Parse ``a.b=value`` strings; values are read as YAML scalars (``4`` is an int).

    Raises:
        ConfigError: An override is not of the ``key=value`` form.
    """
    parsed: list[tuple[tuple[str, ...], Any]] = []
    for item in overrides:
        key, sep, raw = item.partition("=")
        parts = tuple(p.strip() for p in key.split("."))
        if not sep or not all(parts):
            raise ConfigError(
                f"--set {item!r}: expected key=value, e.g. sample_frames.max_frames=4"
            )
        try:
            value = load_yaml(raw, f"--set {key}")[0] if raw.strip() else ""
        except yaml.YAMLError:
            value = raw
        parsed.append((parts, value))
    return parsed


def apply_override(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    target = data
    for key in keys[:-1]:
        child = target.get(key)
        if child is None:
            child = target[key] = {}
        if not isinstance(child, dict):
            raise ConfigError(f"--set {'.'.join(keys)}: {key!r} is not a mapping")
        target = child
    target[keys[-1]] = value
