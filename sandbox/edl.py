"""Edit decision lists: a JSON edit the model fills in and trusted code turns into a script.

The EDL path exists for models that write poor code: the model only chooses numbers and
words inside a schema (constrained decoding), pydantic validates them, and
:func:`compile_edl` emits an ordinary edit script -- a data table plus a fixed loop -- which
then goes through the same policy check and sandboxed run as any Coder script. Values
reach the script only through ``repr`` of validated primitives, so no model text becomes
code.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .policy import ensure_allowed

__all__ = ["EditDecisionList", "Segment", "compile_edl", "expected_duration", "join_length"]

_PATHISH_CHARS = re.compile(r"[/\\~]")
_TRAILING_EXTENSION = re.compile(r"\.([A-Za-z][A-Za-z0-9]{1,4})$")
# Sepia as a tint of the gray picture (per RGB channel): warm, and never above 255.
_SEPIA = (1.0, 0.85, 0.66)
# The gray of a picture as its luma (Rec. 601 weights, as a decoder's Y): black and white keeps
# each shot as bright as it was. MoviePy's default, the plain mean of R, G and B, darkens a
# red or blue shot and brightens a green one, shot by shot.
_GREY = (0.299, 0.587, 0.114)


def _plain_text(value: str) -> str:
    # Captions are displayed, never opened, but must not read as paths to the policy.
    value = " ".join(_PATHISH_CHARS.sub("-", value).split())
    return _TRAILING_EXTENSION.sub(r" \1", value)


class Segment(BaseModel):
    """One piece of the output, taken from one input clip."""

    model_config = ConfigDict(extra="forbid")

    source: int = Field(default=0, ge=0, description="Index of the input clip (0 = first).")
    start: float = Field(ge=0, description="In point in the source, seconds.")
    end: float = Field(gt=0, description="Out point in the source, seconds (after start).")
    speed: float = Field(default=1.0, ge=0.25, le=4.0, description="Playback speed factor.")
    repeat: int = Field(default=1, ge=1, le=4, description="How many times to play it.")
    reverse: bool = Field(default=False, description="Play the segment backwards.")
    caption: str = Field(default="", max_length=80, description="Text shown over it.")
    transition: Literal["cut", "fade", "crossfade"] = Field(
        default="cut", description="How the segment starts: hard cut, fade from black, crossfade."
    )

    @field_validator("caption")
    @classmethod
    def _plain_caption(cls, value: str) -> str:
        return _plain_text(value)

    @model_validator(mode="after")
    def _ordered(self) -> Segment:
        if self.end <= self.start:
            raise ValueError(f"segment end ({self.end}) must be after its start ({self.start})")
        return self


class EditDecisionList(BaseModel):
    """The whole edit: segments played in order, with optional transitions and a finish."""

    model_config = ConfigDict(extra="forbid")

    segments: list[Segment] = Field(min_length=1, max_length=24, description="In play order.")
    transition_s: float = Field(
        default=0.5, ge=0.1, le=2.0, description="Length of fades and crossfades, seconds."
    )
    caption: str = Field(default="", max_length=80, description="Text shown over the whole edit.")
    colour: Literal["natural", "monochrome", "sepia"] = Field(
        default="natural", description="Colour treatment of the whole edit."
    )
    fade_in_s: float = Field(default=0.0, ge=0, le=5, description="Fade from black, seconds.")
    fade_out_s: float = Field(default=0.0, ge=0, le=5, description="Fade to black, seconds.")
    aspect: tuple[int, int] | None = Field(
        default=None, description="Output aspect (w, h), e.g. (9, 16): centre crop."
    )
    size: tuple[int, int] | None = Field(
        default=None, description="Output (width, height): centre crop to its aspect, then resize."
    )
    audio: Literal["keep", "mute"] = Field(default="keep", description="Keep or drop the sound.")

    @field_validator("caption")
    @classmethod
    def _plain_caption(cls, value: str) -> str:
        return _plain_text(value)

    @field_validator("aspect", "size")
    @classmethod
    def _sane_pair(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and not all(1 <= side <= 4096 for side in value):
            raise ValueError(f"sides must be between 1 and 4096, not {value}")
        return value


_TEMPLATE = '''"""Compiled from an edit decision list by sandbox.edl (trusted code)."""

from moviepy import CompositeVideoClip, TextClip, concatenate_videoclips, vfx

TRANSITION_S = {transition_s!r}
SEGMENTS = {segments!r}
CAPTION = {caption!r}
COLOUR = {colour!r}
SEPIA = {sepia!r}
GREY = {grey!r}
FADE_IN_S = {fade_in_s!r}
FADE_OUT_S = {fade_out_s!r}
CROP_TO = {crop_to!r}
SIZE = {size!r}
AUDIO = {audio!r}


def caption(clip, text):
    # Big enough to read on a small picture, wrapped to the frame's width.
    size = max(24, clip.h // 10)
    words = TextClip(
        text=text,
        font_size=size,
        color="white",
        stroke_color="black",
        stroke_width=max(1, size // 12),
        method="caption",
        size=(max(2 * size, round(clip.w * 0.9)), None),
        text_align="center",
    )
    # Inside the title-safe band: a twentieth of the height above the bottom edge, where a
    # player's controls and a phone's rounded corners leave it whole.
    top = max(0, clip.h - words.h - clip.h // 20)
    words = words.with_duration(clip.duration).with_position(("center", top))
    return CompositeVideoClip([clip, words])


def finish(clip):
    if COLOUR != "natural":
        clip = clip.with_effects([vfx.BlackAndWhite(RGB=list(GREY))])
    if COLOUR == "sepia":
        clip = clip.image_transform(lambda frame: (frame * SEPIA).astype("uint8"))
    if CROP_TO:
        ratio = CROP_TO[0] / CROP_TO[1]
        width = min(clip.w, round(clip.h * ratio))
        height = min(clip.h, round(clip.w / ratio))
        clip = clip.cropped(x_center=clip.w / 2, y_center=clip.h / 2, width=width, height=height)
        if not SIZE:
            # Even sides at exactly the ratio: an encoder rounds odd sides down (101 -> 100).
            unit = max(2, round(height / CROP_TO[1] / 2) * 2)
            exact = (CROP_TO[0] * unit, CROP_TO[1] * unit)
            if (clip.w, clip.h) != exact:
                clip = clip.resized(new_size=exact)
    if SIZE:
        clip = clip.resized(new_size=SIZE)
    if CAPTION:
        clip = caption(clip, CAPTION)
    if FADE_IN_S:
        clip = clip.with_effects([vfx.FadeIn(min(FADE_IN_S, clip.duration / 2))])
    if FADE_OUT_S:
        # Black on the last frame written: the sandbox's FadeOut ends there (sandbox._handed).
        clip = clip.with_effects([vfx.FadeOut(min(FADE_OUT_S, clip.duration / 2))])
    if AUDIO == "mute":
        clip = clip.without_audio()
    return clip


def edit(source):
    clips = source if isinstance(source, list) else [source]
    height = clips[0].h
    placed = []
    cursor = 0.0
    for seg in SEGMENTS:
        clip = clips[min(seg["source"], len(clips) - 1)]
        if clip.h != height:
            clip = clip.resized(height=height)
        end = min(seg["end"], clip.duration)
        start = min(seg["start"], max(end - 0.1, 0.0))
        part = clip.subclipped(start, end)
        if seg["speed"] != 1.0:
            part = part.with_effects([vfx.MultiplySpeed(seg["speed"])])
        if seg["reverse"]:
            part = part.with_effects([vfx.TimeMirror()])
        if seg["repeat"] > 1:
            part = concatenate_videoclips([part] * seg["repeat"])
        if seg["caption"]:
            part = caption(part, seg["caption"])
        fade = min(TRANSITION_S, part.duration / 2)
        if seg["transition"] == "fade":
            part = part.with_effects([vfx.FadeIn(fade)])
        begin = cursor
        if seg["transition"] == "crossfade" and placed:
            part = part.with_effects([vfx.CrossFadeIn(fade)])
            begin = max(cursor - fade, 0.0)
        placed.append(part.with_start(begin).with_position("center"))
        cursor = begin + part.duration
    if len(placed) == 1:
        return finish(placed[0])
    return finish(CompositeVideoClip(placed).with_duration(cursor))
'''


def compile_edl(edl: EditDecisionList) -> str:
    """Turn a validated EDL into an edit script that passes the policy.

    Args:
        edl: The decision list.

    Returns:
        Python source defining ``edit(source)``.

    Raises:
        PolicyViolation: Never for a valid EDL; checked anyway so a bug cannot slip through.
    """
    segments = [segment.model_dump() for segment in edl.segments]
    # A size fixes the aspect too: crop to it first, so resizing never distorts.
    crop_to = edl.size or edl.aspect
    if edl.size is None and crop_to is not None:  # in lowest terms: 18:32 is 9:16
        common = math.gcd(*crop_to)
        crop_to = (crop_to[0] // common, crop_to[1] // common)
    code = _TEMPLATE.format(
        transition_s=float(edl.transition_s),
        segments=segments,
        caption=str(edl.caption),
        colour=str(edl.colour),
        sepia=tuple(float(v) for v in _SEPIA),
        grey=tuple(float(v) for v in _GREY),
        fade_in_s=float(edl.fade_in_s),
        fade_out_s=float(edl.fade_out_s),
        crop_to=None if crop_to is None else (int(crop_to[0]), int(crop_to[1])),
        size=None if edl.size is None else (int(edl.size[0]), int(edl.size[1])),
        audio=str(edl.audio),
    )
    ensure_allowed(code)
    return code


def expected_duration(edl: EditDecisionList, source_durations: list[float] | None = None) -> float:
    """The length the compiled script's clip will have, by the script's own arithmetic.

    Args:
        edl: The decision list.
        source_durations: Lengths of the inputs, to clamp out points as the script does.

    Returns:
        Seconds: each part lasts ``(end - start) / speed * repeat``; a crossfade overlaps
        the part before by ``min(transition_s, part / 2)``.
    """
    cursor = 0.0
    for number, seg in enumerate(edl.segments):
        end = seg.end
        if source_durations:
            end = min(end, source_durations[min(seg.source, len(source_durations) - 1)])
        start = min(seg.start, max(end - 0.1, 0.0))
        part = (end - start) / seg.speed * seg.repeat
        begin = cursor
        if seg.transition == "crossfade" and number > 0:
            begin = max(cursor - join_length(edl.transition_s, part), 0.0)
        cursor = begin + part
    return cursor


def join_length(transition_s: float, part: float) -> float:
    """How long a crossfade or a dip into a ``part`` s long piece plays in the compiled script.

    The script caps it at half the piece (``min(TRANSITION_S, part.duration / 2)``), so a
    crossfade into a piece shorter than two of them overlaps less than ``transition_s``.
    """
    return min(transition_s, part / 2)
