"""Scenes found in one pass: PySceneDetect fed frame by frame, a bounded few candidates each."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from core.exceptions import ConfigError

if TYPE_CHECKING:
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]

__all__ = ["Detector"]

Detector = Literal["adaptive", "content"]

# Candidate slots kept per open scene; each slot holds the sharpest frame of its stretch.
SLOTS_PER_SCENE = 12
# Initial slot length, in seconds of video; doubles whenever a scene outgrows its slots.
SLOT_SECONDS = 0.5
# With more scenes than budget: scenes kept as candidates beyond the budget (in case some are
# duplicates), and candidates kept for each of them.
SPARE_SCENES = 4
SPARE_CANDIDATES = 2


@dataclass
class _Candidate:
    frame_number: int
    sharpness: float
    frame: Any  # the decoded av.VideoFrame (a reference: nothing converted or copied)
    small: Image  # detector-resolution BGR, for the perceptual hash
    phash: Any = None


@dataclass
class _ClosedScene:
    index: int
    start: int
    end: int
    candidates: list[_Candidate]  # representative order: best first, then spread out


@dataclass
class _OpenScene:
    start: int
    slot_len: int
    slots: dict[int, _Candidate] = field(default_factory=dict)

    def offer(self, candidate: _Candidate) -> None:
        """Hold ``candidate`` if it is the sharpest of its slot."""
        slot = (candidate.frame_number - self.start) // self.slot_len
        while slot >= SLOTS_PER_SCENE:
            # Halve the resolution of the slot grid: keep the sharper of each adjacent pair.
            merged: dict[int, _Candidate] = {}
            for index, kept in self.slots.items():
                other = merged.get(index // 2)
                if other is None or kept.sharpness > other.sharpness:
                    merged[index // 2] = kept
            self.slots = merged
            self.slot_len *= 2
            slot = (candidate.frame_number - self.start) // self.slot_len
        held = self.slots.get(slot)
        if held is None or candidate.sharpness > held.sharpness:
            self.slots[slot] = candidate


def _representative_order(candidates: list[_Candidate], start: int, end: int) -> list[_Candidate]:
    """Best frame first (sharp and central), then greedily the ones farthest from those chosen."""
    if len(candidates) <= 1:
        return list(candidates)
    length = max(1, end - start)
    middle = (start + end - 1) / 2.0
    top = max(c.sharpness for c in candidates) or 1.0

    def centred(c: _Candidate) -> float:
        return (c.sharpness / top) * (1.0 - 0.5 * abs(c.frame_number - middle) / (length / 2.0))

    remaining = sorted(candidates, key=lambda c: c.frame_number)
    first = max(remaining, key=centred)
    order = [first]
    remaining.remove(first)
    while remaining:

        def spread(c: _Candidate) -> float:
            gap = min(abs(c.frame_number - o.frame_number) for o in order) / length
            return gap * (0.5 + 0.5 * c.sharpness / top)

        pick = max(remaining, key=spread)
        order.append(pick)
        remaining.remove(pick)
    return order


class _SceneSampler:
    """Feeds PySceneDetect and keeps a bounded set of candidate frames per scene."""

    def __init__(
        self,
        detector: Any,
        fps: float,
        max_frames: int,
        on_close: Callable[[_Candidate], None] | None = None,
    ) -> None:
        from scenedetect import FrameTimecode

        self._timecode = FrameTimecode
        self._on_close = on_close
        self._detector = detector
        self._fps = fps
        self._budget = max_frames
        self._slot_len = max(1, round(fps * SLOT_SECONDS))
        self._open = _OpenScene(start=0, slot_len=self._slot_len)
        self.closed: list[_ClosedScene] = []
        self._longest: list[tuple[int, int, _ClosedScene]] = []

    def feed(self, candidate: _Candidate) -> None:
        """Detect cuts up to this frame, then offer it."""
        cuts = self._detector.process_frame(
            self._timecode(candidate.frame_number, self._fps), candidate.small
        )
        for cut in cuts:
            self._cut(int(cut.frame_num))
        self._open.offer(candidate)

    def finish(self, end: int) -> None:
        for cut in self._detector.post_process(self._timecode(max(0, end - 1), self._fps)):
            self._cut(int(cut.frame_num))
        self._close(self._open, end)

    def _cut(self, at: int) -> None:
        if at <= self._open.start:
            return
        # The detector reports a cut a few frames late, so frames after it went to the old
        # scene's slots: move them to the new scene.
        late = [c for c in self._open.slots.values() if c.frame_number >= at]
        self._open.slots = {k: c for k, c in self._open.slots.items() if c.frame_number < at}
        self._close(self._open, at)
        self._open = _OpenScene(start=at, slot_len=self._slot_len)
        for candidate in sorted(late, key=lambda c: c.frame_number):
            self._open.offer(candidate)

    def _close(self, scene: _OpenScene, end: int) -> None:
        ordered = _representative_order(list(scene.slots.values()), scene.start, end)
        closed = _ClosedScene(len(self.closed), scene.start, end, ordered)
        self.closed.append(closed)
        self._prune(closed)
        # While scenes fit the budget, a closed scene's best frame is shown unless it
        # duplicates an earlier one: worth rendering now, while the decoder is still busy.
        if self._on_close is not None and closed.candidates and len(self.closed) <= self._budget:
            self._on_close(closed.candidates[0])

    def _prune(self, newest: _ClosedScene) -> None:
        # Round-robin allocation never gives a scene more than ceil(budget / scenes) frames
        # (one spare for duplicates), and with more scenes than budget only the longest ones
        # are shown: holding more pixels than that would only cost memory.
        count = len(self.closed)
        if count <= self._budget:
            keep = math.ceil(self._budget / count) + 1
            for scene in self.closed:
                del scene.candidates[keep:]
        elif count == self._budget + 1:
            for scene in self.closed:
                self._admit(scene)
        else:
            self._admit(newest)

    def _admit(self, scene: _ClosedScene) -> None:
        """Keep pixels only for the longest ``budget + SPARE_SCENES`` scenes.

        A heap, because films have thousands of shots; kept scenes hold two candidates, the
        others only their bounds.
        """
        del scene.candidates[SPARE_CANDIDATES:]
        # Heap order = eviction order: shortest first, then the later of equal lengths,
        # mirroring _allocate's preference for long, early scenes.
        entry = (scene.end - scene.start, -scene.index, scene)
        if len(self._longest) < self._budget + SPARE_SCENES:
            heapq.heappush(self._longest, entry)
        elif entry[:2] > self._longest[0][:2]:
            heapq.heapreplace(self._longest, entry)[2].candidates.clear()
        else:
            scene.candidates.clear()


def _make_detector(kind: Detector) -> Any:
    from scenedetect.detectors import AdaptiveDetector, ContentDetector

    if kind == "adaptive":
        return AdaptiveDetector()
    if kind == "content":
        return ContentDetector()
    raise ConfigError(f"unknown scene detector {kind!r}: use 'adaptive' or 'content'")
