"""``analyse_audio``: everything heard in a clip, for the clip and for each of its scenes."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from core.exceptions import FootageError
from tasks.audio.decode import SAMPLE_RATE, DecodedAudio, read_audio
from tasks.audio.levels import integrated_lufs, loudness
from tasks.audio.model import ClipAudio, SceneAudio, Span, Transcript
from tasks.audio.rhythm import rhythm
from tasks.audio.speech import MODEL_NAME, speech_spans, transcribe, whisper_problem

__all__ = ["NO_AUDIO", "analyse_audio", "scene_audio", "transcribe_clip"]

NO_AUDIO = "no audio track"


def analyse_audio(
    decoded: DecodedAudio | None,
    scenes: Sequence[tuple[float, float]] = (),
    *,
    speech: bool = True,
) -> tuple[ClipAudio, list[SceneAudio | None]]:
    """Transcribe, find speech spans, beats and onsets, and measure loudness.

    Args:
        decoded: The clip's audio (``AudioCollector.finish`` or ``read_audio``); None when the
            clip has no audio track, which is not an error.
        scenes: ``(start_s, end_s)`` of each scene, to slice the results per scene.
        speech: Recognise words (Whisper); False leaves ``transcript`` None.

    Returns:
        The clip's audio, and per scene its slice (None for every scene when there is no
        audio).
    """
    if decoded is None or decoded.samples.shape[1] == 0:
        notes = [NO_AUDIO] if decoded is None else list(decoded.notes)
        stream = None if decoded is None else decoded.stream
        clip = ClipAudio(
            stream=stream, transcript=None, spans=[], rhythm=None, loudness=None, notes=notes
        )
        return clip, [None for _ in scenes]
    notes = list(decoded.notes)
    mono = decoded.mono
    spans = speech_spans(mono, SAMPLE_RATE)
    transcript: Transcript | None = None
    if speech:
        problem = whisper_problem()
        if problem is not None:
            notes.append(f"speech not transcribed: {problem}")
        else:
            transcript = transcribe(mono, [s for s in spans if s.speech])
    clip = ClipAudio(
        stream=decoded.stream,
        transcript=transcript,
        spans=spans,
        rhythm=rhythm(mono, SAMPLE_RATE),
        loudness=loudness(decoded.samples, SAMPLE_RATE),
        notes=notes,
    )
    return clip, [scene_audio(clip, decoded, start, end) for start, end in scenes]


def scene_audio(clip: ClipAudio, decoded: DecodedAudio, start: float, end: float) -> SceneAudio:
    """The slice of ``clip`` heard in ``[start, end)``.

    Args:
        clip: ``analyse_audio``'s clip result.
        decoded: The samples it was computed from (for the scene's own loudness).
        start: Scene start, seconds.
        end: Scene end, seconds.

    Returns:
        Words whose middle is in the scene, seconds of speech, beats, onsets and loudness.
    """
    a, b = (round(t * SAMPLE_RATE) for t in (start, end))
    rhythm_ = clip.rhythm
    return SceneAudio(
        start_s=start,
        end_s=end,
        words=clip.transcript.between(start, end) if clip.transcript else [],
        speech_s=round(_overlap(clip.spans, start, end), 3),
        beats=rhythm_.beats_between(start, end) if rhythm_ else [],
        onsets=sum(start <= t < end for t in rhythm_.onsets) if rhythm_ else 0,
        tempo_bpm=rhythm_.tempo_bpm if rhythm_ else None,
        loudness_lufs=integrated_lufs(np.ascontiguousarray(decoded.samples[:, a:b]), SAMPLE_RATE),
    )


def _overlap(spans: Sequence[Span], start: float, end: float) -> float:
    return sum(max(0.0, min(s.end, end) - max(s.start, start)) for s in spans if s.speech)


def transcribe_clip(path: str | os.PathLike[str]) -> tuple[Transcript, list[Span], list[str]]:
    """Transcribe a file's audio on its own (one audio-only decode pass).

    Args:
        path: A video or audio file.

    Returns:
        The transcript, the speech spans and notes (damage). A file without an audio track
        gives an empty transcript and the note ``no audio track``.

    Raises:
        FootageError: The file cannot be read, or the recogniser is not installed.
    """
    problem = whisper_problem()
    if problem is not None:
        raise FootageError(f"cannot transcribe: {problem}")
    decoded = read_audio(path)
    if decoded is None or decoded.samples.shape[1] == 0:
        notes = [NO_AUDIO] if decoded is None else list(decoded.notes)
        return Transcript(model=MODEL_NAME, language="en", words=[]), [], notes
    mono = decoded.mono
    spans = speech_spans(mono, SAMPLE_RATE)
    return transcribe(mono, [s for s in spans if s.speech]), spans, list(decoded.notes)
