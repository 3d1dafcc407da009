"""Job admission: which footage a job may read and where it may write, checked first.

Anyone who can reach the Prefect API can start a deployment run with any parameters, and the
worker reads and writes as whoever started it. So a run that arrives through a deployment may
only read footage under ``Settings.footage_roots`` (default ``footage_dir``) and write under
``Settings.output_root`` (default ``<home>/output``), judged on the paths *after* symlinks and
``..`` are resolved. The CLI applies the same roots only when they are set (a user running
``studio run`` already has their own shell). The footage is then probed (one decoded frame),
so a job whose footage is ``/etc/passwd`` or a broken file fails before any model call.

Everything here runs before the first write or model call; a rejection is one
``ConfigError`` line naming the field and the allowed root, which Prefect shows as the run's
state message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.exceptions import ConfigError, FootageError
from core.files import unwritable
from core.settings import Settings
from flows.spec import JobSpec

__all__ = ["Roots", "admit_batch", "admit_job", "from_deployment", "job_roots"]


@dataclass(frozen=True)
class Roots:
    """Resolved roots; an empty ``footage`` or a None ``output`` means unconfined."""

    footage: tuple[Path, ...]
    output: Path | None

    def describe(self) -> str:
        """One line for messages and the deployment form."""
        footage = ", ".join(map(str, self.footage)) or "anywhere"
        return f"footage under {footage}; outputs under {self.output or 'anywhere'}"


def job_roots(settings: Settings, *, via_deployment: bool) -> Roots:
    """The roots that apply: with defaults for deployment runs, only the set ones otherwise."""
    footage = list(settings.footage_roots)
    output = settings.output_root
    if via_deployment:
        footage = footage or [settings.footage_dir or settings.home / "footage"]
        output = output or settings.home / "output"
    return Roots(
        footage=tuple(_real(p) for p in footage),
        output=_real(output) if output is not None else None,
    )


def from_deployment() -> bool:
    """True inside a flow run that a deployment started (UI, API, schedule, trigger).

    Read from the run's own record, which the engine fetched or created at its start:
    ``prefect.runtime.deployment.id`` reads the flow run from the API again whenever there
    is no deployment (every ``studio run``), one round trip per question.
    """
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None:
        return context.flow_run.deployment_id is not None
    from prefect.runtime import deployment

    return deployment.id is not None


def _real(path: Path) -> Path:
    # strict=False: an output folder may not exist yet; its existing part is still resolved.
    return path.expanduser().resolve(strict=False)


def _absolute(path: Path, field: str) -> Path:
    if not path.expanduser().is_absolute():
        # Relative to what? The worker's working directory is nobody's business.
        raise ConfigError(f"{field}: {str(path)!r} must be an absolute path")
    return _real(path)


def _under(path: Path, roots: Sequence[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def _check_footage_path(path: Path, field: str, roots: Roots) -> Path:
    if not roots.footage:
        return _real(path)
    real = _absolute(path, field)
    if not _under(real, roots.footage):
        allowed = ", ".join(map(str, roots.footage))
        raise ConfigError(
            f"{field}: {path} is outside the footage roots {allowed} (symlinks and '..' "
            "resolved; STUDIO_FOOTAGE_ROOTS)"
        )
    return real


def _check_output_path(path: Path, field: str, roots: Roots, *also: Path) -> Path:
    if roots.output is None:
        return _real(path)
    real = _absolute(path, field)
    allowed = [roots.output, *also]
    if not _under(real, allowed):
        names = " or ".join(map(str, allowed))
        raise ConfigError(
            f"{field}: {path} is outside the output root {names} (symlinks and '..' "
            "resolved; STUDIO_OUTPUT_ROOT)"
        )
    return real


def _check_writable(folder: Path, field: str) -> None:
    """Refuse a folder that cannot be created or written, before any model call."""
    reason = unwritable(folder)
    if reason:
        raise ConfigError(f"{field}: {reason}")


def _probe(clip: Path, field: str) -> None:
    from tasks.probe import check_decodable

    try:
        check_decodable(clip)
    except FootageError as exc:
        raise FootageError(f"{field}: {exc}") from None


def admit_job(spec: JobSpec, settings: Settings, *, via_deployment: bool) -> JobSpec:
    """Confine a creative job to its roots and probe its footage.

    Args:
        spec: The job as submitted.
        settings: Where the roots come from.
        via_deployment: The run came through a deployment (defaults apply to the roots).

    Returns:
        The spec with resolved paths: the ones the job will actually use, so a symlink swapped
        in after this check does not redirect an already admitted path's parents.

    Raises:
        ConfigError: A path is relative or outside its root (the field and root are named).
        FootageError: A clip is not a decodable video.
    """
    roots = job_roots(settings, via_deployment=via_deployment)
    footage = [
        _check_footage_path(clip, f"footage[{i}]", roots) for i, clip in enumerate(spec.footage)
    ]
    output_dir = _check_output_path(spec.output_dir, "output_dir", roots)
    # Only now are the files opened: nothing outside the roots is ever read.
    for i, clip in enumerate(footage):
        _probe(clip, f"footage[{i}]")
    _check_writable(output_dir, "output_dir")
    return spec.model_copy(update={"footage": footage, "output_dir": output_dir})


def admit_batch(
    folder: Path,
    glob: str,
    output: Path,
    files: Sequence[Path] | None,
    settings: Settings,
    *,
    via_deployment: bool,
) -> None:
    """Confine a batch analysis to its roots.

    Its folder and every clip in it (resolved) must lie under the footage roots, its library
    under the output root or the configured library folder.

    Raises:
        ConfigError: A path is outside its root (the field and root are named).
    """
    from flows.batch_analysis import find_clips

    roots = job_roots(settings, via_deployment=via_deployment)
    library = settings.library_dir or settings.home / "library"
    _check_writable(_check_output_path(output, "output", roots, _real(library)), "output")
    if files:
        for i, clip in enumerate(files):
            _check_footage_path(clip, f"files[{i}]", roots)
        return
    _check_footage_path(folder, "folder", roots)
    if roots.footage and folder.is_dir():
        # A symlink inside the folder may point anywhere: every clip is judged resolved.
        for clip in find_clips(folder, glob)[0]:
            _check_footage_path(clip, f"folder clip {clip.name}", roots)
