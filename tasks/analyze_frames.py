"""Analyse sampled frames, one call per scene, through the vision role.

Frames are grouped per scene so the model sees a shot as a whole (and the CPU tier, which
serves one request at a time, makes one call per scene instead of one per frame).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from core.exceptions import JobError

if TYPE_CHECKING:
    from inference.client import InferenceClient
    from inference.routing import Deployment
    from prompts import Prompt

__all__ = [
    "PROMPT_NAME",
    "ROLE",
    "FrameAnalysis",
    "FrameInput",
    "FrameRef",
    "analyze_frames",
    "descriptor_text",
    "frame_inputs",
]

PROMPT_NAME = "analyze_frames"
ROLE = "vision"
_MAX_TOKENS = 300


class FrameInput(BaseModel):
    """One sampled frame handed to the vision role.

    ``jpeg`` goes to vision-capable deployments as a base64 ``image_url`` part; text-only
    deployments see ``descriptors`` (OpenCV measurements rendered as text) instead.
    """

    model_config = ConfigDict(frozen=True)

    label: str = Field(description="Short name of the frame, e.g. 'scene 3 @ 12.4s'.")
    timestamp: float = Field(ge=0, description="Position in the clip, in seconds.")
    jpeg: bytes | None = Field(default=None, description="Encoded JPEG, if an image is available.")
    descriptors: str = Field(
        default="", description="OpenCV descriptors as text, for blind models."
    )
    text: str = Field(default="", description="Text read on screen by OCR, lines quoted.")


class FrameAnalysis(BaseModel):
    """What the vision role saw in a set of frames.

    ``blind`` and ``deployment`` are set by this task, not the model: a blind analysis was
    produced from descriptors by a text-only deployment and must be labelled as such.
    """

    model_config = ConfigDict(extra="ignore")

    summary: str = Field(description="Two or three sentences on what the frames show.")
    subjects: list[str] = Field(default_factory=list, description="Main subjects visible.")
    mood: str = Field(default="", description="Emotional tone of the footage.")
    composition: str = Field(default="", description="Framing, lighting and colour notes.")
    motion: str = Field(default="", description="Camera and subject movement.")
    edit_suggestions: list[str] = Field(
        default_factory=list, description="Concrete edits that would serve the intent."
    )
    blind: bool = Field(default=False, description="True when produced from descriptors only.")
    deployment: str = Field(default="", description="Id of the deployment that answered.")


class _VisionAnswer(BaseModel):
    """What the model itself must produce; ``blind``/``deployment`` are set by the task."""

    model_config = ConfigDict(extra="ignore")

    summary: str
    subjects: list[str] = Field(default_factory=list)
    mood: str = ""
    composition: str = ""
    motion: str = ""
    edit_suggestions: list[str] = Field(default_factory=list)


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
        frames: Sampled frames (``SampledFrame`` from ``tasks.footage``).
        jpegs: Encoded JPEG per frame number, when images are available.

    Returns:
        One ``FrameInput`` per frame, labelled with scene and time.
    """
    images = jpegs or {}
    return [
        FrameInput(
            label=f"scene {f.scene} @ {f.timestamp:.1f}s (frame {f.frame_number})",
            timestamp=max(0.0, float(f.timestamp)),
            jpeg=images.get(f.frame_number),
            descriptors=descriptor_text(f.descriptors),
            text=" / ".join(f'"{line}"' for line in getattr(f.descriptors, "text", None) or ()),
        )
        for f in frames
    ]


def descriptor_text(descriptors: object) -> str:
    """What a blind model reads for a frame: ``FrameDescriptors.to_text()``, or the text."""
    to_text = getattr(descriptors, "to_text", None)
    if callable(to_text):
        return str(to_text())
    return "" if descriptors is None else str(descriptors)


def analyze_frames(
    client: InferenceClient,
    frames: Sequence[FrameInput],
    focus: str,
    *,
    sound: str = "",
    max_tokens: int = _MAX_TOKENS,
) -> FrameAnalysis:
    """Ask the vision role about one scene's frames (and what is heard meanwhile).

    Vision deployments get the JPEGs as image parts; text-only ones (and any deployment when
    no frame has an image) get the descriptors, and the analysis is labelled ``blind``.

    Args:
        client: The inference client.
        frames: The scene's frames (put in time order here).
        focus: What to pay attention to.
        sound: What is heard in the scene (``SceneAudio.to_text()``: words, beats, level).
        max_tokens: Cap on the answer's tokens.

    Returns:
        The analysis; ``blind`` is set when it came from descriptors only, ``deployment``
        names the deployment that answered.

    Raises:
        JobError: No frames were given.
        InferenceError: The model call failed.
    """
    import prompts

    if not frames:
        raise JobError("analyze_frames: a scene has no sampled frames")
    ordered = sorted(frames, key=lambda f: f.timestamp)
    template = prompts.load(PROMPT_NAME)
    completion = client.complete(
        ROLE,
        lambda deployment: _messages(template, deployment, ordered, focus, sound, max_tokens),
        _VisionAnswer,
        max_tokens=max_tokens,
        temperature=0.2,
    )
    answer = completion.value
    assert isinstance(answer, _VisionAnswer)
    return FrameAnalysis(
        **answer.model_dump(),
        blind=not _sees(completion.deployment, ordered),
        deployment=completion.record.deployment,
    )


def _sees(deployment: Deployment, frames: Sequence[FrameInput]) -> bool:
    return deployment.supports_vision and any(f.jpeg for f in frames)


def _messages(
    template: Prompt,
    deployment: Deployment,
    frames: list[FrameInput],
    focus: str,
    sound: str,
    max_tokens: int,
) -> list[dict[str, Any]]:
    """The request for ``deployment``: image parts if it sees, descriptors otherwise."""
    from inference.structured import string_limit
    from tasks._chat import image_part, json_messages

    sees = _sees(deployment, frames)
    limit = string_limit(deployment, _VisionAnswer, max_tokens)
    text = template.render(blind=not sees, focus=focus, frames=frames, sound=sound, limit=limit)
    if not sees:
        return json_messages(text)
    parts = [{"type": "text", "text": text}]
    parts += [image_part(frame.jpeg) for frame in frames if frame.jpeg]
    return json_messages(parts)
