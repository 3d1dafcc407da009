"""Real small file systems for the fault tests: a tmpfs of a few MiB, full or read-only.

The tests run as root in CI and here, so ``mount -t tmpfs`` is allowed and a folder's mode
bits would not stop a write (root ignores them); a read-only mount does. Where mounting is
not permitted the tests skip with that reason rather than fake the fault.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["fill", "free_bytes", "listing", "read_only", "tmpfs"]


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "2m") -> Iterator[Path]:
    """Mount a fresh tmpfs of ``size`` at ``where``; always unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root/CAP_SYS_ADMIN): {mounted.stderr}")
    try:
        yield where
    finally:
        # Lazy: a process the test could not stop must not leave the mount behind.
        subprocess.run(["umount", "-l", str(where)], check=False)


def read_only(where: Path) -> None:
    """Remount the tmpfs at ``where`` read-only (root's writes fail with EROFS)."""
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def free_bytes(where: Path) -> int:
    stats = os.statvfs(where)
    return stats.f_bavail * stats.f_frsize


def fill(where: Path, leave: int) -> Path:
    """Write a filler file so that about ``leave`` bytes stay free; return it."""
    filler = where / "filler.bin"
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free_bytes(where) - leave))
    assert free_bytes(where) <= leave + 8192, "the filler did not fill the file system"
    return filler


def listing(folder: Path) -> list[str]:
    """Every entry under ``folder`` (hidden ones too), relative, sorted."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
