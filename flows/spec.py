"""The job spec: a creative job declared in YAML, validated into ``JobSpec``.

A spec names the job, gives the creative brief, the footage and where results go, and
optionally which steps run, per-step options and per-role model overrides::

    name: trailer-cut
    request: A 10-second teaser that builds tension.
    footage: clip.mp4            # or a list of paths
    output_dir: out/trailer
    sample_frames: {strategy: scene, max_frames: 8}
    analyze_frames: {focus: mood and motion}
    generate_edit: {mode: auto, max_repairs: 2, revisions: 2}
    models: {coder: my-coder-deployment}

Every error is a single ``ConfigError`` line naming the file, the YAML line and the
offending key, because a user fixing a spec wants to jump straight to the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.exceptions import ConfigError

__all__ = [
    "DEFAULT_STEPS",
    "AnalyzeOptions",
    "EditOptions",
    "JobSpec",
    "SampleOptions",
    "Step",
    "load_spec",
    "parse_overrides",
]

Step = Literal[
    "understand_intent", "sample_frames", "analyze_frames", "generate_edit", "render", "report"
]
Role = Literal["reasoning", "vision", "coder"]

DEFAULT_STEPS: tuple[Step, ...] = (
    "understand_intent",
    "sample_frames",
    "analyze_frames",
    "generate_edit",
    "render",
    "report",
)

# A step needs the outputs of these earlier steps.
_REQUIRES: dict[str, tuple[str, ...]] = {
    "analyze_frames": ("sample_frames",),
    "generate_edit": ("understand_intent", "sample_frames", "analyze_frames"),
    "render": ("generate_edit",),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SampleOptions(_Strict):
    """Options of the ``sample_frames`` step."""

    strategy: Literal["scene", "uniform", "keyframes"] = Field(
        default="scene",
        description="'scene': frames per detected cut; 'uniform': evenly spaced; "
        "'keyframes': the codec's intra frames.",
    )
    max_frames: int = Field(default=8, ge=1, le=64, description="Most frames to sample per clip.")


class AnalyzeOptions(_Strict):
    """Options of the ``analyze_frames`` step."""

    focus: str = Field(
        default="subjects, mood, composition and motion relevant to the edit",
        min_length=1,
        description="What the vision role should pay attention to.",
    )


class EditOptions(_Strict):
    """Options of the ``generate_edit`` step."""

    mode: Literal["auto", "plan", "script", "edl"] = Field(
        default="auto",
        description="'plan': the plan compiles straight to the edit; 'script': the coder writes "
        "MoviePy code from the plan; 'edl': the coder fills a decision list; 'auto': plan on "
        "the embedded CPU tier, script elsewhere.",
    )
    max_repairs: int = Field(default=2, ge=0, le=5, description="Repair rounds after a failure.")
    revisions: int = Field(
        default=2, ge=0, le=5, description="Rounds after a render that misses a brief criterion."
    )


class JobSpec(_Strict):
    """A validated creative job. Paths are absolute once loaded through ``load_spec``."""

    name: str = Field(min_length=1, description="Job name, used in reports and artifact keys.")
    request: str = Field(min_length=1, description="The creative brief, in plain words.")
    footage: list[Path] = Field(min_length=1, description="Input clips (a path or a list).")
    output_dir: Path = Field(description="Folder the output video and the report go into.")
    steps: tuple[Step, ...] = Field(default=DEFAULT_STEPS, description="Steps to run, in order.")
    sample_frames: SampleOptions = Field(default_factory=SampleOptions)
    analyze_frames: AnalyzeOptions = Field(default_factory=AnalyzeOptions)
    generate_edit: EditOptions = Field(default_factory=EditOptions)
    models: dict[Role, str] = Field(
        default_factory=dict, description="Per-role deployment overrides (role -> model group)."
    )

    @field_validator("footage", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str | Path) else value

    @field_validator("steps")
    @classmethod
    def _ordered_and_complete(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        if not steps:
            raise ValueError("at least one step is required")
        if len(set(steps)) != len(steps):
            raise ValueError("a step is listed twice")
        order = {name: i for i, name in enumerate(DEFAULT_STEPS)}
        if list(steps) != sorted(steps, key=order.__getitem__):
            raise ValueError(f"steps must keep the order {' -> '.join(DEFAULT_STEPS)}")
        for step in steps:
            missing = [need for need in _REQUIRES.get(step, ()) if need not in steps]
            if missing:
                raise ValueError(f"step {step!r} needs {', '.join(missing)}")
        return steps

    @model_validator(mode="after")
    def _models_not_blank(self) -> JobSpec:
        for role, model in self.models.items():
            if not model.strip():
                raise ValueError(f"model override for {role!r} is empty")
        return self

    @property
    def video(self) -> Path:
        """The main clip (the first footage entry)."""
        return self.footage[0]


# --- loading with line numbers ---------------------------------------------------------


def _line_index(
    node: yaml.Node, prefix: tuple[str | int, ...] = ()
) -> dict[tuple[str | int, ...], int]:
    """Map every key path in a composed YAML document to its 1-based line."""
    lines: dict[tuple[str | int, ...], int] = {prefix: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            lines.update(_line_index(value_node, (*prefix, key)))
            # A key's own line is where the key is written, not where its value starts.
            lines[(*prefix, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.update(_line_index(item, (*prefix, i)))
    return lines


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
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw
        parsed.append((parts, value))
    return parsed


def _apply_override(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    target = data
    for key in keys[:-1]:
        child = target.get(key)
        if child is None:
            child = target[key] = {}
        if not isinstance(child, dict):
            raise ConfigError(f"--set {'.'.join(keys)}: {key!r} is not a mapping")
        target = child
    target[keys[-1]] = value


def _resolve(base: Path, raw: Path, key: str) -> Path:
    if raw.is_absolute():
        return raw.resolve()
    resolved = (base / raw).resolve()
    if not resolved.is_relative_to(base):
        raise ValueError(f"{key}: relative path {str(raw)!r} escapes the spec's folder")
    return resolved


def _describe(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def load_spec(path: Path | str, overrides: Sequence[str] = ()) -> JobSpec:
    """Read, override and validate a job spec.

    Args:
        path: The YAML file.
        overrides: ``key.sub=value`` strings applied on top of the file (``--set``).

    Returns:
        The spec with absolute, checked paths.

    Raises:
        ConfigError: One line naming the file, the line and the offending key.
    """
    spec_path = Path(path).expanduser().resolve()
    where = spec_path.name
    try:
        text = spec_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"job spec not found: {spec_path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read job spec {spec_path}: {exc}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{where}{line}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or node is None:
        raise ConfigError(f"{where}: a job spec must be a mapping of keys to values")
    lines = _line_index(node) if node is not None else {}

    overridden: set[tuple[str, ...]] = set()
    for keys, value in parse_overrides(overrides):
        _apply_override(data, keys, value)
        overridden.add(keys)

    def locate(loc: Sequence[str | int]) -> str:
        loc = tuple(loc)
        for n in range(len(loc), 0, -1):
            if loc[:n] in overridden:
                return f"{where} (--set)"
            if loc[:n] in lines:
                return f"{where} line {lines[loc[:n]]}"
        return where

    try:
        spec = JobSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        # Pydantic marks a bad mapping key with a trailing "[key]"; the key itself is the path.
        loc = tuple(p for p in first.get("loc", ()) if p != "[key]")
        dotted = ".".join(str(part) for part in loc) or "spec"
        raise ConfigError(f"{locate(loc)}: {dotted}: {_describe(dict(first))}") from None

    base = spec_path.parent
    try:
        footage = [_resolve(base, p.expanduser(), "footage") for p in spec.footage]
        output_dir = _resolve(base, spec.output_dir.expanduser(), "output_dir")
    except ValueError as exc:
        key = str(exc).split(":", 1)[0]
        raise ConfigError(f"{locate((key,))}: {exc}") from None
    for i, clip in enumerate(footage):
        if not clip.is_file():
            where_key: tuple[str | int, ...] = (
                ("footage", i) if ("footage", i) in lines else ("footage",)
            )
            raise ConfigError(f"{locate(where_key)}: footage: file not found: {clip}")
    return spec.model_copy(update={"footage": footage, "output_dir": output_dir})
