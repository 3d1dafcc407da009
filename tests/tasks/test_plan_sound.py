"""Edits that respect sound: beat cuts and whole words planned, then verified on the render."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tasks.audio import SAMPLE_RATE, ClipAudio, Rhythm, Transcript, Word, read_audio
from tasks.audio.rhythm import rhythm
from tasks.brief import Brief, DurationAsk, ShotPick, SoundAsk, SourceUse, parse_request
from tasks.measure_shots import measure_shots
from tasks.plan_edit import EditPlan, plan_edit
from tasks.plan_sound import fit_to_sound, inside_word, with_speech_default
from tasks.shots import Shot
from tasks.verify_edit import verify_edit
from tests.tasks.audio.media import click_track
from tests.tasks.sound_clips import FPS, render_edl, write

SECONDS = 15.0
MEGAMIND_FPS = 2997 / 125


@pytest.fixture(scope="module")
def megamind_heard() -> tuple[ClipAudio, list[Shot], float]:
    """The trailer's sound as the job hears it (beats, Whisper's words), its shots, its length."""
    from tasks.audio.analyse import analyse_audio
    from tasks.audio.speech import whisper_problem
    from tests.conftest import MEGAMIND

    if not MEGAMIND.exists():
        pytest.skip(f"shared footage missing: {MEGAMIND}")
    problem = whisper_problem()
    assert problem is None, f"scripts/install provides the Whisper model: {problem}"
    decoded = read_audio(MEGAMIND)
    assert decoded is not None
    shots = measure_shots(MEGAMIND)
    return analyse_audio(decoded)[0], shots, shots[-1].end_s


def _render(plan: EditPlan, source: Path, video: Path) -> Path:
    """``plan`` compiled and rendered in the sandbox, as the job renders it."""
    from sandbox.edl import compile_edl
    from sandbox.runner import run_script

    out = run_script(compile_edl(plan.edl), [source], video)
    assert out.ok, out.reason
    return video


def _heard(rhythm_: Rhythm | None = None, words: list[Word] | None = None) -> ClipAudio:
    transcript = Transcript(model="test", language="en", words=words or [])
    return ClipAudio(
        stream=None, transcript=transcript, spans=[], rhythm=rhythm_, loudness=None, notes=[]
    )


def test_parse_reads_sound_asks() -> None:
    brief = parse_request("a 7 second montage cut to the beat at -16 LUFS, never cut mid-word")
    assert brief.sound is not None
    assert (brief.sound.beats, brief.sound.whole_words, brief.sound.loudness_lufs) == (
        True,
        True,
        -16.0,
    )
    assert [c.id for c in brief.criteria()][-3:] == ["beats", "words", "loudness"]
    assert parse_request("normalise the loudness").sound.loudness_lufs == -14.0  # type: ignore[union-attr]
    assert parse_request("a 5 second edit").sound is None


def test_speech_moves_cuts_out_of_words_without_a_criterion() -> None:
    brief = parse_request("a 5 second edit")
    said = _heard(words=[Word(text="hi", start=1.0, end=1.4, probability=0.9)])
    spoken = with_speech_default(brief, [said])
    assert spoken.sound is not None and spoken.sound.avoid_words
    assert spoken.criteria() == brief.criteria()  # no Whisper pass over the render
    assert with_speech_default(brief, [_heard(), None]) == brief


def test_points_leave_words_and_keep_the_length() -> None:
    # Words fill the source back to back with short gaps: any unplanned point is likely inside.
    words = [
        Word(text=f"w{i}", start=0.5 + i * 0.5, end=0.5 + i * 0.5 + 0.42, probability=0.9)
        for i in range(40)
    ]
    brief = with_speech_default(parse_request("a 6 second edit"), [_heard(words=words)])
    from tasks.shots import Shot

    shots = [
        Shot(
            index=i + 1,
            start_s=i * 4.0,
            end_s=(i + 1) * 4.0,
            luma=100,
            motion=5,
            colourfulness=50,
            peak_s=i * 4.0 + 2.1,
        )
        for i in range(5)
    ]
    plan = plan_edit(brief, shots, [20.0])
    inside = [
        t for s in plan.edl.segments for t in (s.start, s.end) if inside_word(t, words) is not None
    ]
    assert inside, "the test needs a plan that cuts through words"
    fitted = fit_to_sound(plan, brief, [_heard(words=words)], [FPS], [20.0])
    for seg in fitted.edl.segments:
        assert inside_word(seg.start, words, 0.05) is None
        assert inside_word(seg.end, words, 0.05) is None
    assert abs(fitted.expected_duration_s - 6.0) <= 0.3


@pytest.mark.parametrize(
    "request_",
    ["Keep it short, no more than four seconds", "4 s max, please", "under 4 seconds"],
)
def test_the_last_cut_leaving_a_word_keeps_an_asked_maximum(request_: str) -> None:
    shots = [
        Shot(index=i + 1, start_s=i * 4.0, end_s=(i + 1) * 4.0, luma=100, motion=5,
             colourfulness=50, peak_s=i * 4.0 + 2.1)
        for i in range(5)
    ]  # fmt: skip
    parsed = parse_request(request_)
    assert parsed.duration is not None and parsed.duration.max_s == 4.0
    end = plan_edit(parsed, shots, [20.0]).edl.segments[-1].end
    # The edit's end falls in a long word that ends just after it: leaving the word by its
    # end would run the edit past the 4 s asked.
    words = [Word(text="loooong", start=end - 0.6, end=end + 0.15, probability=0.9)]
    brief = with_speech_default(parsed, [_heard(words=words)])
    plan = plan_edit(brief, shots, [20.0])
    assert inside_word(plan.edl.segments[-1].end, words) is not None
    fitted = fit_to_sound(plan, brief, [_heard(words=words)], [FPS], [20.0])
    assert fitted.expected_duration_s <= 4.0 - 0.1 + 1e-6


def _talky_beats() -> tuple[list[Shot], list[float], list[Word]]:
    """Shots, a beat every 0.5 s and speech with every beat inside a word (no pause on a beat)."""
    beats = [0.25 + 0.5 * k for k in range(40)]
    words = [Word(text=f"w{i}", start=0.05 + i * 0.5, end=0.45 + i * 0.5, probability=0.9)
             for i in range(40)]  # fmt: skip
    shots = [
        Shot(index=i + 1, start_s=i * 4.0, end_s=(i + 1) * 4.0, luma=100, motion=5,
             colourfulness=50, peak_s=i * 4.0 + 2.1)
        for i in range(5)
    ]  # fmt: skip
    return shots, beats, words


def test_asked_beats_win_over_the_speech_default() -> None:
    shots, beats, words = _talky_beats()
    heard = _heard(Rhythm(tempo_bpm=120.0, beats=beats, onsets=[]), words)
    brief = with_speech_default(parse_request("a 6 second edit cut to the beat"), [heard])
    assert brief.sound is not None and brief.sound.avoid_words and not brief.sound.whole_words
    fitted = fit_to_sound(plan_edit(brief, shots, [20.0]), brief, [heard], [FPS], [20.0])
    inner = [
        *(s.start for s in fitted.edl.segments[1:]),
        *(s.end for s in fitted.edl.segments[:-1]),
    ]
    assert inner
    # On a beat: in points half a frame before one, out points on the grid next to one.
    assert all(min(abs(t - b) for b in beats) <= 1.0 / FPS for t in inner), inner


def test_asked_whole_words_win_over_beats() -> None:
    shots, beats, words = _talky_beats()
    heard = _heard(Rhythm(tempo_bpm=120.0, beats=beats, onsets=[]), words)
    brief = parse_request("a 6 second edit cut to the beat, never cut mid-word")
    fitted = fit_to_sound(plan_edit(brief, shots, [20.0]), brief, [heard], [FPS], [20.0])
    for seg in fitted.edl.segments:
        assert inside_word(seg.start, words, 0.05) is None
        assert inside_word(seg.end, words, 0.05) is None


@pytest.fixture(scope="module")
def beat_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    track, _ = click_track(100, SECONDS)
    return write(tmp_path_factory.mktemp("beats") / "src.mp4", SECONDS, track)


def test_beat_cut_edit_has_every_cut_within_a_frame_of_a_beat(
    beat_source: Path, tmp_path: Path
) -> None:
    shots = measure_shots(beat_source)
    decoded = read_audio(beat_source)
    assert decoded is not None
    heard = _heard(rhythm(decoded.mono, SAMPLE_RATE))
    brief = parse_request("a 7 second montage cut to the beat")
    plan = plan_edit(brief, shots, [SECONDS])
    fitted = fit_to_sound(plan, brief, [heard], [FPS], [SECONDS])
    on_beat = {c.criterion.id: c for c in verify_edit(
        render_edl(fitted.edl, beat_source, tmp_path / "beat.mp4"), [beat_source], brief, shots
    )}  # fmt: skip
    assert on_beat["beats"].passed, on_beat["beats"].measured
    assert on_beat["duration"].passed, on_beat["duration"].measured
    # The same edit as planned, unsnapped: the verifier must see cuts off the beat.
    off = {c.criterion.id: c for c in verify_edit(
        render_edl(plan.edl, beat_source, tmp_path / "plain.mp4"), [beat_source], brief, shots
    )}  # fmt: skip
    assert off["beats"].passed is False, off["beats"].measured


def test_loudness_is_normalised_and_measured(tmp_path: Path) -> None:
    from tasks.audio.normalise import measure_lufs, normalise_loudness

    rng = np.random.default_rng(3)
    t = np.arange(6 * 44_100) / 44_100
    quiet = (0.02 * np.sin(2 * np.pi * 220 * t) + 0.01 * rng.standard_normal(t.size)).astype(
        np.float32
    )
    clip = write(tmp_path / "quiet.mp4", 6.0, quiet)
    before, _ = measure_lufs(clip)
    assert before is not None and before < -25
    done = normalise_loudness(clip, -14.0)
    after, peak = measure_lufs(clip)
    assert after is not None and abs(after + 14.0) <= 1.0, done
    assert peak is not None and peak <= 0.0
    brief = parse_request("a 6 second edit at -14 LUFS")
    shots = measure_shots(clip)
    checks = {c.criterion.id: c for c in verify_edit(clip, [clip], brief, shots)}
    assert checks["loudness"].passed, checks["loudness"].measured
    brief = parse_request("a 6 second edit at -23 LUFS")
    checks = {c.criterion.id: c for c in verify_edit(clip, [clip], brief, shots)}
    assert checks["loudness"].passed is False


def test_megamind_beat_cut_edit_puts_every_cut_within_a_frame_of_a_beat(
    megamind: Path, tmp_path: Path
) -> None:
    source = megamind
    decoded = read_audio(source)
    assert decoded is not None
    found = rhythm(decoded.mono, SAMPLE_RATE)
    assert len(found.beats) >= 10, found
    shots = measure_shots(source)
    length = float(decoded.samples.shape[1]) / SAMPLE_RATE
    brief = parse_request("a 6 second montage cut to the beat")
    plan = plan_edit(brief, shots, [length])
    fitted = fit_to_sound(plan, brief, [_heard(found)], [MEGAMIND_FPS], [length])
    assert len(fitted.edl.segments) >= 3
    render = render_edl(fitted.edl, source, tmp_path / "megamind.mp4")
    checks = {c.criterion.id: c for c in verify_edit(render, [source], brief, shots)}
    assert checks["beats"].passed, checks["beats"].measured
    assert checks["beats"].measured.startswith(f"{len(fitted.edl.segments) - 1}/")
    assert checks["duration"].passed, checks["duration"].measured


@pytest.mark.parametrize("fps", [2997 / 125, 25.0, 30.0])
def test_points_at_a_words_edge_stay_out_of_it_on_the_frame_grid(fps: float) -> None:
    """A point chosen at a word's edge (or kept within the edge allowed) is then put on the
    frame grid and half a frame off an output frame: up to a frame further, into the word
    (holdout5 case 1: out point 3.864 s, 24 ms into "outside", rendered at 3.879 s). Words
    start at every planned out point but the last, shifted by -35..35 ms in 1 ms steps."""
    shots = [
        Shot(index=i + 1, start_s=i * 4.0, end_s=(i + 1) * 4.0, luma=100, motion=5,
             colourfulness=50, peak_s=i * 4.0 + 2.1)
        for i in range(5)
    ]  # fmt: skip
    parsed = parse_request("a 6 second edit")
    planned = plan_edit(parsed, shots, [20.0]).edl.segments
    split = []
    for shift in (k / 1000 for k in range(-35, 36)):
        words = [
            Word(text=f"w{k}", start=seg.end + shift, end=seg.end + shift + 0.6, probability=0.9)
            for k, seg in enumerate(planned[:-1])
        ]
        heard = _heard(words=words)
        brief = with_speech_default(parsed, [heard])
        fitted = fit_to_sound(plan_edit(brief, shots, [20.0]), brief, [heard], [fps], [20.0])
        points = [t for seg in fitted.edl.segments for t in (seg.start, seg.end)]
        split += [(shift, t) for t in points if inside_word(t, words) is not None]
        assert abs(fitted.expected_duration_s - 6.0) <= 0.3
    assert split == [], split


@pytest.mark.parametrize(
    "request_", ["Seven seconds of the trailer", "Ten seconds from the trailer"], ids=["7s", "10s"]
)
def test_megamind_default_word_avoidance_splits_no_word_on_the_render(
    request_: str,
    megamind: Path,
    megamind_heard: tuple[ClipAudio, list[Shot], float],
    tmp_path: Path,
) -> None:
    """Holdout5 cases 1 and 13 end to end: the trailer planned with the speech default (its
    transcript by Whisper), rendered, and checked for cuts inside words. 7 s: an out point
    put on the frame grid went 39 ms into "outside". 10 s: an out point 0.6 ms before "by"
    read as a frame into it, its time taken from the picture, which MoviePy shows a frame
    ahead of the sound for this AVI (its first frame is stamped a frame late)."""
    heard, shots, length = megamind_heard
    brief = with_speech_default(parse_request(request_), [heard])
    assert brief.sound is not None and brief.sound.avoid_words
    plan = fit_to_sound(plan_edit(brief, shots, [length]), brief, [heard], [MEGAMIND_FPS], [length])
    video = _render(plan, megamind, tmp_path / "words.mp4")
    asked = Brief(sound=SoundAsk(whole_words=True))
    (words,) = [
        c for c in verify_edit(video, [megamind], asked, shots) if c.criterion.id == "words"
    ]
    assert words.passed, words.measured


def _late_peaks() -> list[Shot]:
    """Five 4 s shots, each most dynamic near its end: planned segments end on the cuts."""
    return [
        Shot(index=i + 1, start_s=i * 4.0, end_s=(i + 1) * 4.0, luma=100, motion=5,
             colourfulness=50, peak_s=i * 4.0 + 3.7)
        for i in range(5)
    ]  # fmt: skip


@pytest.mark.parametrize("order", ["reverse", "source"])
@pytest.mark.parametrize(("target", "offset"), [(6.0, 0.2), (7.0, 0.2), (8.0, 0.4)])
def test_beat_cuts_stay_inside_their_shots_in_the_asked_order(
    order: str, target: float, offset: float
) -> None:
    """Holdout7 case 25: in reverse order, cut on the beat, the beat nearest a planned out
    point lay past its shot's end; the out point went there and showed a sliver of the next
    shot (scenes 4, 3, 4, 2, 1, 2, 1). Beats every 0.5 s, ``offset`` after every cut. Held
    inside their shots, the cuts lose time that the first segment's free in point makes up:
    the edit still lasts what was asked, to a frame or two."""
    shots = _late_peaks()
    beats = [offset + 0.5 * k for k in range(40)]
    heard = _heard(Rhythm(tempo_bpm=120.0, beats=beats, onsets=[]))
    brief = Brief(order=order, sound=SoundAsk(beats=True), duration=DurationAsk(target_s=target))
    plan = plan_edit(brief, shots, [20.0])
    fitted = fit_to_sound(plan, brief, [heard], [FPS], [20.0])
    by_index = {s.index: s for s in shots}
    for seg, why in zip(fitted.edl.segments, fitted.provenance, strict=True):
        shot = by_index[why.shot]
        assert shot.start_s - 1e-6 <= seg.start < seg.end <= shot.end_s + 1e-6, (seg, shot)
    starts = [s.start for s in fitted.edl.segments]
    assert starts == sorted(starts, reverse=order == "reverse")
    cuts = [s.end for s in fitted.edl.segments[:-1]]
    assert all(min(abs(t - b) for b in beats) <= 1.0 / FPS for t in cuts), cuts
    assert abs(fitted.expected_duration_s - target) <= 2.0 / FPS


def test_a_named_start_time_is_where_the_edit_starts() -> None:
    """Holdout7 case 23: "kick off at the 3-second mark" started at 2.1 s: the shot holding
    3 s was centred on its peak, and then the speech default moved its in point out of a
    word. The named time stays (on the frame grid); so does a named end time."""
    shots = _talky_beats()[0]
    brief = Brief(
        start_on=ShotPick(kind="time", time_s=5.0),
        end_on=ShotPick(kind="time", time_s=14.5),
        duration=DurationAsk(min_s=5.0),
    )
    plan = plan_edit(brief, shots, [20.0])
    assert plan.edl.segments[0].start == pytest.approx(5.0)
    assert plan.edl.segments[-1].end == pytest.approx(14.5)
    # Both times fall inside words: the speech default must not move them.
    words = [Word(text="one", start=4.8, end=5.3, probability=0.9),
             Word(text="two", start=14.2, end=14.9, probability=0.9)]  # fmt: skip
    spoken = with_speech_default(brief, [_heard(words=words)])
    fitted = fit_to_sound(plan_edit(spoken, shots, [20.0]), spoken, [_heard(words=words)],
                          [FPS], [20.0])  # fmt: skip
    assert fitted.edl.segments[0].start == pytest.approx(5.0, abs=0.5 / FPS)
    assert fitted.edl.segments[-1].end == pytest.approx(14.5, abs=0.5 / FPS)


def test_megamind_in_reverse_order_cut_on_the_beat_keeps_the_order_on_the_render(
    megamind: Path,
    megamind_heard: tuple[ClipAudio, list[Shot], float],
    tmp_path: Path,
) -> None:
    """Holdout7 case 25 end to end: "Run the scenes in reverse order, time the cuts to the
    beat of the soundtrack, 8 s" rendered scenes 4, 3, 4, 2, 1, 2, 1: out points moved onto
    beats past their shots' ends. Planned with the trailer's sound (beats, Whisper's words for
    the speech default), rendered, and verified on the video."""
    heard, shots, length = megamind_heard
    asked = Brief(order="reverse", sound=SoundAsk(beats=True), duration=DurationAsk(target_s=8))
    brief = with_speech_default(asked, [heard])
    plan = fit_to_sound(plan_edit(brief, shots, [length]), brief, [heard], [MEGAMIND_FPS], [length])
    video = _render(plan, megamind, tmp_path / "reverse-beats.mp4")
    checks = {c.criterion.id: c for c in verify_edit(video, [megamind], asked, shots)}
    assert checks["order"].passed, checks["order"].measured
    assert checks["beats"].passed, checks["beats"].measured
    assert checks["duration"].passed, checks["duration"].measured


def test_pieces_of_a_named_stretch_share_their_cut_and_keep_the_length() -> None:
    """Holdout2 case 17 ("the middle third ... into a 4 second clip"): the stretch, cut into
    one piece per shot, is all the length asked. Kept inside its own shot, a piece's out
    point left a word backwards and the next one's in point forwards, and the edit's own
    start and end left theirs inwards: 3.38 s for 4 ± 0.3. Pieces the plan plays on from
    one to the next share the point where they meet (it moves, nothing is skipped), and the
    edit's ends leave a word only within the length asked."""
    shots = [
        Shot(index=i + 1, start_s=3.0 * i, end_s=3.0 * (i + 1), luma=100, motion=5,
             colourfulness=50, peak_s=3.0 * i + 1.5)
        for i in range(4)
    ]  # fmt: skip
    words = [Word(text="one", start=2.9, end=3.5, probability=0.9),
             Word(text="two", start=5.8, end=6.3, probability=0.9),
             Word(text="three", start=8.8, end=9.2, probability=0.9)]  # fmt: skip
    heard = _heard(words=words)
    asked = Brief(
        use=SourceUse(kind="portion", portion=(0.25, 0.75)), duration=DurationAsk(target_s=6.0)
    )
    brief = with_speech_default(asked, [heard])
    plan = plan_edit(brief, shots, [12.0])
    assert [(s.start, s.end) for s in plan.edl.segments] == [(3.0, 6.0), (6.0, 9.0)]
    fitted = fit_to_sound(plan, brief, [heard], [FPS], [12.0])
    first, second = fitted.edl.segments
    assert first.end == second.start and inside_word(first.end, words) is None
    assert first.start >= 3.0 - 1e-6 and second.end <= 9.0 + 1e-6
    assert 5.7 <= fitted.expected_duration_s <= 6.3


