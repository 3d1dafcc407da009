"""Crossfades and dips into short shots: the plan counts each join as the render plays it.

The compiled edit caps a crossfade (a dip) at half the piece it leads into, so a crossfade into
a 1 s piece overlaps 0.5 s, not the 1 s asked. The planner counted the full crossfade, and
many short shots joined so ran long: twenty 1 s shots asked as 10 s with 1 s crossfades
rendered 11 s. Now the arithmetic is the render's, so the edit lasts what was asked; shots too
short for their joins play with a neighbour as one piece, and joins that still play shorter
than asked are named in a note.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from sandbox.edl import EditDecisionList, compile_edl, join_length
from sandbox.runner import run_script
from tasks.brief import parse_request
from tasks.measure_shots import measure_shots
from tasks.plan_edit import plan_edit
from tasks.probe import probe
from tasks.shots import Shot
from tasks.verify_edit import verify_edit
from tests.tasks.conftest import FPS, Clip

SHOTS, SHOT_S = 20, 1.0


@pytest.fixture(scope="module")
def clip(short_shots_clip: Clip) -> Path:
    assert len(short_shots_clip.cuts) == SHOTS - 1 and short_shots_clip.frames == 24 * SHOTS
    return short_shots_clip.path


def test_crossfaded_short_shots_render_the_asked_length_and_joins(
    clip: Path, shots: list[Shot], tmp_path: Path
) -> None:
    """Rendered 11 s with half-length crossfades; now 10 s of 2 s pieces (two shots each, the
    source's own cut kept in the middle) joined by full 1 s crossfades. The verifier agrees."""
    brief = parse_request("a 10-second edit with 1-second crossfades")
    plan = plan_edit(brief, shots, [SHOTS * SHOT_S])
    assert plan.expected_duration_s == pytest.approx(10.0, abs=0.02)
    assert plan.notes == []
    video = _render(plan.edl, clip, tmp_path)
    assert probe(video).duration == pytest.approx(10.0, abs=1.5 / FPS)  # within a frame
    results = {r.criterion.id: r for r in verify_edit(video, [clip], brief, shots)}
    for name in ("duration", "transitions", "transition_s"):
        assert results[name].passed, (name, results[name].measured)


def test_every_scene_of_short_shots_renders_the_asked_length(
    clip: Path, shots: list[Shot], tmp_path: Path
) -> None:
    """Every scene kept: each piece is one shot, the crossfades shortened (and said so)."""
    brief = parse_request("a 10-second edit that uses every scene, with 1-second crossfades")
    plan = plan_edit(brief, shots, [SHOTS * SHOT_S])  # rendered 11.0 s
    assert len(plan.edl.segments) == len(shots)
    assert probe(_render(plan.edl, clip, tmp_path)).duration == pytest.approx(10.0, abs=1.5 / FPS)
    assert not any("longer than" in note for note in plan.notes), plan.notes


@pytest.fixture(scope="module")
def shots(clip: Path) -> list[Shot]:
    measured = measure_shots(clip)
    assert len(measured) == SHOTS  # short shots are what this is about
    return measured


def _render(edl: EditDecisionList, clip: Path, tmp_path: Path) -> Path:
    out = run_script(compile_edl(edl), [clip], tmp_path / "joined.mp4")
    assert out.ok, out.reason
    return tmp_path / "joined.mp4"


def _shots(count: int, seconds: float) -> list[Shot]:
    return [
        Shot(
            index=k + 1,
            start_s=seconds * k,
            end_s=seconds * (k + 1),
            luma=100.0,
            motion=1.0,
            colourfulness=0.0,
            peak_s=seconds * (k + 0.5),
        )
        for k in range(count)
    ]


@pytest.mark.parametrize(
    ("count", "seconds", "request_text", "asked_s"),
    [
        (12, 1.5, "an 8-second edit with 1-second crossfades", 8.0),  # planned 10.5 s
        (20, 1.0, "a 10-second edit with 1-second crossfades", 10.0),  # 11.0 s
        (20, 1.0, "a 10-second edit with 1-second dips to black", 10.0),  # half-length dips
    ],
)
def test_shots_too_short_for_their_joins_play_in_pairs(
    count: int, seconds: float, request_text: str, asked_s: float
) -> None:
    """Neighbours play as one piece, centred on their cut: full joins, and the asked length."""
    plan = plan_edit(parse_request(request_text), _shots(count, seconds), [count * seconds])
    assert plan.expected_duration_s == pytest.approx(asked_s, abs=0.02)
    joint = plan.edl.transition_s
    assert joint == 1.0 and plan.notes == []
    for seg in plan.edl.segments:
        assert seg.end - seg.start >= 2 * joint - 1e-3  # every join plays in full
        middle = (seg.start + seg.end) / 2
        assert middle / seconds == pytest.approx(round(middle / seconds), abs=1e-3), seg


def test_joins_shorter_than_asked_keep_the_length_and_are_named() -> None:
    """Thirty 0.8 s shots, 12 s with 0.5 s crossfades (planned 12.6 s): a 0.8 s piece holds
    a 0.4 s crossfade, near enough the asked 0.5 s to keep; the length holds, a note says so."""
    request = "a 12-second edit with 0.5-second crossfades"
    plan = plan_edit(parse_request(request), _shots(30, 0.8), [24.0])
    assert plan.expected_duration_s == pytest.approx(12.0, abs=0.02)
    parts = [(s.end - s.start) / s.speed for s in plan.edl.segments[1:]]
    joins = [join_length(0.5, part) for part in parts]
    short = sum(j < 0.495 for j in joins)
    assert short and plan.notes == [
        f"{short} of {len(joins)} crossfades play as little as {min(joins):.2f} s, not 0.50 s: "
        "the shots there are shorter than two crossfades"
    ]

    # Eight 2.5 s shots, 12 s with 1 s crossfades: every piece holds two crossfades, no note.
    plan = plan_edit(
        parse_request("a 12-second edit with 1-second crossfades"), _shots(8, 2.5), [20.0]
    )
    assert plan.expected_duration_s == pytest.approx(12.0, abs=0.02)
    assert plan.notes == []


def test_crossfaded_pieces_of_one_take_never_meet_in_the_source() -> None:
    """Holdout14 case 3: a long take measured as 4 s shots whose peaks sit either side of a
    shot edge; "12 seconds at 2x, 0.5 s crossfades" cut 33.65-35.8 s then 35.8-37.95 s and
    crossfaded the take into itself a moment later (read as a 0.80 s join). Such neighbours
    now slide a second apart within their shots; the edit's length stays what was asked."""
    take = [
        Shot(
            index=k + 1,
            start_s=4.0 * k,
            end_s=4.0 * (k + 1),
            luma=100,
            motion=1.0,
            colourfulness=0.0,
            # peaks at the shared edges of shots 2-3, 4-5, ...: their windows meet there
            peak_s=4.0 * k + (3.9 if k % 2 else 0.1),
            scene=1,  # parts of one long take
        )
        for k in range(20)
    ]
    brief = parse_request("12 seconds of the street at 2x, crossfades of 0.5 s between shots")
    plan = plan_edit(brief, take, [80.0])
    segments = plan.edl.segments
    assert len(segments) > 2
    gaps = [b.start - a.end for a, b in pairwise(segments)]
    assert min(gaps) >= 1.0 - 1e-6, gaps
    assert plan.expected_duration_s == pytest.approx(12.0, abs=0.35)
