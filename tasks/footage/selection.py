"""Which candidates are shown: round-robin over scenes, even spread, near-duplicates dropped."""

from __future__ import annotations

from typing import Any

from tasks.footage.scenes import _Candidate, _ClosedScene

__all__ = ["DEFAULT_DEDUP_DISTANCE"]

# phash (64 bits) Hamming distance at or under which two frames count as the same picture.
DEFAULT_DEDUP_DISTANCE = 6


def _phash(candidate: _Candidate) -> Any:
    if candidate.phash is None:
        import imagehash
        from PIL import Image as PILImage

        rgb = candidate.small[:, :, ::-1]
        candidate.phash = imagehash.phash(PILImage.fromarray(rgb))
    return candidate.phash


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