def test_a_point_leaving_a_word_never_crosses_a_cut_of_the_source() -> None:
    """An out point 0.1 s before a cut, inside a word that runs on past the cut: the word's
    nearer edge is after the cut, and the segment would end on a flash of the next scene
    (holdout6 case 17: two frames of the trailer's scene 4 after its scene 3). The parts of
    one long take are one scene: a point may move across the boundary between them."""
    cuts = [
        Shot(index=i + 1, start_s=i * 4.0, end_s=(i + 1) * 4.0, luma=100, motion=5,
             colourfulness=50, peak_s=i * 4.0 + 2.0)
        for i in range(5)
    ]  # fmt: skip
    words = [Word(text="across", start=3.5, end=4.2, probability=0.9)]
    heard = _heard(words=words)
    brief = with_speech_default(parse_request("use 0:01-0:03.9 and 0:06-0:08"), [heard])
    plan = plan_edit(brief, cuts, [20.0])
    assert plan.edl.segments[0].end == pytest.approx(3.9)
    fitted = fit_to_sound(plan, brief, [heard], [FPS], [20.0], cuts)
    end = fitted.edl.segments[0].end
    assert end <= 4.0 + 1e-6 and inside_word(end, words) is None, end
    take = [s.model_copy(update={"scene": 1 if s.index <= 2 else s.index - 1}) for s in cuts]
    fitted = fit_to_sound(plan, brief, [heard], [FPS], [20.0], take)
    # One take: no cut of the source stops it, but the asked range (to 3.9 s) still does.
    end = fitted.edl.segments[0].end
    assert end <= 3.9 + 1e-6 and inside_word(end, words) is None, end


