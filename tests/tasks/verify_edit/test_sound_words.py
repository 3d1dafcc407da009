"""The mid-word check on real renders: a cut through a spoken word, and one between words.

The source speaks two espeak-ng phrases with a pause between them, over pictures that differ
in every frame (so the verifier's frame mapping finds the join). Both edits are rendered by
the sandbox and the verifier decodes the renders; the source is transcribed by Whisper, as
in a job. Where each cut falls is checked on the source's own samples too: speech under the
mid-word cut, silence around the clean one, so the test does not lean on Whisper alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tasks.audio import SAMPLE_RATE, Word, read_audio, transcribe_clip
from tasks.audio.speech import whisper_problem
from tasks.brief import parse_request
from tasks.measure_shots import measure_shots
from tasks.render import render
from tasks.verify_edit import verify_edit
from tests.tasks.audio.media import speech_track
from tests.tasks.sound_clips import FPS, write

SECONDS = 10.0
FIRST = ("good morning everyone and welcome to the studio", 0.5)
SECOND = ("the weather today is sunny and warm", 6.8)
# The clean edit's cut: out of the pause after the first phrase, into the pause before the
# second (Whisper stretches a span's edge words up to 0.5 s into a pause).
PAUSE_OUT, PAUSE_IN = 4.6, 5.6
REQUEST = "an 8 second edit, never cut mid-word"


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Word]]:
    """The source and its transcript's words (Whisper, as the checker hears them)."""
    problem = whisper_problem()
    assert problem is None, f"scripts/install provides the Whisper model: {problem}"
    folder = tmp_path_factory.mktemp("spoken")
    track, placed = speech_track([FIRST, SECOND], SECONDS, folder)
    assert placed[0].end + 0.9 < PAUSE_OUT < PAUSE_IN < placed[1].start - 0.9, placed
    source = write(folder / "spoken.mp4", SECONDS, track)
    source.chmod(0o644)  # the sandbox reads inputs as another user
    return source, list(transcribe_clip(source)[0].words)


def _edit(first_end: float) -> str:
    return (
        "from moviepy import concatenate_videoclips\n\n\n"
        "def edit(source):\n"
        f"    pieces = [source.subclipped(0.25, {first_end}), source.subclipped({PAUSE_IN}, 9.5)]\n"
        "    return concatenate_videoclips(pieces)\n"
    )


def _loudness(source: Path, at: float) -> float:
    """RMS of the source's sound within 30 ms of ``at``."""
    decoded = read_audio(source)
    assert decoded is not None
    window = decoded.mono[round((at - 0.03) * SAMPLE_RATE) : round((at + 0.03) * SAMPLE_RATE)]
    return float(np.sqrt(np.mean(window.astype(np.float64) ** 2)))


def _words_check(render_path: Path, source: Path) -> tuple[bool | None, str]:
    brief = parse_request(REQUEST)
    checks = verify_edit(render_path, [source], brief, measure_shots(source))
    words = next(c for c in checks if c.criterion.id == "words")
    assert words.measured.startswith("1 cuts and"), words.measured  # the join was found
    return words.passed, words.measured


def test_a_cut_between_words_passes(spoken: tuple[Path, list[Word]], tmp_path: Path) -> None:
    source, _ = spoken
    assert _loudness(source, PAUSE_OUT) < 1e-3 and _loudness(source, PAUSE_IN) < 1e-3
    result = render(_edit(PAUSE_OUT), [source], tmp_path / "between.mp4")
    passed, measured = _words_check(result.output, source)
    assert passed is True, measured
    assert measured == "1 cuts and the edit's ends; none inside a word"


def test_a_cut_through_a_word_fails_naming_it(
    spoken: tuple[Path, list[Word]], tmp_path: Path
) -> None:
    source, words = spoken
    # The longest word of the first phrase, cut at the frame nearest its middle.
    first = [w for w in words if w.end < PAUSE_OUT]
    word = max(first, key=lambda w: w.end - w.start)
    assert word.end - word.start >= 0.3, first
    middle = round((word.start + word.end) / 2 * FPS) / FPS
    assert _loudness(source, middle) > 0.02, "the cut must fall in sound, not in a pause"
    result = render(_edit(round(middle, 4)), [source], tmp_path / "through.mp4")
    passed, measured = _words_check(result.output, source)
    assert passed is False, measured
    assert f'splits "{word.text}"' in measured and "out point" in measured, measured
    assert "in point" not in measured, measured


def test_an_edit_that_starts_inside_a_word_fails_naming_it(
    spoken: tuple[Path, list[Word]], tmp_path: Path
) -> None:
    """No cut at all, but the edit's first in point is a cut of the source too."""
    source, words = spoken
    word = max((w for w in words if w.end < PAUSE_OUT), key=lambda w: w.end - w.start)
    middle = round((word.start + word.end) / 2 * FPS) / FPS
    assert _loudness(source, middle) > 0.02, "the start must fall in sound, not in a pause"
    edit = f"def edit(source):\n    return source.subclipped({middle:.4f}, {PAUSE_OUT})\n"
    result = render(edit, [source], tmp_path / "starts-inside.mp4")
    checks = verify_edit(result.output, [source], parse_request(REQUEST), measure_shots(source))
    words_check = next(c for c in checks if c.criterion.id == "words")
    assert words_check.passed is False, words_check.measured
    assert f'in point {middle:.2f} s of clip 1 splits "{word.text}"' in words_check.measured


def test_an_in_point_on_the_shots_own_black_opening(tmp_path: Path) -> None:
    """Cut in where a word starts, on frames of black: the sound places the in point."""
    problem = whisper_problem()
    assert problem is None, f"scripts/install provides the Whisper model: {problem}"
    track, _ = speech_track([FIRST, ("wonderful weather today", 6.8)], SECONDS, tmp_path)
    plain = write(tmp_path / "plain.mp4", SECONDS, track)
    word = next(w for w in transcribe_clip(plain)[0].words if w.start > PAUSE_IN)
    cut_in = int(word.start * FPS) / FPS  # on the frame grid, at or before the word
    # Black from the cut for a quarter second: no frame mapping can place those frames.
    dark = 0.25
    assert word.end - word.start > dark + 0.1, word  # a later in point would split it
    source = write(tmp_path / "dark.mp4", SECONDS, track, black=(cut_in, cut_in + dark))
    source.chmod(0o644)
    edit = (
        "from moviepy import concatenate_videoclips\n\n\n"
        "def edit(source):\n"
        f"    pieces = [source.subclipped(0.25, {PAUSE_OUT}), "
        f"source.subclipped({cut_in}, 9.5)]\n"
        "    return concatenate_videoclips(pieces)\n"
    )
    result = render(edit, [source], tmp_path / "black-in.mp4")
    passed, measured = _words_check(result.output, source)
    assert passed is True, measured
