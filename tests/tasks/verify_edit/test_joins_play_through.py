"""Shot changes the verifier must see and must not invent (blind holdout5 cases 6 and 24).

A render that plays on through the source's own cuts shows them to the viewer: the verifier
names them (no join of the edit, so judged neither way), at slowed speeds too. A crossfade out
of a shot whose frames nearly tie is one crossfade, not a cut and a crossfade.
"""

from __future__ import annotations

import re
from pathlib import Path

from tasks.brief import Brief, DurationAsk
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

from .conftest import Build

EXAMPLE = Path(__file__).parents[3] / "examples" / "clip.mp4"


def _changes(text: str) -> list[tuple[str, float]]:
    """'cut at 1.3 s, crossfade at 4.0 s' -> [('cut', 1.3), ('crossfade', 4.0)]."""
    return [
        (kind, float(t)) for kind, t in re.findall(r"(cut|crossfade|fade) at ([0-9.]+) s", text)
    ]


def _near(found: list[tuple[str, float]], expected: list[tuple[str, float]]) -> bool:
    """The same kinds in order, each within a frame or two of its expected output time."""
    return len(found) == len(expected) and all(
        k == e and abs(t - te) <= 0.1 for (k, t), (e, te) in zip(found, expected, strict=True)
    )


def _transitions(video: Path, source: Path, shots: list[Shot], asked: str) -> tuple[bool, str]:
    brief = Brief(transitions=asked)  # type: ignore[arg-type]
    (result,) = [
        r for r in verify_edit(video, [source], brief, shots) if r.criterion.kind == "transitions"
    ]
    return bool(result.passed), result.measured


def test_play_through_the_sources_cuts_at_three_quarter_speed_names_them(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    """Holdout5 case 24: 3-9 s at 0.75x read "no shot changes (one continuous shot)" though it
    shows three scenes. Source 1-7 s at 0.75x crosses the source's cuts at 2, 4 and 6 s: output
    1.33, 4.0 and 6.67 s."""
    video = build("through-075", [(1.0, 7.0)], speed=0.75, audio=False)
    ok, measured = _transitions(video, source, shots, "cut")
    assert ok, measured
    edit, _, own = measured.partition("plays on through the source's own")
    assert edit.startswith("no join made by the edit"), measured
    assert _near(_changes(own), [("cut", 1.33), ("cut", 4.0), ("cut", 6.67)]), measured


def test_real_cuts_at_three_quarter_speed_are_measured_as_cuts(
    build: Build, source: Path, shots: list[Shot]
) -> None:
    """The edit's own cuts at 0.75x, beside a cut of the source played through: an edit cut at
    output 5.33 s (play from 1 s into 5 s, then 6.2 s on), the source's at 1.33 and 4.0 s."""
    video = build("cuts-075", [(1.0, 5.0), (6.2, 7.8)], speed=0.75, audio=False)
    ok, measured = _transitions(video, source, shots, "cut")
    assert ok, measured
    edit, _, own = measured.partition("plus the source's own")
    assert edit.startswith("1 shot change:") and _near(_changes(edit), [("cut", 5.33)]), measured
    assert _near(_changes(own), [("cut", 1.33), ("cut", 4.0)]), measured
    # Asked crossfades, the edit's hard cut fails them.
    jumped = build("jumps-075", [(4.2, 5.8), (0.2, 1.8), (6.2, 7.8)], speed=0.75, audio=False)
    ok, measured = _transitions(jumped, source, shots, "crossfade")
    assert not ok and measured.startswith("2 shot changes"), measured
    assert _near(_changes(measured), [("cut", 2.13), ("cut", 4.27)]), measured


def test_a_crossfade_out_of_a_nearly_still_shot_is_one_crossfade(tmp_path: Path) -> None:
    """Holdout5 case 6 end to end: the example clip last-to-first with 0.5 s crossfades. Scene
    3's frames nearly tie; the first blended frames of its crossfade into scene 2 mapped to
    another moment of it, and that jump inside scene 3 read as a cut beside the crossfade."""
    from sandbox.edl import compile_edl
    from sandbox.runner import run_script
    from tasks.measure_shots import measure_shots
    from tasks.plan_edit import plan_edit

    brief = Brief(order="reverse", transitions="crossfade", duration=DurationAsk(target_s=8.0))
    shots = measure_shots(EXAMPLE)
    plan = plan_edit(brief, shots, [shots[-1].end_s])
    video = tmp_path / "reverse.mp4"
    out = run_script(compile_edl(plan.edl), [EXAMPLE], video)
    assert out.ok, out.reason
    ok, measured = _transitions(video, EXAMPLE, shots, "crossfade")
    assert ok, measured
    assert measured.startswith(f"{len(plan.edl.segments) - 1} shot changes"), measured


def test_a_dip_to_black_into_a_still_shots_end_plays_its_cut_through(tmp_path: Path) -> None:
    """Holdout6 case 4 end to end: 2-6 s, a dip to black, then 7-9 s of the example clip. The
    second piece fades up on the last half-second of still scene 3, whose dimmed frames match
    its middle as well as its end; the source's cut at 7.5 s that follows read as the edit's
    cut beside the dip, not as the source's own change played through."""
    from sandbox.edl import compile_edl
    from sandbox.runner import run_script
    from tasks.brief import SourceUse
    from tasks.measure_shots import measure_shots
    from tasks.plan_edit import plan_edit

    use = SourceUse(kind="ranges", ranges=[(2.0, 6.0), (7.0, 9.0)])
    brief = Brief(use=use, transitions="fade", fade_in=False)
    shots = measure_shots(EXAMPLE)
    plan = plan_edit(brief, shots, [shots[-1].end_s])
    assert [(s.start, s.end) for s in plan.edl.segments] == [(2.0, 6.0), (7.0, 9.0)]
    video = tmp_path / "dip.mp4"
    out = run_script(compile_edl(plan.edl), [EXAMPLE], video)
    assert out.ok, out.reason
    ok, measured = _transitions(video, EXAMPLE, shots, "fade")
    assert ok, measured
    edit, _, own = measured.partition("plus the source's own")
    # One join, the dip (its frames fading up tie with scene 3's middle: timed near 4 s).
    assert [(k, round(t)) for k, t in _changes(edit)] == [("fade", 4)], measured
    assert _near(_changes(own)[-1:], [("cut", 4.5)]), measured
