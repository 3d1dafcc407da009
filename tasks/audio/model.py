"""What the sound of a clip holds: words with timings, speech spans, beats, loudness.

These are the manifest's audio types. ``ClipAudio`` is one clip's, ``SceneAudio`` the slice of
it that falls inside one scene (``ClipAudio.scene``). Times are seconds on the clip's video
clock (0 is the first video frame), so a word at 2.5 s is heard with frame ``2.5 * fps``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AudioStream",
    "ClipAudio",
    "Loudness",
    "Rhythm",
    "SceneAudio",
    "Span",
    "Transcript",
    "Word",
]


class Word(BaseModel):
    """One recognised word and when it is spoken."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(description="The word as recognised, without surrounding spaces.")
    start: float = Field(description="Start, seconds.")
    end: float = Field(description="End, seconds.")
    probability: float = Field(description="The recogniser's confidence, 0..1.")


class Transcript(BaseModel):
    """What is said in a clip, word by word."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(description="The recogniser, e.g. 'whisper-tiny.en (faster-whisper)'.")
    language: str = Field(description="Language code of the speech, e.g. 'en'.")
    words: list[Word] = Field(description="Words in time order.")

    @property
    def text(self) -> str:
        """The words joined by spaces."""
        return " ".join(w.text for w in self.words)

    def between(self, start: float, end: float) -> list[Word]:
        """Words whose middle lies in ``[start, end)``."""
        return [w for w in self.words if start <= (w.start + w.end) / 2 < end]


class Span(BaseModel):
    """A stretch of the clip with or without speech (voice activity)."""

    model_config = ConfigDict(frozen=True)

    start: float = Field(description="Start, seconds.")
    end: float = Field(description="End, seconds (exclusive).")
    speech: bool = Field(description="True when a voice is heard in it.")


class Rhythm(BaseModel):
    """Beats and onsets (librosa's algorithms), and the tempo the beats imply."""

    model_config = ConfigDict(frozen=True)

    tempo_bpm: float | None = Field(description="Estimated tempo; None when no beat was found.")
    beats: list[float] = Field(description="Beat times, seconds.")
    onsets: list[float] = Field(description="Note/hit onset times, seconds.")

    def beats_between(self, start: float, end: float) -> list[float]:
        """Beat times in ``[start, end)``."""
        return [t for t in self.beats if start <= t < end]

    def nearest_beat(self, t: float) -> float | None:
        """The beat closest to ``t``, or None when there are none."""
        return min(self.beats, key=lambda b: abs(b - t), default=None)


class Loudness(BaseModel):
    """EBU R128 / ITU-R BS.1770 loudness (pyloudnorm) and sample peak."""

    model_config = ConfigDict(frozen=True)

    integrated_lufs: float | None = Field(
        description="Integrated loudness, LUFS; None for silence or under 0.4 s of audio."
    )
    peak_dbfs: float | None = Field(description="Sample peak, dBFS; None for digital silence.")


class AudioStream(BaseModel):
    """The clip's first audio stream as decoded."""

    model_config = ConfigDict(frozen=True)

    codec: str = Field(description="FFmpeg's decoder name, e.g. 'ac3'.")
    sample_rate: int = Field(description="The stream's own sample rate, Hz.")
    channels: int = Field(description="The stream's own channel count.")
    duration_s: float = Field(description="Seconds of audio that decoded.")
    packets: int = Field(description="Audio packets read.")
    failed_packets: int = Field(description="Audio packets that did not decode (damage).")


class SceneAudio(BaseModel):
    """The part of a clip's audio inside one scene; ``to_text`` is what a model reads."""

    model_config = ConfigDict(frozen=True)

    start_s: float = Field(description="Scene start, seconds.")
    end_s: float = Field(description="Scene end, seconds (exclusive).")
    words: list[Word] = Field(description="Words spoken in the scene.")
    speech_s: float = Field(description="Seconds of speech in the scene (voice activity).")
    beats: list[float] = Field(description="Beat times in the scene, seconds.")
    onsets: int = Field(description="Onsets counted in the scene.")
    tempo_bpm: float | None = Field(description="The clip's tempo (beats are clip-wide).")
    loudness_lufs: float | None = Field(description="Integrated loudness of the scene, LUFS.")

    def to_text(self) -> str:
        """One line: the speech quoted, then music and level, e.g. for a blind model.

        Returns:
            E.g. ``'speech 2.1 s: "we need a plan"; 6 beats (~120 BPM); loudness -18 LUFS'``.
        """
        parts: list[str] = []
        if self.words:
            said = " ".join(w.text for w in self.words)
            parts.append(f'speech {self.speech_s:.1f} s: "{said}"')
        elif self.speech_s > 0:
            parts.append(f"voice {self.speech_s:.1f} s, no words recognised")
        else:
            parts.append("no speech")
        if self.beats:
            tempo = f" (~{self.tempo_bpm:.0f} BPM)" if self.tempo_bpm else ""
            parts.append(f"{len(self.beats)} beats{tempo}")
        parts.append(
            "silent" if self.loudness_lufs is None else f"loudness {self.loudness_lufs:.0f} LUFS"
        )
        return "; ".join(parts)


class ClipAudio(BaseModel):
    """Everything heard in one clip. ``stream`` is None when the clip has no audio track."""

    model_config = ConfigDict(frozen=True)

    stream: AudioStream | None = Field(description="The decoded audio stream; None: no audio.")
    transcript: Transcript | None = Field(
        description="Speech recognised; None when the recogniser is not installed or no audio."
    )
    spans: list[Span] = Field(description="Speech and non-speech spans covering the audio.")
    rhythm: Rhythm | None = Field(description="Beats, onsets and tempo; None without audio.")
    loudness: Loudness | None = Field(description="Whole-clip loudness; None without audio.")
    notes: list[str] = Field(description="Plain-language remarks: damage, skipped features.")

    @property
    def present(self) -> bool:
        """Whether the clip has a decodable audio track."""
        return self.stream is not None
