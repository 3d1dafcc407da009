"""The plan in words for the coder: exact segments and finish, with no example text in them.

Everything here comes from the plan (which comes from the brief and the measured shots), so
the coder's prompt carries numbers and captions the request asked for, and nothing else: a
small model copies whatever example it sees into its output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tasks.plan_edit import EditPlan

__all__ = ["plan_facts"]


def plan_facts(plan: EditPlan, inputs: int) -> dict[str, object]:
    """Prompt variables: ``segments`` (one line each), ``finish`` lines, ``length`` (seconds)."""
    edl = plan.edl
    segments = []
    for number, seg in enumerate(edl.segments, start=1):
        clip = f"source[{seg.source}]" if inputs > 1 else "source"
        line = f"{number}. {clip}.subclipped({seg.start:.3f}, {seg.end:.3f})"
        if seg.speed != 1.0:
            line += f", played at speed {seg.speed:g} (vfx.MultiplySpeed({seg.speed:g}))"
        if seg.reverse:
            line += ", played backwards (vfx.TimeMirror())"
        if number > 1:
            line += {
                "cut": ", hard cut from the previous one",
                "fade": f", fades in from black over {edl.transition_s:g} s",
                "crossfade": f", crossfades over the previous one for {edl.transition_s:g} s",
            }[seg.transition]
        if seg.caption:
            line += f", with the caption {seg.caption!r}"
        segments.append(line)
    finish = []
    if edl.colour != "natural":
        finish.append(f"colour: {edl.colour} (vfx.BlackAndWhite() on the whole edit)")
    if edl.caption:
        finish.append(f"caption over the whole edit: {edl.caption!r}")
    if edl.fade_in_s:
        finish.append(f"fade in from black over {edl.fade_in_s:g} s (vfx.FadeIn)")
    if edl.fade_out_s:
        finish.append(f"fade out to black over {edl.fade_out_s:g} s (vfx.FadeOut)")
    if edl.aspect or edl.size:
        ratio = edl.size or edl.aspect
        assert ratio is not None
        finish.append(f"centre crop to {ratio[0]}:{ratio[1]} (clip.cropped)")
    if edl.audio == "mute":
        finish.append("no sound (clip.without_audio())")
    if not edl.caption and not any(seg.caption for seg in edl.segments):
        finish.append("no text on screen")
    return {
        "segments": segments,
        "finish": finish,
        "length": round(plan.expected_duration_s, 2),
        "segments_json": [seg.model_dump(exclude_defaults=True) for seg in edl.segments],
    }