def test_an_in_point_on_a_cut_leaves_a_word_into_its_own_scene() -> None:
    """A plan's points are rounded to 1 ms: an in point on the trailer's cut at 4.0874 s is
    planned at 4.087 s. It opens the scene after the cut, and leaves a word running across
    the cut into that scene (holdout5 case 1: it stayed in "outside." instead)."""
    cut = 4.0874
    shots = [
        Shot(index=1, start_s=0.0, end_s=cut, luma=100, motion=5, colourfulness=50, peak_s=2.0),
        Shot(index=2, start_s=cut, end_s=10.0, luma=90, motion=5, colourfulness=50, peak_s=6.0),
    ]
    words = [Word(text="outside", start=3.9, end=4.3, probability=0.9)]
    heard = _heard(words=words)
    brief = with_speech_default(parse_request("use 0:04.0874-0:07"), [heard])
    plan = plan_edit(brief, shots, [10.0])
    assert plan.edl.segments[0].start == pytest.approx(4.087)
    fitted = fit_to_sound(plan, brief, [heard], [FPS], [10.0], shots)
    start = fitted.edl.segments[0].start
    assert start >= cut - 1e-3 and inside_word(start, words) is None, start


def test_megamind_reversed_scenes_fitted_to_words_show_no_flash_of_another(
    megamind: Path,
    megamind_heard: tuple[ClipAudio, list[Shot], float],
    tmp_path: Path,
) -> None:
    """Holdout6 case 17 end to end: every scene of the trailer back to front, ending on the
    first, 7 s, planned with the speech default. Scene 3's out point left a word across the
    trailer's cut, and the render showed two frames of scene 4 before scene 2: out of order."""
    heard, shots, length = megamind_heard
    asked = Brief(
        use=SourceUse(kind="every_scene"),
        order="reverse",
        end_on=ShotPick(kind="first"),
        duration=DurationAsk(target_s=7.0, tolerance_s=0.35),
    )
    brief = with_speech_default(asked, [heard])
    plan = plan_edit(brief, shots, [length])
    plan = fit_to_sound(plan, brief, [heard], [MEGAMIND_FPS], [length], shots)
    video = _render(plan, megamind, tmp_path / "reversed.mp4")
    checks = {c.criterion.kind: c for c in verify_edit(video, [megamind], asked, shots)}
    assert all(c.passed for c in checks.values()), {k: c.measured for k, c in checks.items()}


