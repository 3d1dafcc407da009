"""Analyse sampled frames, one call per scene, through the vision role.

Frames are grouped per scene so the model sees a shot as a whole (and the CPU tier, which
serves one request at a time, makes one call per scene instead of one per frame).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from studio.exceptions import JobError

if TYPE_CHECKING:
    from inference.client import InferenceClient
    from inference.messages import FrameAnalysis, FrameInput

__all__ = ["PROMPT_NAME", "FrameRef", "analyze_frames", "frame_inputs"]

PROMPT_NAME = "analyze_frames"


class FrameRef(Protocol):
    """The facts about a sampled frame that analysis needs (``SampledFrame`` has them)."""

    @property
    def scene(self) -> int: ...  # noqa: D102

    @property
    def frame_number(self) -> int: ...  # noqa: D102

    @property
    def timestamp(self) -> float: ...  # noqa: D102

    @property
    def descriptors(self) -> object: ...  # noqa: D102 - text, or FrameDescriptors


def frame_inputs(
    frames: Iterable[FrameRef], jpegs: Mapping[int, bytes] | None = None
) -> list[FrameInput]:
    """Build the vision role's inputs for a group of frames.

    Args:
        frames: Sampled frames (``SampledFrame`` from ``tasks.sample_frames``).
        jpegs: Encoded JPEG per frame number, when images are available.

    Returns:
        One ``FrameInput`` per frame, labelled with scene and time.
    """
    from inference.messages import FrameInput

    images = jpegs or {}
    return [
        FrameInput(
            label=f"scene {f.scene} @ {f.timestamp:.1f}s (frame {f.frame_number})",
            timestamp=max(0.0, float(f.timestamp)),
            jpeg=images.get(f.frame_number),
            descriptors=_text(f.descriptors),
        )
        for f in frames
    ]


def _text(descriptors: object) -> str:
    to_text = getattr(descriptors, "to_text", None)
    if callable(to_text):
        return str(to_text())
    return "" if descriptors is None else str(descriptors)


def analyze_frames(client: InferenceClient, frames: list[FrameInput], focus: str) -> FrameAnalysis:
    """Ask the vision role about one scene's frames.

    Args:
        client: The inference client (renders ``prompts/analyze_frames``).
        frames: The scene's frames, in time order.
        focus: What to pay attention to.

    Returns:
        The analysis; ``blind`` is set when it came from descriptors only.

    Raises:
        JobError: No frames were given.
        InferenceError: The model call failed.
    """
    if not frames:
        raise JobError("analyze_frames: a scene has no sampled frames")
    ordered = sorted(frames, key=lambda f: f.timestamp)
    return client.analyze_frames(ordered, focus)
