"""Synthetic clips with known content, made once per session with ``cv2.VideoWriter``.

Every clip is small (160x120, a few seconds) so the footage tests stay fast; each scene has its
own colour and texture and a moving box, so cuts are real content changes at known frames.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

SIZE = (160, 120)
FPS = 24.0

_COLOURS = (
    (40, 40, 200),
    (200, 60, 40),
    (30, 180, 60),
    (180, 180, 30),
    (120, 30, 150),
    (20, 120, 220),
    (220, 220, 220),
    (60, 60, 60),
)


@dataclass(frozen=True)
class Clip:
    """A generated clip and the truth about it."""

    path: Path
    frames: int
    cuts: tuple[int, ...]  # first frame of every scene after the first


def write_clip(
    path: Path,
    cuts: Sequence[int],
    frames: int,
    *,
    fourcc: str = "MJPG",
    moving: bool = True,
    scene_seeds: Sequence[int] | None = None,
) -> Clip:
    """Write a clip whose scenes change at ``cuts``.

    Args:
        path: Output file (.avi for MJPG/FMP4, .mp4 for mp4v).
        cuts: First frame of each new scene.
        frames: Total frame count.
        fourcc: Codec; MJPG makes every frame an intra frame, mp4v has a GOP.
        moving: Draw a box moving across each scene (else scenes are still pictures).
        scene_seeds: Per-scene look; two scenes with the same seed look identical.

    Returns:
        The clip and its ground truth.
    """
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), FPS, SIZE)
    assert writer.isOpened(), f"this OpenCV cannot write {fourcc}"
    bounds = [0, *cuts, frames]
    for scene in range(len(bounds) - 1):
        seed = scene if scene_seeds is None else scene_seeds[scene]
        rng = np.random.default_rng(seed)
        base = np.empty((SIZE[1], SIZE[0], 3), np.uint8)
        base[:] = _COLOURS[seed % len(_COLOURS)]
        texture = rng.integers(0, 70, (SIZE[1], SIZE[0], 1), dtype=np.uint8)
        look = cv2.add(base, np.repeat(texture, 3, axis=2))
        # A big seed-specific shape so scenes with similar colours still look different.
        cv2.circle(look, (20 + 17 * seed % 120, 60), 25 + seed % 3 * 8, (255, 255, 255), -1)
        for index in range(bounds[scene], bounds[scene + 1]):
            frame = look.copy()
            if moving:
                x = (index - bounds[scene]) * 2 % SIZE[0]
                cv2.rectangle(frame, (x, 40), (x + 30, 80), (0, 0, 0), -1)
            writer.write(frame)
    writer.release()
    return Clip(path=path, frames=frames, cuts=tuple(cuts))


def corrupt_middle(source: Path, target: Path) -> Path:
    """Copy a clip, overwriting 40%..60% of its bytes with noise (a damaged middle)."""
    data = bytearray(source.read_bytes())
    start, end = len(data) * 4 // 10, len(data) * 6 // 10
    data[start:end] = np.random.default_rng(7).integers(0, 256, end - start, np.uint8).tobytes()
    target.write_bytes(bytes(data))
    return target


def truncate(source: Path, target: Path, fraction: float) -> Path:
    """Copy the first ``fraction`` of a clip: the header still declares every frame."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def absurd_frame_count(source: Path, target: Path) -> Path:
    """Copy an AVI, patching its video stream header (strh dwLength) to 444,444,444 frames."""
    data = bytearray(source.read_bytes())
    strh = data.find(b"strh")
    assert strh > 0, "not an AVI"
    # strh payload: fccType, fccHandler, dwFlags, wPriority+wLanguage, dwInitialFrames,
    # dwScale, dwRate, dwStart, dwLength (offset 32 from the payload start).
    struct.pack_into("<I", data, strh + 8 + 32, 444_444_444)
    target.write_bytes(bytes(data))
    return target


