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
    subtitles: srt               # none, srt, vtt, both or burn
    models: {coder: my-coder-deployment}

Every error is a single ``ConfigError`` line naming the file, the YAML line and the
offending key, because a user fixing a spec wants to jump straight to the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.exceptions import ConfigError
from core.yaml_input import load_yaml, read_yaml_text, yaml_problem
from flows._spec_overrides import apply_override, parse_overrides

__all__ = [
    "DEFAULT_STEPS",
    "MAX_REQUEST_CHARS",
    "AnalyzeOptions",
    "EditOptions",
    "JobSpec",
    "SampleOptions",
    "Step",
    "SubtitleOutput",
    "load_spec",
    "parse_overrides",
]

Step = Literal[
    "understand_intent", "sample_frames", "analyze_frames", "generate_edit", "render", "report"
]
Role = Literal["reasoning", "vision", "coder"]
SubtitleOutput = Literal["none", "srt", "vtt", "both", "burn"]

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


# Bounds on free text: a brief is a paragraph, not a file (the intent prompt keeps at most
# 4,000 characters of it), and a name goes into file names and artifact keys.
MAX_REQUEST_CHARS = 4000
_MAX_NAME_CHARS = 200
_MAX_FOCUS_CHARS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains a control character (a NUL byte, say)")
    return value


_Text = Annotated[str, AfterValidator(_printable)]


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

    focus: _Text = Field(
        default="subjects, mood, composition and motion relevant to the edit",
        min_length=1,
        max_length=_MAX_FOCUS_CHARS,
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

    name: _Text = Field(
        min_length=1,
        max_length=_MAX_NAME_CHARS,
        description="Job name, used in reports and artifact keys.",
    )
    request: _Text = Field(
        min_length=1,
        max_length=MAX_REQUEST_CHARS,
        description="The creative brief, in plain words.",
    )
    footage: list[Path] = Field(min_length=1, description="Input clips (a path or a list).")
    output_dir: Path = Field(description="Folder the output video and the report go into.")
    steps: tuple[Step, ...] = Field(default=DEFAULT_STEPS, description="Steps to run, in order.")
    sample_frames: SampleOptions = Field(default_factory=SampleOptions)
    analyze_frames: AnalyzeOptions = Field(default_factory=AnalyzeOptions)
    generate_edit: EditOptions = Field(default_factory=EditOptions)
    subtitles: SubtitleOutput = Field(
        default="none",
        description="Subtitles of the output from the sources' words, timed through the edit: "
        "'srt' or 'vtt' beside the video, 'both', or 'burn' into its picture.",
    )
    models: dict[Role, str] = Field(
        default_factory=dict, description="Per-role deployment overrides (role -> model group)."
    )

    @field_validator("footage", "output_dir")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        paths = value if isinstance(value, list) else [value]
        if any("\x00" in str(path) for path in paths):
            raise ValueError("a path cannot contain a NUL byte")
        return value

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

    @field_validator("models")
    @classmethod
    def _models_not_blank(cls, models: dict[Role, str]) -> dict[Role, str]:
        for role, model in models.items():
            if not model.strip():
                raise ValueError(f"model override for {role!r} is empty")
            _printable(model)
        return models

    @property
    def video(self) -> Path:
        """The main clip (the first footage entry)."""
        return self.footage[0]


# --- loading with line numbers ---------------------------------------------------------


def _resolve(base: Path, raw: Path, key: str) -> Path:
    try:
        resolved = (base / raw).resolve()  # an absolute ``raw`` replaces ``base``
    except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long...
        raise ValueError(f"{key}: cannot resolve {str(raw)!r}: {exc}") from None
    if raw.is_absolute():
        return resolved
    if not resolved.is_relative_to(base):
        raise ValueError(f"{key}: relative path {str(raw)!r} escapes the spec's folder")
    return resolved


def _home(path: Path) -> Path:
    try:
        return path.expanduser()
    except RuntimeError:  # "~nobody/x": no such user; the path is taken as written
        return path


def _describe(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    message = str(error.get("msg", "invalid value"))
    return " ".join(message.removeprefix("Value error, ").split())


def _key_text(part: str | int) -> str:
    """A key as the message shows it: plain names as they are, anything else quoted."""
    text = str(part)
    return text if re.fullmatch(r"[\w-]{1,64}", text, re.ASCII) else repr(text[:64])


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
    text = read_yaml_text(spec_path, "job spec")
    try:
        data, lines = load_yaml(text, where)
    except yaml.YAMLError as exc:
        problem = yaml_problem(exc)
        raise ConfigError(
            f"{where}{' ' if problem.startswith('line ') else ': '}{problem}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: a job spec must be a mapping of keys to values")

    overridden: set[tuple[str, ...]] = set()
    for keys, value in parse_overrides(overrides):
        apply_override(data, keys, value)
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
        dotted = ".".join(_key_text(part) for part in loc) or "spec"
        raise ConfigError(f"{locate(loc)}: {dotted}: {_describe(dict(first))}") from None

    base = spec_path.parent
    try:
        footage = [_resolve(base, _home(p), "footage") for p in spec.footage]
        output_dir = _resolve(base, _home(spec.output_dir), "output_dir")
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
