"""What sampling produced: scenes, the chosen frames and the manifest written beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tasks.audio.model import ClipAudio, SceneAudio
from tasks.footage.descriptors import FrameDescriptors
from tasks.probe import VideoProbe

__all__ = ["MANIFEST_NAME", "SampleManifest", "SampledFrame", "Scene", "Strategy"]

Strategy = Literal["scene", "uniform", "keyframes"]

MANIFEST_NAME = "manifest.json"


class Scene(BaseModel):
    """A shot: frames ``start_frame`` .. ``end_frame - 1`` (end exclusive, as in PySceneDetect)."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(description="0-based position of the scene in the clip.")
    start_frame: int = Field(description="First frame of the scene (0-based, decoded order).")
    end_frame: int = Field(description="One past the last frame of the scene.")
    start_s: float = Field(description="Start time in seconds.")
    end_s: float = Field(description="End time in seconds (exclusive).")
    audio: SceneAudio | None = Field(
        default=None, description="What is heard in the scene; None without audio analysis."
    )

    @property
    def frames(self) -> int:
        """Length of the scene in frames."""
        return self.end_frame - self.start_frame


class SampledFrame(BaseModel):
    """One chosen frame, written as a JPEG."""

    model_config = ConfigDict(frozen=True)

    scene: int = Field(description="Index of the scene the frame belongs to.")
    frame_number: int = Field(description="0-based frame number in decoded order.")
    timestamp: float = Field(description="Seconds from the start: frame_number / fps.")
    path: Path = Field(description="The JPEG written for this frame.")
    phash: str = Field(description="Perceptual hash (imagehash.phash, 64 bits, hex).")
    width: int = Field(description="JPEG width (a multiple of 28).")
    height: int = Field(description="JPEG height (a multiple of 28).")
    visual_tokens: int = Field(description="Qwen2.5-VL image tokens: ceil(h/28)*ceil(w/28).")
    descriptors: FrameDescriptors = Field(description="Cheap OpenCV measurements of the frame.")

    @property
    def label(self) -> str:
        """A short human label, e.g. ``"scene 2 @ 4.17s"``."""
        return f"scene {self.scene} @ {self.timestamp:.2f}s"


class SampleManifest(BaseModel):
    """What was sampled from one clip and why; written as ``manifest.json``."""

    video: VideoProbe = Field(description="The clip, with frames counted by this decode pass.")
    strategy: Strategy = Field(description="How frames were chosen.")
    detector: str | None = Field(description="PySceneDetect detector used (scene strategy only).")
    analysis_stride: int = Field(description="Every Nth frame was colour-converted and analysed.")
    max_frames: int = Field(description="The frame budget asked for.")
    max_pixels: int = Field(description="The per-frame pixel budget asked for.")
    scenes: list[Scene] = Field(
        description="Scenes found (one whole-clip scene without detection)."
    )
    frames: list[SampledFrame] = Field(description="Chosen frames in time order.")
    decoded_frames: int = Field(description="Frames that decoded in the pass.")
    lost_frames: int = Field(description="Frames the container declares that did not decode.")
    visual_tokens: int = Field(description="Sum of the frames' visual tokens.")
    dropped_duplicates: int = Field(description="Candidates skipped as near-duplicates (phash).")
    uncovered_scenes: list[int] = Field(
        description="Scenes that got no frame (budget or duplicates)."
    )
    notes: list[str] = Field(description="Plain-language remarks: losses, budget trade-offs.")
    audio: ClipAudio | None = Field(
        default=None,
        description="What is heard in the clip (decoded in the same pass); None when audio "
        "analysis was not asked for. A clip without an audio track has ``audio.stream`` None.",
    )

    @property
    def tokens_per_minute(self) -> float:
        """Visual tokens per minute of decodable footage."""
        minutes = self.video.duration / 60.0
        return self.visual_tokens / minutes if minutes > 0 else 0.0
