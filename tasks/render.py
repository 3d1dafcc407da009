"""Render an approved edit script to the job's output file, through the sandbox.

The script runs once more in the jail (``sandbox.runner.run_script``: policy check, then
the isolated run); the harness renders the returned clip with libx264/yuv420p into the
scratch directory, trusted code probes the file and only then moves it to ``output``. A
failed or killed render leaves nothing at ``output``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.exceptions import SandboxRunError
from sandbox.outcome import Progress
from sandbox.runner import Limits, run_script

__all__ = ["RenderResult", "render"]


@dataclass(frozen=True)
class RenderResult:
    """A finished render.

    Attributes:
        output: The rendered file.
        duration_s: Its duration, probed from the file.
        width: Frame width.
        height: Frame height.
        elapsed_s: Wall time of the sandboxed render.
    """

    output: Path
    duration_s: float
    width: int
    height: int
    elapsed_s: float = 0.0


def render(
    code: str,
    inputs: list[Path],
    output: Path,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> RenderResult:
    """Render ``code``'s clip from ``inputs`` to ``output`` (H.264, yuv420p MP4).

    Args:
        code: An edit script (it is checked again: approval is not trusted blindly).
        inputs: The input clips, in the order the script expects.
        output: Destination ``.mp4``; its parent is created if needed.
        limits: Sandbox limits (default: from settings).
        progress: Called with ``(frames written, frames in all)`` while it renders; for a
            display only (the script could fake the numbers).

    Returns:
        What was rendered.

    Raises:
        PolicyViolation: The script does not pass the policy.
        FootageError: An input is missing.
        SandboxRunError: The render failed, hit a limit or timed out (no output written).
    """
    output = Path(output)
    if output.suffix.lower() != ".mp4":
        raise SandboxRunError(f"render output must be an .mp4 file, not {output.name!r}")
    result = run_script(code, [Path(p) for p in inputs], output, limits=limits, progress=progress)
    if not result.ok or result.output is None:
        raise SandboxRunError(f"render failed: {result.reason}")
    return RenderResult(
        output=result.output,
        duration_s=float(result.duration_s or 0.0),
        width=int(result.width or 0),
        height=int(result.height or 0),
        elapsed_s=result.elapsed_s,
    )
