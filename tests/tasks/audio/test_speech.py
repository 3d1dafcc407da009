"""Speech with known words at known times: recognised (WER) and placed (word timings)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from tasks.audio import read_audio, transcribe_clip
from tasks.audio.speech import whisper_problem
from tests.tasks.audio.conftest import SPEECH_S
from tests.tasks.audio.media import Phrase

MAX_WER = 0.2
PHRASE_WER = 0.25
# Whisper's word timestamps come from cross-attention: good to about a fifth of a second.
TIMING_TOLERANCE = 0.35


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]+", " ", text.lower()).split()


def wer(reference: list[str], hypothesis: list[str]) -> float:
    """Word error rate: word-level edit distance over the reference's length."""
    rows = [list(range(len(hypothesis) + 1))]
    for i, ref in enumerate(reference, start=1):
        row = [i]
        for j, hyp in enumerate(hypothesis, start=1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ref != hyp)))
        rows.append(row)
    return rows[-1][-1] / max(1, len(reference))


def test_wer_counts_edits() -> None:
    assert wer(["a", "b", "c"], ["a", "b", "c"]) == 0
    assert wer(["a", "b", "c"], ["a", "x", "c", "d"]) == pytest.approx(2 / 3)


@pytest.fixture(autouse=True)
def _needs_whisper() -> None:
    problem = whisper_problem()
    assert problem is None, f"scripts/install provides the Whisper model: {problem}"


def test_espeak_phrases_are_transcribed_at_their_times(
    speech_clip: tuple[Path, list[Phrase]],
) -> None:
    clip, phrases = speech_clip

    transcript, spans, notes = transcribe_clip(clip)

    assert notes == []
    reference = [w for p in phrases for w in _words(p.text)]
    hypothesis = [w for word in transcript.words for w in _words(word.text)]
    assert wer(reference, hypothesis) <= MAX_WER, (reference, hypothesis)
    for phrase in phrases:
        said = transcript.between(phrase.start - TIMING_TOLERANCE, phrase.end + TIMING_TOLERANCE)
        assert wer(_words(phrase.text), [w for s in said for w in _words(s.text)]) <= PHRASE_WER
        # The phrase's first word starts where its audio starts, the last ends where it ends.
        assert said[0].start == pytest.approx(phrase.start, abs=TIMING_TOLERANCE)
        assert said[-1].end == pytest.approx(phrase.end, abs=TIMING_TOLERANCE)
        assert all(a.end <= b.start + 0.01 for a, b in itertools.pairwise(said))
    # Voice activity: each phrase lies inside a speech span, the gap between them is not speech.
    for phrase in phrases:
        middle = (phrase.start + phrase.end) / 2
        assert any(s.speech and s.start <= middle < s.end for s in spans)
    for before, after in itertools.pairwise(phrases):
        gap = (before.end + after.start) / 2
        assert not any(s.speech and s.start <= gap < s.end for s in spans)
    assert spans[0].start == 0 and spans[-1].end == pytest.approx(SPEECH_S, abs=0.05)


def test_audio_is_decoded_at_16k_on_the_video_clock(
    speech_clip: tuple[Path, list[Phrase]],
) -> None:
    clip, phrases = speech_clip

    decoded = read_audio(clip)

    assert decoded is not None
    assert decoded.stream.codec == "aac" and decoded.stream.sample_rate == 44_100
    assert decoded.duration_s == pytest.approx(SPEECH_S, abs=0.1)
    mono = decoded.mono
    loud = [i / 16_000 for i in range(0, mono.size, 160) if abs(mono[i : i + 160]).max() > 0.02]
    # AAC's encoder delay is stripped by the decoder's timestamps: speech starts on time.
    assert loud[0] == pytest.approx(phrases[0].start, abs=0.03)
