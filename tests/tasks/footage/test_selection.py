"""``tasks.footage.selection``'s perceptual hash: imagehash.phash's hash, without scipy."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from tasks.footage.decode import _small_copy
from tasks.footage.selection import _perceptual_hash
from tests.tasks.conftest import Clip

REPO = Path(__file__).resolve().parents[3]


def _frames(path: Path, every: int) -> Iterator[Any]:
    import av

    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index % every == 0:
                yield frame


def _pictures(path: Path, every: int) -> Iterator[np.ndarray]:
    """RGB pictures of a clip's frames: full size and the footage pass's own small copy."""
    for frame in _frames(path, every):
        yield frame.to_ndarray(format="rgb24")
        small, _ = _small_copy(frame, (96, max(4, round(frame.height * 96 / frame.width / 4) * 4)))
        yield np.ascontiguousarray(small[:, :, ::-1])


def _synthetic() -> Iterator[np.ndarray]:
    """Flat pictures and gradients (most DCT coefficients exactly 0, tied with the median),
    and noise."""
    for level in (0, 1, 37, 128, 254, 255):
        yield np.full((72, 96, 3), level, np.uint8)
    for low, high in ((0, 255), (10, 20), (100, 101)):
        for height, width in ((72, 96), (120, 160), (33, 31)):
            across = np.linspace(low, high, width).round().astype(np.uint8)
            down = np.linspace(low, high, height).round().astype(np.uint8)
            for plane in (
                np.broadcast_to(across, (height, width)),
                np.broadcast_to(down[:, None], (height, width)),
            ):
                yield np.repeat(plane[:, :, None], 3, axis=2)
    rng = np.random.default_rng(0)
    for _ in range(50):
        yield rng.integers(0, 256, (72, 96, 3), dtype=np.uint8)


def _differing(pictures: Iterator[np.ndarray]) -> tuple[int, list[str]]:
    import imagehash
    from PIL import Image

    count, differing = 0, []
    for rgb in pictures:
        count += 1
        expected, got = imagehash.phash(Image.fromarray(rgb)), _perceptual_hash(rgb)
        assert isinstance(got, imagehash.ImageHash)
        if got != expected:
            differing.append(f"picture {count}: {got} != imagehash's {expected}")
    return count, differing


def test_equals_imagehash_on_synthetic_pictures() -> None:
    count, differing = _differing(_synthetic())
    assert count > 70 and differing == []


def test_equals_imagehash_on_real_frames(megamind: Path, vtest: Path, cut_clip: Clip) -> None:
    count = 0
    for path, every in ((megamind, 3), (vtest, 8), (cut_clip.path, 1)):
        seen, differing = _differing(_pictures(path, every))
        assert differing == [], path.name
        count += seen
    assert count > 500


def test_footage_pass_does_not_import_scipy_fftpack(cut_clip: Clip, tmp_path: Path) -> None:
    """Every job and CLI process that samples footage would pay ~0.2 s of CPU to import it."""
    probe = (
        "import json, sys; from tasks.footage import sample_frames; "
        f"manifest = sample_frames({str(cut_clip.path)!r}, {str(tmp_path)!r}); "
        "print(json.dumps([len(manifest.frames), 'scipy.fftpack' in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    frames, imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert frames > 1 and imported is False
