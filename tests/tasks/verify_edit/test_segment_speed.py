"""A segment of mostly tied frames (a near-still picture) is timed over its whole length.

Blind holdout12 case 4: 40-42 s of the street slowed to half speed between two 0.5 s
crossfades. Its frames tie with their neighbours, so matching follows the pace of the few
timed frames at its start, a crossfade's blend among them, and the piece read 0.70x. Each
frame's own best moment, over the whole piece, times it.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.edl import EditDecisionList, compile_edl
from sandbox.runner import run_script
from tasks.brief import Brief, ShotPick, SpeedAsk
from tasks.verify_edit import verify_edit


def test_a_slowed_near_still_piece_between_crossfades_reads_its_speed(
    vtest: Path, tmp_path: Path
) -> None:
    from tasks.measure_shots import measure_shots

    pieces = [(20.0, 24.0, 1.0), (40.0, 42.0, 0.5), (60.0, 64.0, 1.0)]
    edl = EditDecisionList.model_validate(
        {
            "segments": [
                {"start": a, "end": b, "speed": v, "transition": "crossfade" if n else "cut"}
                for n, (a, b, v) in enumerate(pieces)
            ],
            "transition_s": 0.5,
        }
    )
    video = tmp_path / "slowed.mp4"
    ran = run_script(compile_edl(edl), [vtest], video)
    assert ran.ok, ran.reason
    at_40 = ShotPick(kind="time", time_s=40.0)
    brief = Brief(speeds=[SpeedAsk(factor=0.5, applies_to="part", pick=at_40)])
    (speed,) = [
        r
        for r in verify_edit(video, [vtest], brief, measure_shots(vtest))
        if r.criterion.kind == "speed"
    ]
    assert speed.passed is True, speed.measured
