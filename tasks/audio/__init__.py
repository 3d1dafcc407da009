"""What a clip sounds like: speech with word timings, speech spans, beats, loudness.

The audio is decoded in the footage pass itself (``tasks.footage.sample_frames`` demuxes it
with the video: one read of the file) and resampled to 16 kHz; ``analyse_audio`` then
transcribes it (Whisper tiny.en through faster-whisper, only where Silero VAD hears a voice),
tracks beats and onsets (librosa's algorithms) and measures loudness (pyloudnorm, BS.1770).
Results go into the sample manifest per clip (``ClipAudio``) and per scene (``SceneAudio``,
whose ``to_text`` the scene analysis reads). ``subtitles`` turns a transcript into SRT or
WebVTT cues, carried through an edit by ``retime``.

Modules: ``model`` (the types), ``decode`` (packets to samples), ``speech`` (VAD, Whisper),
``rhythm`` (beats, onsets, tempo), ``levels`` (loudness, peak), ``analyse`` (the entry
points) and ``subtitles``. Nothing is fetched at run time: a missing model package skips its
feature with a note.
"""

from tasks.audio.analyse import NO_AUDIO, analyse_audio, scene_audio, transcribe_clip
from tasks.audio.decode import SAMPLE_RATE, AudioCollector, DecodedAudio, read_audio
from tasks.audio.model import (
    AudioStream,
    ClipAudio,
    Loudness,
    Rhythm,
    SceneAudio,
    Span,
    Transcript,
    Word,
)
from tasks.audio.subtitles import Cue, Piece, cues, retime, to_srt, to_vtt

__all__ = [
    "NO_AUDIO",
    "SAMPLE_RATE",
    "AudioCollector",
    "AudioStream",
    "ClipAudio",
    "Cue",
    "DecodedAudio",
    "Loudness",
    "Piece",
    "Rhythm",
    "SceneAudio",
    "Span",
    "Transcript",
    "Word",
    "analyse_audio",
    "cues",
    "read_audio",
    "retime",
    "scene_audio",
    "to_srt",
    "to_vtt",
    "transcribe_clip",
]
