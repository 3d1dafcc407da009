"""Issue 14, item 4: ``subtitles:`` writes SRT/VTT timed through the edit, or burns them in.

The source is three 4-second shots, each with one espeak-ng phrase; the brief asks for the
shots in reverse order, so the output's words are not where the source has them. The cue
times are checked against the output's own decoded sound (where speech is loud), and the
burned-in words are read back from the render by OCR. The model is the scripted fake server.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from tests.flows.conftest import FakeRoles, write_job

# Whole sentences: Whisper tiny hears them reliably (two-word phrases come back garbled).
PHRASES = [
    ("good morning everyone and welcome", 0.4),
    ("the weather today is sunny and warm", 4.4),
    ("please call me back tomorrow", 8.4),
]
SHOT_S = 4.0
SOURCE_S = 12.0
TOLERANCE_S = 0.35  # Whisper's word edges on synthetic speech, plus a frame


def _clip(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from tests.tasks import sound_clips
    from tests.tasks.audio.media import speech_track

    track, _ = speech_track(PHRASES, SOURCE_S, folder)
    monkeypatch.setattr(sound_clips, "SIZE", (384, 216))  # big enough to read a subtitle
    monkeypatch.setattr(sound_clips, "SHOT_S", SHOT_S)  # one sentence per shot
    return sound_clips.write(folder / "spoken.mp4", SOURCE_S, track)


def _speech_runs(video: Path) -> list[tuple[float, float]]:
    """Where the output is loud (speech: the source is silent between phrases), seconds."""
    from tasks.audio.decode import SAMPLE_RATE, read_audio

    decoded = read_audio(video)
    assert decoded is not None
    hop = SAMPLE_RATE // 100
    mono = decoded.mono
    energy = np.array([np.abs(mono[i : i + hop]).max() for i in range(0, len(mono), hop)])
    loud = energy > 0.02
    runs: list[tuple[float, float]] = []
    for i, on in enumerate(loud):
        t = i / 100
        if on and runs and t - runs[-1][1] <= 0.3:
            runs[-1] = (runs[-1][0], t + 0.01)
        elif on:
            runs.append((t, t + 0.01))
    return runs


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def test_srt_and_vtt_follow_the_edit_and_burn_is_read_back(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    import srt
    import webvtt

    from flows.creative_job import run_job
    from tasks.ocr import ocr_available
    from tasks.probe import probe

    clip = _clip(tmp_path, monkeypatch)
    request = "A 9 second teaser with the shots in reverse order."
    job = write_job(tmp_path, clip=clip, request=request, subtitles="both",
                    generate_edit={"mode": "plan", "revisions": 0})  # fmt: skip
    summary = run_job(job)

    video = Path(summary["output_video"])
    subs = list(srt.parse(video.with_suffix(".srt").read_text(encoding="utf-8")))
    vtt = webvtt.read(str(video.with_suffix(".vtt"))).captions
    assert subs and [c.text for c in vtt] == [s.content for s in subs]
    spoken = set().union(*(_words(text) for text, _ in PHRASES))
    heard = [_words(s.content) for s in subs]
    assert sum(len(w & spoken) for w in heard) >= sum(len(w) for w in heard) / 2, heard
    # Reversed: each cue's phrase (the one sharing most words) comes before the source's earlier.
    phrase = [max(range(len(PHRASES)), key=lambda i: len(w & _words(PHRASES[i][0]))) for w in heard]
    assert phrase == sorted(phrase, reverse=True) and len(set(phrase)) >= 2, (phrase, heard)
    runs = _speech_runs(video)
    for cue in subs:
        start, end = cue.start.total_seconds(), cue.end.total_seconds()
        run = min(runs, key=lambda r: abs(r[0] - start))
        assert abs(run[0] - start) <= TOLERANCE_S or run[0] - TOLERANCE_S <= start <= run[1], (
            cue, runs)  # fmt: skip
        assert end <= run[1] + TOLERANCE_S, (cue, runs)
    assert probe(video).duration >= subs[-1].end.total_seconds()

    if not ocr_available():
        pytest.skip("RapidOCR is not installed: the burned-in text cannot be read back")
    plain, plain_s = video.read_bytes(), probe(video).duration
    burned = run_job(write_job(tmp_path, clip=clip, request=request, subtitles="burn",
                               generate_edit={"mode": "plan", "revisions": 0}))  # fmt: skip
    assert burned["llm_calls"] == 0  # every step cached: only the burn is new
    assert video.read_bytes() != plain
    assert abs(probe(video).duration - plain_s) < 0.1
    read = [_ocr_at(video, (c.start.total_seconds() + c.end.total_seconds()) / 2) for c in subs]
    for cue, seen in zip(subs, read, strict=True):
        assert _words(cue.content) & _words(" ".join(seen)), (cue.content, seen)
    # Between cues (silence) nothing is drawn.
    for before, after in pairwise(subs):
        if (after.start - before.end).total_seconds() > 0.4:
            t = (before.end + after.start).total_seconds() / 2
            assert not _words(" ".join(_ocr_at(video, t))) & spoken, t


def _ocr_at(video: Path, t: float) -> list[str]:
    """OCR of the bottom third of the frame shown at ``t`` seconds."""
    import av

    from tasks.ocr import read_text

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= t:
                picture = frame.to_ndarray(format="rgb24")
                return read_text(np.ascontiguousarray(picture[picture.shape[0] * 2 // 3 :]))
    return []


def test_a_coders_script_or_a_muted_edit_gets_a_note_not_guessed_subtitles(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from flows._finish import _subtitles
    from flows.spec import JobSpec
    from sandbox.edl import EditDecisionList, Segment

    video = tmp_path / "out.mp4"
    video.write_bytes(b"")
    spec = JobSpec(name="n", request="r", footage=[video], output_dir=tmp_path, subtitles="both")
    script = SimpleNamespace(outcome=SimpleNamespace(edl=None), route="script")
    written, notes = _subtitles(spec, [], script, video)
    assert written == [] and len(notes) == 1
    assert notes[0].startswith("subtitles: not written (the script route's script has no")
    muted = EditDecisionList(segments=[Segment(start=0, end=1)], audio="mute").model_dump()
    edl = SimpleNamespace(outcome=SimpleNamespace(edl=muted), route="edl")
    assert _subtitles(spec, [], edl, video) == ([], ["subtitles: not written (the edit is muted)"])
    assert not list(tmp_path.glob("out.*t"))  # no .srt, no .vtt