def absurd_frame_size(target: Path) -> Path:
    """A YUV4MPEG2 stream whose header declares 10000x10000 frames but holds a tiny one."""
    header = b"YUV4MPEG2 W10000 H10000 F25:1 Ip A1:1 C420jpeg\n"
    target.write_bytes(header + b"FRAME\n" + b"\x80" * (160 * 120 * 3 // 2))
    return target


@pytest.fixture(scope="session")
def clips_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("synthetic-clips")


@pytest.fixture(scope="session")
def cut_clip(clips_dir: Path) -> Clip:
    """5 s, 4 scenes of different lengths (30, 25, 35, 30 frames), every frame intra."""
    return write_clip(clips_dir / "cuts.avi", cuts=(30, 55, 90), frames=120)


@pytest.fixture(scope="session")
def gop_clip(clips_dir: Path) -> Clip:
    """MPEG-4 part 2 in MP4: intra frames only every GOP, for the keyframes strategy."""
    return write_clip(clips_dir / "gop.mp4", cuts=(40, 80), frames=120, fourcc="mp4v")


@pytest.fixture(scope="session")
def many_scenes_clip(clips_dir: Path) -> Clip:
    """10 scenes of growing length (16..34 frames): more scenes than a small budget."""
    lengths = [16 + 2 * i for i in range(10)]
    cuts = tuple(int(x) for x in np.cumsum(lengths)[:-1])
    return write_clip(clips_dir / "many.avi", cuts=cuts, frames=int(sum(lengths)))


@pytest.fixture(scope="session")
def short_shots_clip(clips_dir: Path) -> Clip:
    """20 scenes of 1 s each (24 frames): shots shorter than two 1 s crossfades."""
    return write_clip(clips_dir / "short.avi", cuts=range(24, 480, 24), frames=480)


@pytest.fixture(scope="session")
def repeat_clip(clips_dir: Path) -> Clip:
    """Still scenes A B A: the third scene is a repeat of the first (a near-duplicate)."""
    return write_clip(
        clips_dir / "repeat.avi",
        cuts=(30, 60),
        frames=90,
        moving=False,
        scene_seeds=(1, 2, 1),
    )


@pytest.fixture(scope="session")
def damaged_clip(clips_dir: Path, cut_clip: Clip) -> Path:
    return corrupt_middle(cut_clip.path, clips_dir / "damaged.avi")


@pytest.fixture(scope="session")
def truncated_clip(clips_dir: Path, cut_clip: Clip) -> Path:
    return truncate(cut_clip.path, clips_dir / "truncated.avi", 0.3)


@pytest.fixture(scope="session")
def bad_inputs(clips_dir: Path, cut_clip: Clip) -> dict[str, Path]:
    """Every kind of bad input except permissions (see the tests), by name."""
    import cv2

    bad = clips_dir / "bad"
    bad.mkdir()
    (bad / "empty.mp4").write_bytes(b"")
    (bad / "notes.mp4").write_text("this is not a video\n" * 20)
    cv2.imwrite(str(bad / "still.png"), np.full((48, 64, 3), 128, np.uint8))
    (bad / "a-directory.avi").mkdir()
    return {
        "missing": bad / "missing.avi",
        "directory": bad / "a-directory.avi",
        "empty": bad / "empty.mp4",
        "text": bad / "notes.mp4",
        "still_image": bad / "still.png",
        "absurd_frame_count": absurd_frame_count(cut_clip.path, bad / "absurd-count.avi"),
        "absurd_frame_size": absurd_frame_size(bad / "absurd-size.y4m"),
    }


# What each bad input must be called, in the one-line message.
BAD_INPUT_MESSAGES = {
    "missing": "no such file",
    "directory": "is a directory",
    "empty": "empty file (0 bytes)",
    "text": "not a video",
    "still_image": "still image",
    "absurd_frame_count": "absurd declared frame count",
    "absurd_frame_size": "absurd declared frame size",
}


@pytest.fixture
def unreadable_clip(cut_clip: Clip) -> object:
    """A clip this process cannot read: root drops its effective uid to nobody to read it."""
    import shutil
    import tempfile
    from contextlib import contextmanager

    folder = Path(tempfile.mkdtemp(prefix="footage-perm-"))
    folder.chmod(0o755)
    locked = folder / "locked.avi"
    shutil.copyfile(cut_clip.path, locked)
    locked.chmod(0)

    @contextmanager
    def as_unprivileged():  # type: ignore[no-untyped-def]
        if os.geteuid() != 0:
            yield locked
            return
        # Root reads any file whatever its mode, so become nobody for the duration.
        os.seteuid(65534)
        try:
            yield locked
        finally:
            os.seteuid(0)

    try:
        yield as_unprivileged
    finally:
        locked.chmod(0o600)
        shutil.rmtree(folder, ignore_errors=True)
