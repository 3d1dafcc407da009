"""A synthetic footage library written with PyAV: many small distinct clips, a few damaged.

Every good clip has its own colours and moving block (so its content hash is its own) and
one hard cut. The bad ones cannot be decoded at all; the damaged-but-readable ones lose
some packets and must still be analysed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Library", "write_clip", "write_library"]


def write_clip(path: Path, seed: int, seconds: float = 2.0, fps: int = 12) -> Path:
    """Encode a 96x64 MPEG-4 clip: two flat-coloured shots with a moving block, one cut."""
    import av
    import numpy as np

    rng = random.Random(seed)
    colours = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(3)]
    frames = int(seconds * fps)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        stream.bit_rate = 200_000
        for index in range(frames):
            shot = 0 if index < frames // 2 else 1
            image = np.empty((64, 96, 3), dtype=np.uint8)
            image[:] = colours[shot]
            x = (index * 5 + seed) % 80
            image[20:36, x : x + 16] = colours[2]
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@dataclass
class Library:
    """The folder and which of its clips are good (must be analysed) or bad (must fail)."""

    folder: Path
    good: list[Path] = field(default_factory=list)
    bad: list[Path] = field(default_factory=list)
    copies: list[Path] = field(default_factory=list)  # same bytes as a good clip

    @property
    def clips(self) -> list[Path]:
        return self.good + self.bad + self.copies


def write_library(folder: Path, count: int, shared: list[Path]) -> Library:
    """``count`` good synthetic clips, damaged and broken ones, a copy, and ``shared`` links."""
    folder.mkdir(parents=True, exist_ok=True)
    lib = Library(folder)
    for n in range(count):
        suffix = ".avi" if n % 2 else ".mp4"
        lib.good.append(write_clip(folder / f"synthetic-{n:02d}{suffix}", seed=n + 1))
    for clip in shared:
        link = folder / clip.name
        link.symlink_to(clip)  # never copy the shared clips
        lib.good.append(link)

    # Readable although damaged: noise over packets in the middle, and a Matroska file cut
    # short (its end is gone, its first second and more are still there).
    damaged = write_clip(folder / "damaged-middle.avi", seed=901, seconds=3.0)
    data = bytearray(damaged.read_bytes())
    rng = random.Random(7)
    for offset in range(len(data) // 2, len(data) // 2 + 600):
        data[offset] = rng.randrange(256)
    damaged.write_bytes(bytes(data))
    cut = write_clip(folder / "cut-short.mkv", seed=902, seconds=3.0)
    cut.write_bytes(cut.read_bytes()[: int(cut.stat().st_size * 0.6)])
    lib.good += [damaged, cut]

    # Unreadable: an MP4 without its moov box, an empty file, random bytes, a bare header.
    truncated = write_clip(folder / "truncated.mp4", seed=903)
    truncated.write_bytes(truncated.read_bytes()[:200])
    (folder / "empty.mov").write_bytes(b"")
    (folder / "noise.mkv").write_bytes(random.Random(3).randbytes(20_000))
    (folder / "header-only.avi").write_bytes(write_clip(folder / ".h.avi", 904).read_bytes()[:64])
    (folder / ".h.avi").unlink()
    lib.bad += [
        truncated,
        folder / "empty.mov",
        folder / "noise.mkv",
        folder / "header-only.avi",
    ]

    copy = folder / "synthetic-00-copy.mp4"
    copy.write_bytes(lib.good[0].read_bytes())
    lib.copies.append(copy)
    return lib
