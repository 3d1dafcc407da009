"""Played backwards: the plan reverses time, the render shows it, and the verifier reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.edl import compile_edl
from sandbox.runner import run_script
from tasks.brief import Brief, CheckResult, DurationAsk
from tasks.plan_edit import plan_edit
from tasks.shots import Shot
from tasks.verify_edit import verify_edit


def _rendered(brief: Brief, source: Path, shots: list[Shot], out: Path, flip: bool) -> Path:
    plan = plan_edit(brief, shots, [8.0])
    edl = plan.edl
    if flip:  # the plan as it was before playback was planned: forwards
        segments = [s.model_copy(update={"reverse": False}) for s in edl.segments]
        edl = edl.model_copy(update={"segments": segments})
    done = run_script(compile_edl(edl), [source], out)
    assert done.ok, done.reason
    return out


def _playback(video: Path, source: Path, shots: list[Shot], brief: Brief) -> CheckResult:
    results = {r.criterion.id: r for r in verify_edit(video, [source], brief, shots)}
    return results["playback"]


@pytest.mark.parametrize("order", [None, "source"])
def test_an_edit_played_backwards_runs_backwards(
    source: Path, shots: list[Shot], tmp_path: Path, order: str | None
) -> None:
    brief = Brief.model_validate(
        {"playback": "reverse", "order": order, "duration": DurationAsk(target_s=4.0)}
    )
    plan = plan_edit(brief, shots, [8.0])
    assert all(s.reverse for s in plan.edl.segments)
    starts = [s.start for s in plan.edl.segments]
    # Time backwards shows the last shot first; asked in source order, each shot backwards.
    assert starts == sorted(starts, reverse=order is None)
    back = _playback(
        _rendered(brief, source, shots, tmp_path / "b.mp4", False), source, shots, brief
    )
    assert back.passed is True, back.measured
    forwards = _rendered(brief, source, shots, tmp_path / "f.mp4", True)
    wrong = _playback(forwards, source, shots, brief)
    assert wrong.passed is False and "forwards:" in wrong.measured, wrong.measured


def test_forwards_in_the_wrong_order_is_not_time_running_backwards(
    source: Path, shots: list[Shot], tmp_path: Path
) -> None:
    # Every shot backwards but in source order: not the whole edit running backwards.
    played = Brief(playback="reverse", order="source", duration=DurationAsk(target_s=4.0))
    video = _rendered(played, source, shots, tmp_path / "s.mp4", False)
    asked = Brief(playback="reverse", duration=DurationAsk(target_s=4.0))
    result = _playback(video, source, shots, asked)
    assert result.passed is False and "out of order" in result.measured, result.measured


def test_a_looping_shot_played_backwards_is_one_appearance(tmp_path: Path) -> None:
    """Holdout8 case 1: the example clip's last scene loops, so its backwards pieces map to
    the same moments again and again; they are one appearance of that shot, not a return."""
    from tasks.brief import SourceUse
    from tasks.measure_shots import measure_shots

    clip = Path(__file__).resolve().parents[3] / "examples" / "clip.mp4"
    shots = measure_shots(clip)
    brief = Brief(playback="reverse", fade_in=True, use=SourceUse(kind="all"))
    video = tmp_path / "loop.mp4"
    plan = plan_edit(brief, shots, [shots[-1].end_s])
    assert run_script(compile_edl(plan.edl), [clip], video).ok
    result = _playback(video, clip, shots, brief)
    assert result.passed is True, result.measured