@pytest.mark.parametrize("least", [7, 9])
def test_megamind_beats_and_whole_words_leave_out_a_piece_with_no_such_cut(
    least: int, megamind_heard: tuple[ClipAudio, list[Shot], float]
) -> None:
    """Holdout12 case 13: scene 2 is speech throughout, so its cut cannot be on a beat and
    between words; it was kept off the beat. With length to spare it is left out (every cut
    left on a beat); without, the plan says which cut is off. And cuts held to beats took more
    time than the last piece's window had left: its end stayed there, inside "by"."""
    heard, shots, length = megamind_heard
    request = (
        "Keep the soundtrack and level it to -18 LUFS; cut on the beat but never mid-word. "
        f"Open on a face and finish on the darkest shot. {least} s or longer."
    )
    brief = with_speech_default(parse_request(request), [heard])
    plan = plan_edit(brief, shots, [length])
    fitted = fit_to_sound(plan, brief, [heard], [MEGAMIND_FPS], [length], shots)
    assert heard.transcript is not None and heard.rhythm is not None
    spoken, beats = heard.transcript.words, heard.rhythm.beats
    for seg in fitted.edl.segments:
        assert inside_word(seg.start, spoken, 0.05) is None, seg
        assert inside_word(seg.end, spoken, 0.05) is None, seg
    assert fitted.expected_duration_s >= least
    off = [
        s.start
        for s in fitted.edl.segments[1:]
        if min(abs(b - s.start - 0.5 / MEGAMIND_FPS) for b in beats) > 1e-3
    ]
    if least == 7:
        assert not off and len(fitted.edl.segments) == len(plan.edl.segments) - 1, off
        assert any("was left out" in n for n in fitted.notes), fitted.notes
    else:
        assert len(off) == 1, off
        assert any("off the beat" in n for n in fitted.notes), fitted.notes


