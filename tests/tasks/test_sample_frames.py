"""``tasks.footage.sample_frames``: scenes against truth, budgets, dedup, strategies, bad input."""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.exceptions import ConfigError, FootageError
from tasks.footage import (
    MANIFEST_NAME,
    SampleManifest,
    sample_frames,
    scenes,
    target_size,
    visual_tokens,
)
from tasks.footage import decode as footage_decode
from tasks.footage import render as footage_render
from tasks.footage import sample as footage_sample
from tests.tasks.conftest import BAD_INPUT_MESSAGES, Clip

STUDIO = Path(sys.executable).with_name("studio")


def _starts(manifest: SampleManifest) -> list[int]:
    return [scene.start_frame for scene in manifest.scenes[1:]]


def _check_consistent(manifest: SampleManifest, out: Path) -> None:
    """Invariants every manifest must hold, checked against the files on disk."""
    import cv2

    scenes = manifest.scenes
    assert scenes[0].start_frame == 0 and scenes[-1].end_frame == manifest.decoded_frames
    for before, after in itertools.pairwise(scenes):
        assert before.end_frame == after.start_frame
    assert [s.index for s in scenes] == list(range(len(scenes)))
    on_disk = json.loads((out / MANIFEST_NAME).read_text())
    assert SampleManifest.model_validate(on_disk) == manifest
    assert sorted(p.name for p in out.glob("*.jpg")) == sorted(f.path.name for f in manifest.frames)
    numbers = [f.frame_number for f in manifest.frames]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for frame in manifest.frames:
        scene = scenes[frame.scene]
        assert scene.start_frame <= frame.frame_number < scene.end_frame
        assert frame.timestamp == pytest.approx(frame.frame_number / manifest.video.fps, abs=1e-3)
        image = cv2.imread(str(frame.path))
        assert image is not None and image.shape[:2] == (frame.height, frame.width)
        assert frame.width * frame.height <= manifest.max_pixels
        assert frame.width % 28 == 0 and frame.height % 28 == 0
        assert frame.visual_tokens == math.ceil(frame.height / 28) * math.ceil(frame.width / 28)
        assert len(frame.phash) == 16
    assert manifest.visual_tokens == sum(f.visual_tokens for f in manifest.frames)
    assert len(manifest.frames) <= manifest.max_frames
    covered = {f.scene for f in manifest.frames}
    assert manifest.uncovered_scenes == [s.index for s in scenes if s.index not in covered]


@pytest.mark.parametrize("stride", [1, 2])
def test_scene_cuts_match_ground_truth(cut_clip: Clip, tmp_path: Path, stride: int) -> None:
    manifest = sample_frames(cut_clip.path, tmp_path, analysis_stride=stride)
    found = _starts(manifest)
    assert len(found) == len(cut_clip.cuts), found
    for truth, cut in zip(cut_clip.cuts, found, strict=True):
        assert abs(truth - cut) <= stride - 1 + 1, (truth, cut)
    _check_consistent(manifest, tmp_path)


def test_content_detector_also_finds_the_cuts(cut_clip: Clip, tmp_path: Path) -> None:
    manifest = sample_frames(cut_clip.path, tmp_path, detector="content", analysis_stride=1)
    assert _starts(manifest) == pytest.approx(list(cut_clip.cuts), abs=1)


def test_every_scene_covered_before_any_gets_a_second(cut_clip: Clip, tmp_path: Path) -> None:
    manifest = sample_frames(cut_clip.path, tmp_path / "six", max_frames=6)
    per_scene = np.bincount([f.scene for f in manifest.frames], minlength=4)
    assert len(manifest.frames) == 6
    assert per_scene.min() >= 1 and per_scene.max() <= 2
    assert manifest.uncovered_scenes == []
    _check_consistent(manifest, tmp_path / "six")

    # A budget of 3 for 4 scenes: three scenes, one frame each, the shortest one left out.
    small = sample_frames(cut_clip.path, tmp_path / "three", max_frames=3)
    scenes = [f.scene for f in small.frames]
    assert len(scenes) == 3 == len(set(scenes))
    shortest = min(small.scenes, key=lambda s: s.frames).index
    assert small.uncovered_scenes == [shortest]
    assert any("longest distinct scenes" in note for note in small.notes)


