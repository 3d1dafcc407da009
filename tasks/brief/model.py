"""The brief: what a creative request asks for, as machine-checkable criteria.

A ``Brief`` is the shared contract of the fidelity loop:

- the intent step fills it (the model proposes, a deterministic parse of the request's own
  words cross-checks, and the request's words win where they disagree);
- the planner turns it into exact source in/out points, speeds and transitions;
- the verifier measures the rendered video against ``Brief.criteria()``.

Every field is optional: ``None`` (or an empty list) means "the request does not say", and
then nothing is checked for it. Asks that cannot be measured stay in ``free_text`` and are
reported as unchecked, never as passed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Brief",
    "CheckResult",
    "Criterion",
    "CriterionKind",
    "DurationAsk",
    "ShotPick",
    "SoundAsk",
    "SourceUse",
    "SpeedAsk",
]

CriterionKind = Literal[
    "duration",
    "speed",
    "colour",
    "transitions",
    "transition_s",
    "fade_in",
    "fade_out",
    "caption",
    "no_text",
    "start_on",
    "end_on",
    "use",
    "order",
    "playback",
    "aspect",
    "size",
    "audio",
    "beats",
    "words",
    "loudness",
    "free",
]

PickKind = Literal[
    "brightest",
    "darkest",
    "most_motion",
    "least_motion",
    "faces",
    "most_colourful",
    "first",
    "last",
    "scene",
    "scene_from_end",
    "time",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DurationAsk(_Strict):
    """Length of the output. A target alone gets a tolerance; bounds alone are checked as such."""

    target_s: float | None = Field(default=None, gt=0, description="Asked length, seconds.")
    min_s: float | None = Field(default=None, ge=0, description="At least this long.")
    max_s: float | None = Field(default=None, gt=0, description="At most this long.")
    tolerance_s: float = Field(default=0.3, ge=0, description="Allowed error on the target.")
    share_of_source: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Length as a share of the source's ('half its original length' is 0.5); "
        "a target once the source's length is known (Brief.with_source_length).",
    )
    shorter_by_s: float | None = Field(
        default=None,
        gt=0,
        description="Length as the source's less this many seconds ('cut it down by 4 "
        "seconds'); a target once the source's length is known.",
    )


class SpeedAsk(_Strict):
    """A playback speed: 2.0 is twice as fast, 0.5 is slow motion at half speed."""

    factor: float = Field(gt=0, le=8, description="Speed factor (1.0 = real time).")
    applies_to: Literal["all", "best_moment", "part"] = Field(
        default="all",
        description="all: whole edit; best_moment: a replay of the pick below; part: some of it.",
    )
    replay: bool = Field(default=False, description="The slowed/sped part is an extra replay.")
    pick: ShotPick | None = Field(default=None, description="Which moment, for best_moment.")


class ShotPick(_Strict):
    """A shot chosen by a measurement or by position ("the brightest", "scene 3", "at 12 s").

    A scene counted from the end ("the penultimate shot", "the scene before the last one")
    is ``scene_from_end`` with ``scene`` 2: the count of scenes is the footage's, known only
    to the planner and the verifier, so the brief keeps the count as said.
    """

    kind: PickKind
    scene: int | None = Field(
        default=None,
        ge=1,
        description="1-based scene, for kind=scene; for kind=scene_from_end counted from the "
        "end (1 the last, 2 the one before it).",
    )
    time_s: float | None = Field(default=None, ge=0, description="Source time, for kind=time.")


class SourceUse(_Strict):
    """Which parts of the source the edit draws on."""

    kind: Literal[
        "all", "every_scene", "head", "tail", "ranges", "beginning_middle_end", "portion",
        "trim", "except",
    ]  # fmt: skip
    seconds: float | None = Field(default=None, gt=0, description="Length of head/tail.")
    ranges: list[tuple[float, float]] = Field(
        default_factory=list, description="Source (start, end) seconds, for kind=ranges."
    )
    portion: tuple[float, float] | None = Field(
        default=None,
        description="(start, end) as fractions 0-1 of the source, for kind=portion "
        "('the first half' is (0, 0.5)).",
    )
    # What is taken away, kept as said: the stretch that is left needs the footage's length
    # and scenes, known only to the planner and the verifier (tasks.shots.with_footage).
    trim: tuple[float, float] | None = Field(
        default=None,
        description="(seconds cut off the start, seconds cut off the end), for kind=trim "
        "('trim 2 s off the start and 1 s off the end' is (2, 1)).",
    )
    skip: list[ShotPick] = Field(
        default_factory=list,
        description="Scenes left out, for kind=except ('everything but scene 2', 'without "
        "the last scene'); the rest of the footage is used.",
    )


class SoundAsk(_Strict):
    """How the edit treats sound: cuts on the beat, never mid-word, a loudness target."""

    beats: bool = Field(default=False, description="Cut on the beat of the music.")
    whole_words: bool = Field(default=False, description="No cut falls inside a spoken word.")
    # Set by the flow when the footage speaks: the planner keeps cuts out of words, but no
    # criterion is added (checking words costs a transcription the request did not ask for).
    avoid_words: bool = Field(default=False, exclude=True)
    loudness_lufs: float | None = Field(
        default=None, ge=-40, le=-5, description="Normalise the output to this loudness, LUFS."
    )


class Brief(_Strict):
    """Everything checkable in one request, plus the asks that stay free text."""

    duration: DurationAsk | None = None
    speeds: list[SpeedAsk] = Field(default_factory=list)
    colour: Literal["monochrome", "sepia", "natural"] | None = Field(
        default=None, description="Colour treatment; natural = explicitly keep colour."
    )
    transitions: Literal["cut", "fade", "crossfade"] | None = Field(
        default=None, description="How shots join: hard cuts, dips to black or crossfades."
    )
    fade_in: bool | None = Field(default=None, description="Open with a fade from black.")
    fade_out: bool | None = Field(default=None, description="Close with a fade to black.")
    fade_in_s: float | None = Field(default=None, gt=0, description="Asked fade-in length, s.")
    fade_out_s: float | None = Field(default=None, gt=0, description="Asked fade-out length, s.")
    transition_s: float | None = Field(
        default=None, gt=0, description="Asked length of each crossfade or dip to black, s."
    )
    captions: list[str] = Field(
        default_factory=list, description="Exact caption texts to burn in, in order."
    )
    start_on: ShotPick | None = None
    end_on: ShotPick | None = None
    use: SourceUse | None = None
    order: Literal["source", "reverse"] | None = Field(
        default=None, description="Chronological or reversed order of the shots used."
    )
    playback: Literal["forward", "reverse"] | None = Field(
        default=None,
        description="The edit plays time backwards (reverse) or, asked explicitly, forwards.",
    )
    aspect: str | None = Field(
        default=None, pattern=r"^\d{1,2}:\d{1,2}$", description="Output aspect, e.g. '9:16'."
    )
    size: tuple[int, int] | None = Field(default=None, description="Output (width, height).")
    audio: Literal["keep", "mute"] | None = None
    sound: SoundAsk | None = Field(default=None, description="Beat cuts, whole words, loudness.")
    free_text: list[str] = Field(
        default_factory=list, description="Asks that cannot be measured; reported as unchecked."
    )

    def shot_order(self) -> Literal["source", "reverse"] | None:
        """The order the shots play in: as asked, else last to first when time runs backwards."""
        if self.order is None and self.playback == "reverse":
            return "reverse"
        return self.order

    def with_source_length(self, source_s: float) -> Brief:
        """This brief with a length asked against the source's made a target in seconds.

        Only the planner and the verifier know the footage: they call this before reading
        ``duration``. A share ("half its original length") or a cut ("4 seconds shorter") is
        the request's own words, so it sets the target even where the model proposed one.
        Without either the brief comes back unchanged.
        """
        ask = self.duration
        if ask is None or source_s <= 0:
            return self
        if ask.share_of_source is not None:
            target = round(ask.share_of_source * source_s, 3)
        elif ask.shorter_by_s is not None and ask.shorter_by_s < source_s:
            target = round(source_s - ask.shorter_by_s, 3)
        else:
            return self
        from .parse import default_tolerance

        resolved = ask.model_copy(
            update={
                "target_s": target,
                "tolerance_s": default_tolerance(target),
                "share_of_source": None,
                "shorter_by_s": None,
            }
        )
        return self.model_copy(update={"duration": resolved})

    def criteria(self) -> list[Criterion]:
        """One criterion per checkable ask, plus one unchecked criterion per free-text ask.

        ``no_text`` is added whenever no caption is asked for: nothing the request did not
        ask for may be burnt into the picture.
        """
        from .criteria import criteria_of

        return criteria_of(self)


class Criterion(_Strict):
    """One line of the checklist."""

    id: str = Field(description="Stable key, e.g. 'duration' or 'caption-1'.")
    kind: CriterionKind
    text: str = Field(description="What is asked, for people: 'duration 6.0 ± 0.3 s'.")
    checkable: bool = Field(default=True, description="False for free-text asks.")


class CheckResult(_Strict):
    """A criterion measured on one render."""

    criterion: Criterion
    passed: bool | None = Field(description="None when the criterion cannot be measured.")
    measured: str = Field(description="What was measured, for people: 'the edit is 3.75 s'.")
    discrepancy: str = Field(
        default="", description="When failed: a concrete instruction-ready description."
    )


SpeedAsk.model_rebuild()
