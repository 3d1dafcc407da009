"""``sample_frames``: decode a clip once, choose the frames a vision model is shown, write them.

How the frames are chosen is described in :mod:`tasks.footage`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.exceptions import ConfigError, FootageError
from core.files import sha256_file, unwritable
from tasks._orientation import displayed_size
from tasks._video import check_readable, effective_fps, open_video, reject_still_image
from tasks.audio.analyse import analyse_audio
from tasks.audio.decode import AudioCollector
from tasks.footage.decode import DEFAULT_ANALYSIS_STRIDE, _decode_once
from tasks.footage.descriptors import motion_between
from tasks.footage.manifest import MANIFEST_NAME, SampledFrame, SampleManifest, Scene, Strategy
from tasks.footage.render import _Renderer
from tasks.footage.scenes import Detector, _Candidate, _make_detector, _SceneSampler
from tasks.footage.selection import DEFAULT_DEDUP_DISTANCE, _allocate, _Deduper, _evenly, _phash
from tasks.footage.tokens import DEFAULT_MAX_PIXELS, PATCH, visual_tokens
from tasks.ocr import ocr_available
from tasks.probe import VideoProbe

__all__ = ["sample_frames"]


def sample_frames(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    max_frames: int = 8,
    strategy: Strategy | str = "scene",
    max_pixels: int = DEFAULT_MAX_PIXELS,
    detector: Detector = "adaptive",
    analysis_stride: int | None = None,
    dedup_distance: int = DEFAULT_DEDUP_DISTANCE,
    concurrent: bool = True,
    progress: Callable[[int, int], None] | None = None,
    audio: bool = True,
    read_text: bool = True,
) -> SampleManifest:
    """Decode a clip once, choose up to ``max_frames`` frames, write JPEGs and ``manifest.json``.

    Args:
        path: The clip.
        out_dir: Directory for the JPEGs and the manifest (created; earlier ``frame_*.jpg``
            files in it are removed so the manifest and directory agree).
        max_frames: Frame budget for the whole clip.
        strategy: ``scene`` (PySceneDetect scenes, default), ``uniform`` (evenly spaced) or
            ``keyframes`` (the codec's intra frames, evenly thinned).
        max_pixels: Per-frame pixel budget; the default 448*448 is ~256 Qwen2.5-VL tokens.
        detector: PySceneDetect detector for the scene strategy: ``adaptive`` or ``content``.
        analysis_stride: Analyse every Nth frame (the others are decoded but not converted);
            default 2. Cuts are then exact to within ``stride - 1`` frames.
        dedup_distance: phash Hamming distance at or under which frames are duplicates.
        concurrent: Decode on a background thread and encode/describe the chosen frames on a
            worker pool (default); False does everything on the calling thread. The manifest
            and files are the same either way.
        progress: Called now and then with (frames decoded, frames declared), for display.
        audio: Decode the audio in the same pass and analyse it (transcript, speech spans,
            beats, loudness) into ``manifest.audio`` and each scene's ``audio``.
        read_text: Read the text on screen of each chosen frame (OCR) into its descriptors.

    Returns:
        The manifest (also written to ``out_dir/manifest.json``).

    Raises:
        FootageError: The clip is missing, unreadable, not a video, absurd or undecodable.
        ConfigError: A budget, strategy or detector that makes no sense.
    """
    if max_frames < 1:
        raise ConfigError(f"max_frames must be at least 1, got {max_frames}")
    if max_pixels < PATCH * PATCH:
        raise ConfigError(f"max_pixels must be at least {PATCH * PATCH}, got {max_pixels}")
    if strategy not in ("scene", "uniform", "keyframes"):
        raise ConfigError(f"unknown strategy {strategy!r}: use scene, uniform or keyframes")
    if analysis_stride is not None and analysis_stride < 1:
        raise ConfigError(f"analysis_stride must be at least 1, got {analysis_stride}")

    clip = check_readable(path)
    _check_writable(Path(out_dir))
    notes: list[str] = []
    if read_text and not ocr_available():
        notes.append("text on screen not read: RapidOCR's models are not installed")
        read_text = False
    with _Renderer(max_pixels, concurrent, read_text) as renderer:
        return _sample(
            clip,
            Path(out_dir),
            renderer,
            max_frames=max_frames,
            strategy=strategy,
            detector=detector,
            stride=analysis_stride or DEFAULT_ANALYSIS_STRIDE,
            dedup_distance=dedup_distance,
            progress=progress,
            audio=audio,
            notes=notes,
        )


def _sample(
    clip: Path,
    out_dir: Path,
    renderer: _Renderer,
    *,
    max_frames: int,
    strategy: Strategy,
    detector: Detector,
    stride: int,
    dedup_distance: int,
    progress: Callable[[int, int], None] | None = None,
    audio: bool = True,
    notes: list[str],
) -> SampleManifest:
    """``sample_frames`` once its arguments are checked."""
    size = clip.stat().st_size
    reader = open_video(clip, size)
    facts = reader.facts
    # Hashing reads the whole file: on the worker pool it overlaps the decode.
    content_hash = renderer.background(sha256_file, clip)
    fps = effective_fps(facts)
    max_pixels = renderer.max_pixels
    scene_sampler = (
        _SceneSampler(_make_detector(detector), fps, max_frames, on_close=renderer.start)
        if strategy == "scene"
        else None
    )
    collector: list[AudioCollector] = []
    if audio:
        reader.listen(lambda stream, origin: _collect(collector, stream, origin))
    try:
        decoding = _decode_once(
            clip, reader, strategy, stride, scene_sampler, max_frames, renderer.concurrent, progress
        )
    finally:
        reader.close()
    decoded, pool = decoding.decoded, decoding.pool

    if decoded == 0:
        raise FootageError(f"no frame decodes (damaged or not a video): {clip}")
    reject_still_image(clip, decoded, facts.declared_frames)

    lost = max(0, facts.declared_frames - decoded)
    if lost:
        notes.append(
            f"{lost} of {facts.declared_frames} declared frames did not decode "
            f"({100.0 * lost / facts.declared_frames:.0f}% lost); kept the {decoded} that did"
        )
    deduper = _Deduper(dedup_distance)
    picks: list[tuple[int, _Candidate]]
    if scene_sampler is not None:
        scene_sampler.finish(decoded)
        closed = scene_sampler.closed
        scenes = [_scene(s.index, s.start, s.end, fps) for s in closed]
        chosen = _allocate(closed, max_frames, deduper)
        picks = [(s.index, c) for s, c in chosen]
        if len(closed) > max_frames:
            notes.append(
                f"{len(closed)} scenes but a budget of {max_frames} frames: showing the longest "
                "distinct scenes"
            )
    else:
        scenes = [_scene(0, 0, decoded, fps)]
        if strategy == "keyframes" and not decoding.keyframes_seen:
            notes.append("the decoder reported no intra frames: keyframes strategy found none")
        picks = [(0, c) for c in _evenly(pool, max_frames, deduper)]
    if deduper.dropped:
        notes.append(f"{deduper.dropped} near-duplicate candidates skipped (phash)")
    covered = {scene for scene, _ in picks}
    uncovered = [s.index for s in scenes if s.index not in covered]

    width, height = displayed_size(picks[0][1].frame) if picks else (facts.width, facts.height)
    video = VideoProbe(
        path=clip,
        sha256=content_hash(),
        frames=decoded,
        declared_frames=facts.declared_frames,
        fps=fps,
        duration=decoded / fps,
        width=width,
        height=height,
        codec=facts.codec,
        size_bytes=size,
    )
    # The audio is analysed on the pool while the chosen frames are written.
    heard = (
        renderer.background(
            analyse_audio,
            collector[0].finish() if collector else None,
            [(s.start_s, s.end_s) for s in scenes],
        )
        if audio
        else None
    )
    frames = _write_frames(out_dir, picks, fps, renderer)
    clip_audio = None
    if heard is not None:
        clip_audio, per_scene = heard()
        notes.extend(clip_audio.notes)
        scenes = [s.model_copy(update={"audio": a}) for s, a in zip(scenes, per_scene, strict=True)]
    manifest = SampleManifest(
        video=video,
        strategy=strategy,
        detector=detector if strategy == "scene" else None,
        analysis_stride=stride if strategy == "scene" else decoding.pool_stride,
        max_frames=max_frames,
        max_pixels=max_pixels,
        scenes=scenes,
        frames=frames,
        decoded_frames=decoded,
        lost_frames=lost,
        visual_tokens=sum(f.visual_tokens for f in frames),
        dropped_duplicates=deduper.dropped,
        uncovered_scenes=uncovered,
        notes=notes,
        audio=clip_audio,
    )
    _write(out_dir / MANIFEST_NAME, (manifest.model_dump_json(indent=2) + "\n").encode())
    return manifest


def _collect(into: list[AudioCollector], stream: Any, origin: float) -> Callable[[Any], None]:
    into.append(AudioCollector(stream, origin))
    return into[0].feed


def _scene(index: int, start: int, end: int, fps: float) -> Scene:
    return Scene(
        index=index,
        start_frame=start,
        end_frame=end,
        start_s=round(start / fps, 4),
        end_s=round(end / fps, 4),
    )


def _check_writable(out_dir: Path) -> None:
    """Fail before any work (and writing nothing) when ``out_dir`` cannot hold the frames.

    Decoding a long clip first would spend minutes, and load libraries that write caches of
    their own, only to fail at the first frame written.
    """
    reason = unwritable(out_dir)
    if reason:
        raise ConfigError(f"cannot write frames to {out_dir}: {reason}")


def _write(target: Path, data: bytes) -> None:
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


def _write_frames(
    out_dir: Path, picks: list[tuple[int, _Candidate]], fps: float, renderer: _Renderer
) -> list[SampledFrame]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        stale = set(out_dir.glob("frame_*.jpg"))
    except OSError as exc:
        raise ConfigError(f"cannot write frames to {out_dir}: {exc.strerror or exc}") from None
    ordered = sorted(picks, key=lambda p: p[1].frame_number)
    for _, candidate in ordered:
        renderer.start(candidate)
    frames: list[SampledFrame] = []
    previous = None
    for number, (scene, candidate) in enumerate(ordered):
        rendered = renderer.result(candidate)
        target = out_dir / f"frame_{number:03d}_{candidate.frame_number:06d}.jpg"
        _write(target, rendered.jpeg)
        stale.discard(target)
        descriptors = rendered.descriptors
        if previous is not None:
            # Motion is the one measure that depends on the previous pick, so it is added
            # here, in time order, by the same function describe_frame uses.
            motion = motion_between(rendered.thumb, previous)
            descriptors = descriptors.model_copy(update={"motion": motion})
        previous = rendered.thumb
        frames.append(
            SampledFrame(
                scene=scene,
                frame_number=candidate.frame_number,
                timestamp=round(candidate.frame_number / fps, 4),
                path=target,
                phash=str(_phash(candidate)),
                width=rendered.width,
                height=rendered.height,
                visual_tokens=visual_tokens(rendered.width, rendered.height),
                descriptors=descriptors,
            )
        )
    # Earlier runs' frames that this run did not rewrite: gone, so the folder matches the
    # manifest (rewritten names are simply overwritten, which is cheaper than unlinking).
    for leftover in stale:
        leftover.unlink(missing_ok=True)
    return frames
