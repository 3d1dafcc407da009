from __future__ import annotations

from pathlib import Path

import pytest

from tasks.brief import Brief, DurationAsk, ShotPick, SpeedAsk
from tasks.export_timeline import export_timeline
from tasks.plan_edit import EditPlan, plan_edit
from tasks.shots import Shot

otio = pytest.importorskip("opentimelineio")

FPS = 24.0
SHOTS = [
    Shot(
        index=i,
        start_s=2 * (i - 1),
        end_s=2 * i,
        luma=40 * i,
        motion=i,
        colourfulness=0,
        peak_s=2 * i - 1,
    )
    for i in range(1, 5)
]


def planned(**brief: object) -> EditPlan:
    return plan_edit(Brief.model_validate(brief), SHOTS, [8.0])


def clips_of(timeline: object) -> list[object]:
    return list(timeline.find_clips())  # type: ignore[attr-defined]


def frames(seconds: float) -> int:
    return round(seconds * FPS)


def test_otio_round_trip_keeps_every_segment_and_its_source_range(tmp_path: Path) -> None:
    source = tmp_path / "four.mp4"
    source.write_bytes(b"")  # only its path is written
    plan = planned(duration=DurationAsk(target_s=5), end_on=ShotPick(kind="brightest"))
    files = export_timeline(plan, [source], tmp_path / "edit.mp4", fps=FPS)
    assert files.otio == tmp_path / "edit.otio"
    timeline = otio.adapters.read_from_file(str(files.otio))
    clips = clips_of(timeline)
    assert len(clips) == len(plan.edl.segments)
    for clip, segment, why in zip(clips, plan.edl.segments, plan.provenance, strict=True):
        source_range = clip.source_range
        assert source_range.start_time.to_frames() == frames(segment.start)
        assert source_range.duration.to_frames() == frames(segment.end - segment.start)
        assert clip.media_reference.target_url == source.resolve().as_uri()
        assert clip.metadata["studio"]["shot"] == why.shot
    assert clips[-1].metadata["studio"]["why"].startswith("end on")
    total = timeline.duration().to_seconds()
    assert total == pytest.approx(plan.expected_duration_s, abs=2 / FPS)


def test_crossfades_become_dissolves_and_the_length_still_matches(tmp_path: Path) -> None:
    plan = planned(duration=DurationAsk(target_s=5), transitions="crossfade")
    files = export_timeline(plan, [tmp_path / "a.mp4"], tmp_path / "x.mp4", fps=FPS)
    timeline = otio.adapters.read_from_file(str(files.otio))
    track = timeline.tracks[0]
    transitions = [item for item in track if isinstance(item, otio.schema.Transition)]
    assert len(transitions) == len(plan.edl.segments) - 1
    assert timeline.duration().to_seconds() == pytest.approx(plan.expected_duration_s, abs=3 / FPS)


def test_speed_is_a_time_warp(tmp_path: Path) -> None:
    plan = planned(duration=DurationAsk(target_s=3), speeds=[SpeedAsk(factor=2)])
    files = export_timeline(plan, [tmp_path / "a.mp4"], tmp_path / "x.mp4", fps=FPS)
    clips = clips_of(otio.adapters.read_from_file(str(files.otio)))
    warps = [e for clip in clips for e in clip.effects]
    assert len(warps) == len(clips) and all(w.time_scalar == 2.0 for w in warps)


@pytest.mark.parametrize("adapter", ["fcp_xml", "cmx_3600"])
def test_editor_formats_read_back_with_the_same_cut(tmp_path: Path, adapter: str) -> None:
    plan = planned(duration=DurationAsk(target_s=6), end_on=ShotPick(kind="brightest"))
    files = export_timeline(plan, [tmp_path / "four.mp4"], tmp_path / "edit.mp4", fps=FPS)
    path = files.fcp_xml if adapter == "fcp_xml" else files.cmx_edl
    assert path is not None, files.skipped
    assert path.suffix == (".xml" if adapter == "fcp_xml" else ".edl")
    options = {"rate": FPS} if adapter == "cmx_3600" else {}
    timeline = otio.adapters.read_from_file(str(path), adapter_name=adapter, **options)
    clips = clips_of(timeline)
    assert len(clips) == len(plan.edl.segments)
    for clip, segment in zip(clips, plan.edl.segments, strict=True):
        assert clip.source_range.start_time.to_frames() == frames(segment.start)
        assert clip.source_range.duration.to_frames() == frames(segment.end - segment.start)