@pytest.mark.parametrize("word_across_the_cut", [True, False])
def test_a_crossfade_that_leaves_a_word_is_no_blend_of_one_take(
    word_across_the_cut: bool,
) -> None:
    """Holdout13 case 21 ("the first 6000 ms ... 250 ms crossfades"): the stretch's two shots
    are joined by a crossfade at the source's cut, but a word runs across that cut. Moved
    out of the word, the join fell inside one shot: a crossfade there overlays the take on
    itself a moment later. The pieces play on as one, and a note says why."""
    shots = [
        Shot(index=1, start_s=0.0, end_s=4.0, luma=100, motion=5, colourfulness=50, peak_s=2.0),
        Shot(index=2, start_s=4.0, end_s=10.0, luma=90, motion=5, colourfulness=50, peak_s=6.0),
    ]
    at = 3.8 if word_across_the_cut else 5.1
    heard = _heard(words=[Word(text="across", start=at, end=at + 0.5, probability=0.9)])
    brief = with_speech_default(parse_request("use 0:01-0:07 with 0.25 s crossfades"), [heard])
    plan = plan_edit(brief, shots, [10.0])
    assert [(s.start, s.end, s.transition) for s in plan.edl.segments] == [
        (1.0, 4.0, "cut"),
        (4.0, 7.0, "crossfade"),
    ]
    fitted = fit_to_sound(plan, brief, [heard], [FPS], [10.0], shots)
    segments = fitted.edl.segments
    if word_across_the_cut:
        assert [(s.start, s.end) for s in segments] == [(1.0, 7.0)]
        assert any("crossfade at 4.00 s" in note for note in fitted.notes), fitted.notes
    else:  # the join stays at the cut, within the frame grid's rounding
        assert [s.transition for s in segments] == ["cut", "crossfade"]
        assert segments[1].start == pytest.approx(4.0, abs=1 / FPS)