def test_more_scenes_than_budget_keeps_the_longest(many_scenes_clip: Clip, tmp_path: Path) -> None:
    manifest = sample_frames(many_scenes_clip.path, tmp_path, max_frames=4)
    assert len(manifest.scenes) == 10
    chosen = sorted({f.scene for f in manifest.frames})
    longest = sorted(sorted(manifest.scenes, key=lambda s: -s.frames)[:4], key=lambda s: s.index)
    assert chosen == [s.index for s in longest]
    assert len(manifest.uncovered_scenes) == 6
    _check_consistent(manifest, tmp_path)


def test_near_duplicate_scenes_are_dropped(repeat_clip: Clip, tmp_path: Path) -> None:
    manifest = sample_frames(repeat_clip.path, tmp_path, max_frames=6)
    assert len(manifest.scenes) == 3
    assert manifest.dropped_duplicates >= 1
    # Still scenes: one frame of A, one of B; the repeat of A adds nothing new.
    assert len(manifest.frames) == 2
    hashes = [f.phash for f in manifest.frames]
    assert len(set(hashes)) == 2
    assert len(manifest.uncovered_scenes) == 1
    assert any("near-duplicate" in note for note in manifest.notes)
    _check_consistent(manifest, tmp_path)


def test_megamind_scenes_and_pixel_budget(megamind: Path, tmp_path: Path) -> None:
    manifest = sample_frames(megamind, tmp_path, max_frames=8)
    assert manifest.decoded_frames == manifest.video.frames == 270
    assert 3 <= len(manifest.scenes) <= 8
    assert manifest.uncovered_scenes == []
    for frame in manifest.frames:
        assert frame.visual_tokens <= 256
        assert frame.descriptors.to_text()
    assert manifest.tokens_per_minute == pytest.approx(
        manifest.visual_tokens / (270 / 23.976 / 60), rel=1e-6
    )
    _check_consistent(manifest, tmp_path)

    smaller = sample_frames(megamind, tmp_path / "small", max_frames=8, max_pixels=224 * 224)
    assert all(f.visual_tokens <= 64 for f in smaller.frames)
    assert smaller.visual_tokens < manifest.visual_tokens


def test_vtest_one_pass_and_motion(vtest: Path, tmp_path: Path) -> None:
    manifest = sample_frames(vtest, tmp_path, max_frames=5)
    assert manifest.decoded_frames == 795 and manifest.lost_frames == 0
    assert 1 <= len(manifest.frames) <= 5
    assert manifest.frames[0].descriptors.motion is None
    assert all(f.descriptors.motion is not None for f in manifest.frames[1:])
    _check_consistent(manifest, tmp_path)


def test_uniform_strategy_spreads_frames_evenly(cut_clip: Clip, tmp_path: Path) -> None:
    manifest = sample_frames(cut_clip.path, tmp_path, strategy="uniform", max_frames=6)
    numbers = [f.frame_number for f in manifest.frames]
    assert len(numbers) == 6
    gaps = np.diff(numbers)
    assert gaps.max() - gaps.min() <= 8, numbers
    assert len(manifest.scenes) == 1 and manifest.detector is None
    _check_consistent(manifest, tmp_path)


def test_keyframes_strategy_picks_intra_frames(gop_clip: Clip, tmp_path: Path) -> None:
    import cv2

    capture = cv2.VideoCapture(str(gop_clip.path), cv2.CAP_FFMPEG)
    intra = set()
    index = 0
    while capture.grab():
        if int(capture.get(cv2.CAP_PROP_FRAME_TYPE)) == ord("I"):
            intra.add(index)
        index += 1
    capture.release()
    assert 1 < len(intra) < index, "the fixture should have a GOP"

    manifest = sample_frames(gop_clip.path, tmp_path, strategy="keyframes", max_frames=4)
    chosen = {f.frame_number for f in manifest.frames}
    assert chosen and chosen <= intra
    _check_consistent(manifest, tmp_path)


