"""The resource limits of one sandboxed run (``sandbox.runner`` applies them).

``prlimit`` sets the rlimits before bwrap execs (``sandbox.jail.limited``) and the parent
keeps the wall-clock timeout itself; the harness gets the rest (the CPU budget of
``edit()``, the duration and frame-rate caps, the encoder knobs) in the run's job file,
and the parent checks the render against the same caps again (``sandbox.delivery``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from core.settings import get_settings

__all__ = ["Limits"]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed run.

    Attributes:
        cpu_s: CPU seconds (RLIMIT_CPU soft; the hard limit is 5 s later).
        memory_bytes: Address space per process (RLIMIT_AS); ffmpeg inherits it.
        file_bytes: Largest file any process may write (RLIMIT_FSIZE).
        processes: Processes and threads of the sandbox user (RLIMIT_NPROC).
        wall_s: Wall-clock timeout; the process group is killed after it.
        threads: Encoder threads for libx264.
        preset: libx264 preset.
        default_fps: Frame rate when the returned clip has none.
        max_fps: Frame-rate cap for the render.
        audio: Keep the inputs' audio.
        max_duration_s: Longest clip ``edit()`` may return, audio included; the parent
            also refuses a file whose longest stream runs past it.
        edit_cpu_s: CPU seconds for importing the script and calling ``edit()`` (the
            render then gets a budget sized to its frames, within ``cpu_s``).
    """

    cpu_s: int = 120
    memory_bytes: int = 3 * 1024**3
    file_bytes: int = 2 * 1024**3
    processes: int = 64
    wall_s: float = 180.0
    threads: int = 2
    preset: str = "veryfast"
    default_fps: float = 24.0
    max_fps: float = 30.0
    audio: bool = True
    max_duration_s: float = 900.0
    edit_cpu_s: float = 8.0

    @classmethod
    def from_settings(cls) -> Limits:
        """Limits from ``STUDIO_SANDBOX_*`` settings; encoder knobs keep their defaults."""
        settings = get_settings()
        return cls(
            cpu_s=settings.sandbox_cpu_s,
            memory_bytes=settings.sandbox_memory_mb * 1024**2,
            # ffmpeg sizes its decoder thread pools by core count, and threads count
            # against RLIMIT_NPROC: measured 32 needed on 2 cores, so scale with cores.
            processes=max(settings.sandbox_processes, 24 + 8 * (os.cpu_count() or 2)),
            wall_s=settings.sandbox_wall_s,
            max_duration_s=settings.sandbox_max_duration_s,
        )
