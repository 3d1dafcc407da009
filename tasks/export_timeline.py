"""Write an edit plan as a timeline an editor opens: OpenTimelineIO, FCP XML and CMX 3600 EDL.

The MP4 is a finished render; the timeline is the same cut as editable data, so a user can
finish it in their own editor. Every segment becomes a clip pointing at its source file with
its exact source range (on the source's frame grid); speed is a ``LinearTimeWarp`` effect; a
crossfade is a dissolve ``Transition`` whose outgoing clip is trimmed by the overlap, so the
timeline runs as long as the render. Each clip's metadata keeps the plan's provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tasks.plan_edit import EditPlan

__all__ = ["TimelineFiles", "export_timeline"]

# OTIO adapter names: the core JSON format, and the two plug-in packages.
_ADAPTERS = {"fcp_xml": ".xml", "cmx_3600": ".edl"}


@dataclass(frozen=True)
class TimelineFiles:
    """What was written beside the render.

    Attributes:
        otio: The OpenTimelineIO file (always written).
        fcp_xml: Final Cut Pro 7 XML (Premiere and Resolve import it), or None.
        cmx_edl: CMX 3600 EDL, or None.
        skipped: Adapter name -> one-line reason, for formats that could not be written.
    """

    otio: Path
    fcp_xml: Path | None
    cmx_edl: Path | None
    skipped: dict[str, str]


def export_timeline(
    plan: EditPlan,
    sources: list[Path],
    output: Path,
    fps: float = 24.0,
    source_durations: list[float] | None = None,
) -> TimelineFiles:
    """Write ``plan`` as ``<output stem>.otio``, ``.xml`` and ``.edl`` beside ``output``.

    Args:
        plan: The plan that was rendered.
        sources: The input clips, in the plan's source order.
        output: The rendered MP4 (only its folder and stem are used).
        fps: Frame rate of the timeline (the sources' rate, so ranges land on frames).
        source_durations: Length of each source, for the media's available range (FCP XML
            needs one); by default, up to the last out point the plan uses.

    Returns:
        The files written; a format whose adapter refuses the timeline is listed in
        ``skipped`` rather than failing the job (the ``.otio`` always carries everything).
    """
    import opentimelineio as otio

    lengths = source_durations or [
        max((seg.end for seg in plan.edl.segments if seg.source == i), default=0.0)
        for i in range(len(sources))
    ]
    timeline = _timeline(otio, plan, sources, lengths, output.stem, fps)
    base = output.with_suffix("")
    written: dict[str, Path | None] = {}
    skipped: dict[str, str] = {}
    otio_path = base.with_suffix(".otio")
    otio.adapters.write_to_file(timeline, str(otio_path))
    for adapter, suffix in _ADAPTERS.items():
        path = base.with_suffix(suffix)
        try:
            otio.adapters.write_to_file(timeline, str(path), adapter_name=adapter)
        except Exception as exc:
            skipped[adapter] = (
                f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            )
            path.unlink(missing_ok=True)
            written[adapter] = None
        else:
            written[adapter] = path
    return TimelineFiles(
        otio=otio_path, fcp_xml=written["fcp_xml"], cmx_edl=written["cmx_3600"], skipped=skipped
    )


def _timeline(
    otio: Any, plan: EditPlan, sources: list[Path], lengths: list[float], name: str, fps: float
) -> Any:
    rt, time_range = otio.opentime.RationalTime, otio.opentime.TimeRange
    edl = plan.edl
    overlap = round(edl.transition_s * fps)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    segments = edl.segments
    for number, (segment, why) in enumerate(zip(segments, plan.provenance, strict=True)):
        which = min(segment.source, len(sources) - 1)
        source = sources[which].resolve()
        available = time_range(rt(0, fps), rt(max(1, round(lengths[which] * fps)), fps))
        first = round(segment.start * fps)
        # Rounding the length (not the out point) keeps each clip within half a frame.
        frames = max(1, round((segment.end - segment.start) * fps))
        following = segments[number + 1] if number + 1 < len(segments) else None
        crossfade_out = following is not None and following.transition == "crossfade"
        if crossfade_out:
            # The overlap comes off the outgoing clip and plays as the dissolve's handle.
            frames = max(1, frames - round(overlap * segment.speed))
        clip = otio.schema.Clip(
            name=f"{source.stem} shot {why.shot}",
            media_reference=otio.schema.ExternalReference(
                target_url=source.as_uri(), available_range=available
            ),
            source_range=time_range(rt(first, fps), rt(frames, fps)),
        )
        clip.metadata["studio"] = {
            "shot": why.shot,
            "source": segment.source,
            "why": why.why,
            "start_s": segment.start,
            "end_s": segment.end,
            "speed": segment.speed,
            "caption": segment.caption,
        }
        if segment.speed != 1.0:
            clip.effects.append(otio.schema.LinearTimeWarp(time_scalar=segment.speed))
        track.append(clip)
        if crossfade_out:
            track.append(
                otio.schema.Transition(
                    transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                    in_offset=rt(0, fps),
                    out_offset=rt(overlap, fps),
                )
            )
    timeline = otio.schema.Timeline(name=name)
    timeline.tracks.append(track)
    timeline.metadata["studio"] = {
        "expected_duration_s": plan.expected_duration_s,
        "colour": edl.colour,
        "fade_in_s": edl.fade_in_s,
        "fade_out_s": edl.fade_out_s,
        "caption": edl.caption,
        "audio": edl.audio,
    }
    return timeline