class _CountingReader:
    """Wraps a reader to prove each frame is decoded once, in order (nothing seeks)."""

    def __init__(self, inner: Any, fail_after: int | None = None) -> None:
        self._inner = inner
        self._fail_after = fail_after
        self.decodes = 0
        self.numbers: list[int] = []

    def frames(self) -> Any:
        for frame in self._inner.frames():
            if self._fail_after is not None and self.decodes >= self._fail_after:
                raise RuntimeError("decoder crashed")
            self.decodes += 1
            self.numbers.append(frame.pts)
            yield frame

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.mark.parametrize("strategy", ["scene", "uniform", "keyframes"])
def test_one_decode_pass(
    cut_clip: Clip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: str
) -> None:
    opened: list[_CountingReader] = []
    from tasks._video import open_video as real_open

    def counting_open(clip: Path, size: int) -> Any:
        opened.append(_CountingReader(real_open(clip, size)))
        return opened[-1]

    monkeypatch.setattr("tasks.footage.sample.open_video", counting_open)
    manifest = sample_frames(cut_clip.path, tmp_path, strategy=strategy)
    assert len(opened) == 1
    assert opened[0].decodes == manifest.decoded_frames == cut_clip.frames
    # Presentation times only ever increase: one forward pass, no seek back.
    assert opened[0].numbers == sorted(set(opened[0].numbers))


def test_candidate_memory_is_bounded() -> None:
    """Feed 3000 frames in 150 scenes: the frames held stay a small multiple of the budget."""
    from scenedetect.detectors import ContentDetector

    budget = 4
    sampler = scenes._SceneSampler(ContentDetector(min_scene_len=5), 24.0, budget)
    held_max = 0
    for index in range(3000):
        scene = index // 20
        small = np.full((8, 8, 3), 255 if scene % 2 else 0, np.uint8)
        small[0, 0] = 128 + index % 2  # a little in-scene change
        sampler.feed(scenes._Candidate(index, float(index % 7), small, small))
        held = sum(len(s.candidates) for s in sampler.closed) + len(sampler._open.slots)
        held_max = max(held_max, held)
    sampler.finish(3000)
    assert len(sampler.closed) >= 140
    assert held_max <= 3 * budget + 4 + scenes.SLOTS_PER_SCENE + 8


class _ScriptedDetector:
    """Stands in for PySceneDetect to put cuts exactly where a test wants them."""

    def __init__(self, cuts: set[int]) -> None:
        self.cuts = cuts

    def process_frame(self, timecode: Any, image: Any) -> list[Any]:
        return [timecode] if timecode.frame_num in self.cuts else []

    def post_process(self, timecode: Any) -> list[Any]:
        return []


@pytest.mark.parametrize("seed", range(6))
def test_pruning_keeps_the_longest_scenes(seed: int) -> None:
    """With more scenes than budget, pixels stay only with the longest budget+spare scenes."""
    rng = np.random.default_rng(seed)
    lengths = [int(x) for x in rng.integers(4, 40, size=int(rng.integers(12, 60)))]
    budget = int(rng.integers(1, 8))
    cuts = {int(x) for x in np.cumsum(lengths)[:-1]}
    sampler = scenes._SceneSampler(_ScriptedDetector(cuts), 24.0, budget)
    image = np.zeros((4, 4, 3), np.uint8)
    for index in range(sum(lengths)):
        sampler.feed(scenes._Candidate(index, float(index % 5), image, image))
    sampler.finish(sum(lengths))
    assert [s.end - s.start for s in sampler.closed] == lengths
    kept = {s.index for s in sampler.closed if s.candidates}
    ranked = sorted(sampler.closed, key=lambda s: (-(s.end - s.start), s.index))
    assert kept == {s.index for s in ranked[: budget + scenes.SPARE_SCENES]}
    assert all(len(s.candidates) <= scenes.SPARE_CANDIDATES for s in sampler.closed)


def test_damaged_clip_keeps_what_decodes(
    damaged_clip: Path, cut_clip: Clip, tmp_path: Path
) -> None:
    manifest = sample_frames(damaged_clip, tmp_path, max_frames=6)
    assert 0 < manifest.lost_frames < cut_clip.frames * 0.4
    assert manifest.decoded_frames + manifest.lost_frames == cut_clip.frames
    assert any("did not decode" in note for note in manifest.notes)
    assert manifest.frames
    _check_consistent(manifest, tmp_path)


