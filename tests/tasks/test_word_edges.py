"""Cut points that keep a word's onset whole on the frame grid, planned and then rendered.

Holdout7 case 8 ("2s-5s and 7s-10s, joined with a crossfade ... no cut in the middle of a
word"): the trailer's "based" starts at 6.98 s; the in point asked at 7.0 s went onto the
24 fps grid at 7.007 s, 27 ms into the word, inside the old two-sided 30 ms allowance, and the
verifier read it 61 ms in.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tasks._word_edges import EDGE_S, out_of_word
from tasks.audio import SAMPLE_RATE, ClipAudio, Transcript, Word, read_audio
from tasks.brief import parse_request
from tasks.plan_edit import plan_edit
from tasks.plan_sound import fit_to_sound, with_speech_default
from tasks.shots import Shot
from tests.tasks.audio.media import RATE
from tests.tasks.sound_clips import FPS, render_edl, write

_REQUEST = "use 0:02-0:05 and 0:07-0:10{}, never cut mid-word"
_WORD_S = 0.2


def _heard(words: list[Word]) -> ClipAudio:
    transcript = Transcript(model="test", language="en", words=words)
    return ClipAudio(
        stream=None, transcript=transcript, spans=[], rhythm=None, loudness=None, notes=[]
    )


def _speech(shift: float, seconds: float = 12.0) -> list[Word]:
    """Words back to back, ``_WORD_S`` each, the first starting at ``shift``: any point off
    their edges splits one."""
    count = int((seconds - shift) / _WORD_S)
    return [
        Word(text=f"w{k}", start=round(shift + k * _WORD_S, 6),
             end=round(shift + (k + 1) * _WORD_S, 6), probability=0.9)
        for k in range(count)
    ]  # fmt: skip


def _shots() -> list[Shot]:
    return [
        Shot(index=i + 1, start_s=i * 4.0, end_s=(i + 1) * 4.0, luma=100, motion=5,
             colourfulness=50, peak_s=i * 4.0 + 2.0)
        for i in range(3)
    ]  # fmt: skip


def _onset_clipped(t: float, words: list[Word], frame: float = EDGE_S) -> Word | None:
    """The word a point falls past the start of and more than a frame before the end of."""
    return next((w for w in words if w.start + 1e-6 < t < w.end - max(EDGE_S, frame)), None)


@pytest.mark.parametrize("join", ["", " joined with a crossfade"], ids=["cut", "crossfade"])
@pytest.mark.parametrize("fps", [2997 / 125, 25.0, 30.0])
def test_no_in_point_on_the_frame_grid_clips_a_words_onset(fps: float, join: str) -> None:
    """Ranges asked from a word's start (and from a few ms either side of one): every in
    point, on the frame grid, falls at or before a word's start or within a frame of its end.
    The old allowance took a point up to 30 ms past a start as on it. (Out points keep 30 ms
    before an end, less than a frame: these evenly spaced words can leave them no point.)"""
    clipped = []
    for shift in (k / 1000 for k in range(-20, 21, 2)):
        words = _speech(shift % _WORD_S)
        heard = _heard(words)
        brief = with_speech_default(parse_request(_REQUEST.format(join)), [heard])
        plan = plan_edit(brief, _shots(), [12.0])
        fitted = fit_to_sound(plan, brief, [heard], [fps], [12.0], _shots())
        for seg in fitted.edl.segments:
            assert 2.0 - 1e-6 <= seg.start < seg.end <= 10.0 + 1e-6  # within the asked ranges
            if _onset_clipped(seg.start, words, 1 / fps):
                clipped.append((shift, seg.start))
            # An in point is on the source's frame grid (an out point may be half a frame off).
            assert abs(seg.start * fps - round(seg.start * fps)) < 1e-3, seg.start
    assert clipped == [], clipped


def test_leaving_a_word_steps_past_the_next_one_it_lands_in() -> None:
    """A piece at double speed steps its out point by two source frames (83 ms at 24 fps),
    more than the allowance before a word's end: the step out of one word can land 3 ms into
    the next, and goes on out of that one too."""
    words = [
        Word(text=f"w{k}", start=2.0 + k * 0.2, end=2.2 + k * 0.2, probability=0.9)
        for k in range(4)
    ]
    step = 2 * 125 / 2997
    moved = out_of_word(2.32, words, step, (2.25, 3.0), True)  # no way back: the piece's start
    assert moved == pytest.approx(2.32 + 3 * step, abs=1e-6)
    assert _onset_clipped(moved, words, 0.045) is None
    # With room behind, the nearer way out is back: to the last step at or before the start.
    assert out_of_word(2.25, words, step, (1.0, 3.0), True) == pytest.approx(2.25 - step, abs=1e-6)


def _noise_words(seconds: float) -> tuple[np.ndarray, list[Word]]:
    """Noise, labelled as back-to-back 0.2 s words from 0.19 s: a word starts at 6.99 s."""
    rng = np.random.default_rng(7)
    sound = (0.3 * rng.standard_normal(round(seconds * RATE))).astype(np.float32)
    return sound, _speech(0.19, seconds)


def test_a_rendered_in_point_plays_its_words_onset(tmp_path: Path) -> None:
    """Rendered at 24 fps and decoded: the sound heard after the cut into the range from 7 s
    keeps whole the onset of the word there (it starts at 6.99 s, before the range: the old
    allowance kept 7.0 s, on the grid, and the render played the word from 10 ms in)."""
    from tasks.verify_edit._sync import heard_at

    sound, words = _noise_words(12.0)
    source = write(tmp_path / "words.mp4", 12.0, sound)
    heard = _heard(words)
    brief = with_speech_default(parse_request(_REQUEST.format("")), [heard])
    plan = plan_edit(brief, _shots(), [12.0])
    fitted = fit_to_sound(plan, brief, [heard], [float(FPS)], [12.0], _shots())
    first, second = fitted.edl.segments
    render = render_edl(fitted.edl, source, tmp_path / "render.mp4")
    played, original = read_audio(render), read_audio(source)
    assert played is not None and original is not None
    cut = first.end - first.start
    found = heard_at(played.mono, original.mono, SAMPLE_RATE, cut + 0.05, second.start + 0.05)
    assert found is not None
    start = found[1] - 0.05  # the source time heard at the cut
    assert abs(start - second.start) < 2e-3, (start, second.start)  # the render cuts there
    assert _onset_clipped(start, words) is None, (start, second.start)
