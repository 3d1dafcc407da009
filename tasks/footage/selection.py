"""Which candidates are shown: round-robin over scenes, even spread, near-duplicates dropped."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tasks.footage.scenes import _Candidate, _ClosedScene

__all__ = ["DEFAULT_DEDUP_DISTANCE"]

# phash (64 bits) Hamming distance at or under which two frames count as the same picture.
DEFAULT_DEDUP_DISTANCE = 6
# imagehash.phash's defaults: an 8x8 hash from the DCT of a 32x32 picture.
_PHASH_BITS = 8
_PHASH_SIDE = 32
# Coefficients smaller than this are the matrix product's rounding noise around an exact 0:
# that noise is under 1e-10 for 8-bit pixels, while the smallest true nonzero coefficient
# over 3,915 real pictures (every frame of Megamind, vtest and examples/clip.mp4, three sizes
# each) was 3.6e-3.
_DCT_ZERO = 1e-6


def _phash(candidate: _Candidate) -> Any:
    """imagehash.phash of the candidate's small copy (an ``imagehash.ImageHash``), made once."""
    if candidate.phash is None:
        candidate.phash = _perceptual_hash(candidate.small[:, :, ::-1])
    return candidate.phash


def _perceptual_hash(rgb: Any) -> Any:
    """imagehash.phash of an RGB picture, without importing scipy.fftpack (~0.2 s of CPU a job).

    The same steps as imagehash 4.3 (luma, 32x32 Lanczos resize by Pillow, DCT-II of rows and
    columns, the 8x8 lowest frequencies, bits above their median), the DCT written as a matrix
    product. Equal to imagehash's hash on all 3,915 real pictures tried and on flat pictures
    and gradients (tests/tasks/footage/test_selection.py checks a sample). The two DCTs round
    differently, so they can still disagree where two nonzero coefficients tie exactly at the
    median: symmetric synthetic patterns (none seen in 16 checkerboards), not camera frames.
    """
    import imagehash
    import numpy as np
    from PIL import Image as PILImage

    gray = PILImage.fromarray(rgb).convert("L")
    pixels = np.asarray(gray.resize((_PHASH_SIDE, _PHASH_SIDE), PILImage.Resampling.LANCZOS))
    basis = _dct_basis()
    low = basis @ pixels.astype(np.float64) @ basis.T
    # Where the exact coefficient is 0 (flat pictures, gradients along one axis, symmetries),
    # scipy's FFT gives exactly 0 and the product gives rounding noise (under 1e-10); that
    # noise would decide the bits of the many coefficients that tie with a median of 0.
    low[np.abs(low) < _DCT_ZERO] = 0.0
    return imagehash.ImageHash(low > np.median(low))


@lru_cache(maxsize=1)
def _dct_basis() -> Any:
    """The first _PHASH_BITS rows of the unnormalised DCT-II of size _PHASH_SIDE (scipy's)."""
    import numpy as np

    k = np.arange(_PHASH_BITS)[:, None]
    n = np.arange(_PHASH_SIDE)[None, :]
    return 2.0 * np.cos(np.pi * k * (2 * n + 1) / (2 * _PHASH_SIDE))


class _Deduper:
    def __init__(self, distance: int) -> None:
        self.distance = distance
        self.kept: list[Any] = []
        self.dropped = 0

    def accept(self, candidate: _Candidate) -> bool:
        digest = _phash(candidate)
        if any(digest - other <= self.distance for other in self.kept):
            self.dropped += 1
            return False
        self.kept.append(digest)
        return True


def _allocate(
    scenes: list[_ClosedScene], budget: int, deduper: _Deduper
) -> list[tuple[_ClosedScene, _Candidate]]:
    """Round-robin over scenes, longest first: one frame each before anyone gets a second."""
    order = sorted(scenes, key=lambda s: (-(s.end - s.start), s.index))
    cursors = {s.index: 0 for s in order}
    chosen: list[tuple[_ClosedScene, _Candidate]] = []
    while len(chosen) < budget:
        progressed = False
        for scene in order:
            if len(chosen) >= budget:
                break
            while cursors[scene.index] < len(scene.candidates):
                candidate = scene.candidates[cursors[scene.index]]
                cursors[scene.index] += 1
                progressed = True
                if deduper.accept(candidate):
                    chosen.append((scene, candidate))
                    break
        if not progressed:
            break
    return chosen


def _evenly(candidates: list[_Candidate], budget: int, deduper: _Deduper) -> list[_Candidate]:
    """Pick up to ``budget`` candidates spread evenly in time, skipping near-duplicates."""
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: c.frame_number)
    first, last = ordered[0].frame_number, ordered[-1].frame_number
    span = max(1, last - first + 1)
    chosen: list[_Candidate] = []
    used: set[int] = set()
    for slot in range(min(budget, len(ordered))):
        target = first + (slot + 0.5) * span / min(budget, len(ordered))
        for candidate in sorted(ordered, key=lambda c: abs(c.frame_number - target)):
            if candidate.frame_number in used:
                continue
            used.add(candidate.frame_number)
            if deduper.accept(candidate):
                chosen.append(candidate)
                break
    return sorted(chosen, key=lambda c: c.frame_number)


def _thin(candidates: list[_Candidate], cap: int) -> list[_Candidate]:
    """Keep every other candidate when over ``cap``: what is left stays evenly spread."""
    return candidates[::2] if len(candidates) > cap else candidates