def test_truncated_clip(truncated_clip: Path, cut_clip: Clip, tmp_path: Path) -> None:
    manifest = sample_frames(truncated_clip, tmp_path, max_frames=4)
    assert manifest.video.declared_frames == cut_clip.frames
    assert manifest.decoded_frames < cut_clip.frames
    assert all(f.frame_number < manifest.decoded_frames for f in manifest.frames)
    _check_consistent(manifest, tmp_path)


def test_rerun_replaces_previous_frames(cut_clip: Clip, tmp_path: Path) -> None:
    sample_frames(cut_clip.path, tmp_path, max_frames=8)
    again = sample_frames(cut_clip.path, tmp_path, max_frames=2)
    assert len(list(tmp_path.glob("*.jpg"))) == len(again.frames) == 2


@pytest.mark.parametrize("kind", sorted(BAD_INPUT_MESSAGES))
def test_bad_input(bad_inputs: dict[str, Path], tmp_path: Path, kind: str) -> None:
    with pytest.raises(FootageError) as caught:
        sample_frames(bad_inputs[kind], tmp_path)
    assert BAD_INPUT_MESSAGES[kind] in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_unreadable_file(unreadable_clip: Any, tmp_path: Path) -> None:
    import cv2  # noqa: F401 - imported before dropping privileges

    with unreadable_clip() as locked, pytest.raises(FootageError, match="permission denied"):
        sample_frames(locked, tmp_path)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_frames": 0}, {"strategy": "random"}, {"max_pixels": 10}, {"analysis_stride": 0}],
)
def test_bad_options(cut_clip: Clip, tmp_path: Path, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        sample_frames(cut_clip.path, tmp_path, **kwargs)


def test_output_directory_that_is_a_file(cut_clip: Clip, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot write frames"):
        sample_frames(cut_clip.path, blocker)


def test_target_size_and_tokens() -> None:
    assert target_size(720, 528, 448 * 448) == (504, 364)
    assert visual_tokens(504, 364) == 18 * 13
    assert target_size(160, 120, 448 * 448) == (140, 112)  # never upscaled
    assert target_size(1920, 1080, 448 * 448) == (588, 336)
    for width, height in [(1920, 1080), (640, 480), (3840, 2160), (100, 5000)]:
        out_w, out_h = target_size(width, height, 448 * 448)
        assert out_w * out_h <= 448 * 448 and visual_tokens(out_w, out_h) <= 256


def test_cli_sample_json(cut_clip: Clip, tmp_path: Path) -> None:
    if not STUDIO.exists():
        pytest.skip(f"the studio command is not installed next to {sys.executable}")
    out = tmp_path / "frames"
    done = subprocess.run(
        [
            str(STUDIO),
            "footage",
            "sample",
            str(cut_clip.path),
            "--max-frames",
            "3",
            "--out",
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    manifest = SampleManifest.model_validate(json.loads(done.stdout))
    assert len(manifest.frames) == 3 and len(manifest.scenes) == 4
    assert (out / MANIFEST_NAME).exists()


def _comparable(manifest: SampleManifest, out: Path) -> tuple[str, dict[str, bytes]]:
    """The manifest as JSON with its folder blanked out, and the JPEG bytes by file name."""
    text = manifest.model_dump_json().replace(str(out), "<out>")
    return text, {path.name: path.read_bytes() for path in sorted(out.glob("*.jpg"))}


@pytest.mark.parametrize(
    ("clip", "options"),
    [
        ("megamind", {}),
        ("vtest", {"max_frames": 5}),
        # More scenes than budget: some early renders are of frames that are not picked.
        ("many_scenes_clip", {"max_frames": 3}),
        # 120 frames into a pool of 16: thinning while the decoder thread runs ahead.
        ("cut_clip", {"strategy": "uniform", "max_frames": 2}),
        ("cut_clip", {"strategy": "keyframes", "max_frames": 2}),
        ("gop_clip", {"strategy": "keyframes", "max_frames": 4}),
    ],
)
def test_concurrent_and_sequential_give_the_same_result(
    request: pytest.FixtureRequest, tmp_path: Path, clip: str, options: dict[str, Any]
) -> None:
    fixture = request.getfixturevalue(clip)
    path = fixture.path if isinstance(fixture, Clip) else fixture
    together = sample_frames(path, tmp_path / "a", **options)
    alone = sample_frames(path, tmp_path / "b", concurrent=False, **options)
    assert together.frames, "the comparison needs chosen frames"
    assert _comparable(together, tmp_path / "a") == _comparable(alone, tmp_path / "b")
    _check_consistent(together, tmp_path / "a")


def test_finished_scenes_render_while_the_clip_decodes(
    megamind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each scene that ends mid-clip has its lead frame rendered before decoding is over."""
    decoding = {"over": False}
    early: list[int] = []
    renders: list[int] = []
    real_decode, real_start, real_render = (
        footage_sample._decode_once,
        footage_render._Renderer.start,
        footage_render._render,
    )

    def decode(*args: Any) -> Any:
        state = real_decode(*args)
        decoding["over"] = True
        return state

    def start(self: Any, candidate: Any) -> None:
        if not decoding["over"]:
            early.append(candidate.frame_number)
        real_start(self, candidate)

    def render(frame_number: int, *args: Any) -> Any:
        renders.append(frame_number)
        return real_render(frame_number, *args)

    monkeypatch.setattr(footage_sample, "_decode_once", decode)
    monkeypatch.setattr(footage_render._Renderer, "start", start)
    monkeypatch.setattr(footage_render, "_render", render)
    manifest = sample_frames(megamind, tmp_path, max_frames=8)
    picked = {f.frame_number for f in manifest.frames}
    assert len(early) == len(manifest.scenes) - 1  # the last scene ends with the clip
    assert set(early) <= picked  # with scenes under budget every lead is shown
    assert sorted(renders) == sorted(picked)  # each picked frame rendered exactly once


def test_sampled_megamind_frames_show_faces(megamind: Path, vtest: Path, tmp_path: Path) -> None:
    from tasks.footage import faces_available

    if not faces_available():
        pytest.skip("this OpenCV ships no Haar cascade")
    # Every frame of Megamind after the black opening shows one character facing the camera.
    faces = [f.descriptors.faces for f in sample_frames(megamind, tmp_path / "m").frames]
    assert sum(1 for count in faces if count) >= 6, faces
    assert all(count is not None and count <= 2 for count in faces), faces
    # vtest's pedestrians are a few pixels tall: nothing face-sized to find.
    crowd = sample_frames(vtest, tmp_path / "v", max_frames=5).frames
    assert [f.descriptors.faces for f in crowd] == [0] * len(crowd)


def test_decoder_thread_stops_when_the_analysis_fails(
    cut_clip: Clip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    def refuse(clip: Path, shape: tuple[int, ...]) -> None:
        raise FootageError(f"absurd decoded frame size: {clip}")

    monkeypatch.setattr(footage_decode, "check_frame_shape", refuse)
    with pytest.raises(FootageError, match="absurd decoded frame size"):
        sample_frames(cut_clip.path, tmp_path)
    assert [t.name for t in threading.enumerate() if t.name.startswith("sample-frames")] == []


def test_decoder_thread_errors_reach_the_caller(
    cut_clip: Clip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tasks._video import open_video as real_open

    def failing_open(clip: Path, size: int) -> Any:
        return _CountingReader(real_open(clip, size), fail_after=40)

    monkeypatch.setattr(footage_sample, "open_video", failing_open)
    with pytest.raises(RuntimeError, match="decoder crashed"):
        sample_frames(cut_clip.path, tmp_path)


@pytest.mark.parametrize("strategy", ["scene", "uniform"])
def test_progress_reports_frames_decoded_of_declared(
    cut_clip: Clip, tmp_path: Path, strategy: str
) -> None:
    calls: list[tuple[int, int]] = []
    sample_frames(
        cut_clip.path,
        tmp_path / strategy,
        max_frames=3,
        strategy=strategy,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls, "no progress reported"
    assert {total for _, total in calls} == {cut_clip.frames}
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] == 0
    assert done[-1] >= cut_clip.frames - 32  # close to the end: one call per 16 frames
