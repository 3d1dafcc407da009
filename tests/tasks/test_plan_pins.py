"""Which shot a pick that many shots meet alike opens or closes an edit on (``tasks._plan_pins``).

Holdout8 case 20: "six seconds of the trailer in the order the scenes appear, close on a
face". Every shot of the trailer has a face; the one with the most faces is its first, and
an edit in source order that ends on the first shot can show nothing before it: 2 s of 6.
Ending on the last shot with a face lets the rest of the footage play before it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from tasks.brief import Brief, CheckResult, DurationAsk, ShotPick, SpeedAsk
from tasks.plan_edit import EditPlan, plan_edit
from tasks.shots import Shot
from tests.tasks.verify_edit.conftest import (
    half_faced_shots,
    source_shots,
    write_half_faced,
    write_source,
)

# Faces seen per shot: the first shot has the most, the second none.
FACES = (2, 0, 1, 1)


def _faced() -> list[Shot]:
    return [s.model_copy(update={"faces": n}) for s, n in zip(source_shots(), FACES, strict=True)]


@pytest.mark.parametrize(
    ("order", "pick", "shot"),
    [("source", "end_on", 4), ("reverse", "start_on", 4), ("source", "start_on", 1)],
)
def test_a_face_in_an_asked_order_leaves_the_edit_its_length(
    order: Literal["source", "reverse"],
    pick: str,
    shot: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Planned, rendered in the sandbox and verified on the decoded render: the edit lasts
    what was asked, keeps the order, and opens (closes) on a shot with a face, the one that
    leaves the order room (a source-order opening was the first face already)."""
    from tasks.verify_edit import _faces

    # This source's faces are pretend: the shots decide, not a detector on the render.
    monkeypatch.setattr(_faces, "count_faces", lambda small, gray: (None, None))
    source = write_source(tmp_path / "source.mp4", (320, 180), 8.0, audio=False)
    shots = _faced()
    brief = _on_a_face(5.0, order, pick)
    plan = plan_edit(brief, shots, [8.0])
    edge = plan.provenance[-1 if pick == "end_on" else 0]
    assert edge.shot == shot, plan.provenance
    assert plan.expected_duration_s == pytest.approx(5.0, abs=0.05)
    results = _rendered_checks(plan, source, brief, shots, tmp_path / "faces.mp4")
    for name in ("duration", pick, "order"):
        assert results[name].passed, (name, results[name].measured)


@pytest.fixture(scope="module")
def half_faced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_half_faced(tmp_path_factory.mktemp("half_faced") / "source.mp4")


@pytest.mark.parametrize(
    ("order", "pick"), [("source", "end_on"), (None, "end_on"), (None, "start_on")]
)
def test_an_edit_opens_or_closes_where_the_face_was_seen(
    order: Literal["source"] | None, pick: str, half_faced: Path, tmp_path: Path
) -> None:
    """Shot 3 shows its face only in its first half (seen at 4.25 and 4.75 s, not at 5.25 or
    5.75 s): the segment that opens (closes) on it starts (ends) where the face was seen, so
    the render's own first (last) frames show the face to the detector."""
    shots = half_faced_shots()
    brief = _on_a_face(3.0, order, pick)
    plan = plan_edit(brief, shots, [8.0])
    edge = plan.provenance[-1 if pick == "end_on" else 0]
    assert edge.shot == 3, plan.provenance
    results = _rendered_checks(plan, half_faced, brief, shots, tmp_path / "faces.mp4")
    for name in ("duration", pick):
        assert results[name].passed, (name, results[name].measured)
    assert "a face in 4/4 frames" in results[pick].measured, results[pick].measured


def _on_a_face(seconds: float, order: str | None, pick: str) -> Brief:
    """``seconds`` long, in ``order``, opening (``start_on``) or closing on a face."""
    return Brief.model_validate(
        {
            "duration": DurationAsk(target_s=seconds, tolerance_s=0.3),
            "order": order,
            pick: ShotPick(kind="faces"),
        }
    )


def _rendered_checks(
    plan: EditPlan, source: Path, brief: Brief, shots: list[Shot], video: Path
) -> dict[str, CheckResult]:
    """``plan`` rendered in the sandbox, then verified on the decoded video, by criterion."""
    from sandbox.edl import compile_edl
    from sandbox.runner import run_script
    from tasks.verify_edit import verify_edit

    out = run_script(compile_edl(plan.edl), [source], video)
    assert out.ok, out.reason
    return {r.criterion.id: r for r in verify_edit(video, [source], brief, shots)}


@pytest.mark.parametrize(("pick", "shot"), [("end_on", 3), ("start_on", 3)])
def test_a_scene_counted_from_the_end_is_planned_and_checked(
    pick: str, shot: int, tmp_path: Path
) -> None:
    """Holdout12 cases 2 and 5: "close on the scene just before the final one". Of four
    scenes that is scene 3, in the plan and on the decoded render alike."""
    source = write_source(tmp_path / "source.mp4", (320, 180), 8.0, audio=False)
    shots = source_shots()
    brief = Brief.model_validate(
        {
            "duration": DurationAsk(target_s=4.0, tolerance_s=0.3),
            pick: ShotPick(kind="scene_from_end", scene=2),
        }
    )
    plan = plan_edit(brief, shots, [8.0])
    edge = plan.provenance[-1 if pick == "end_on" else 0]
    assert edge.shot == shot, plan.provenance
    assert not plan.notes
    results = _rendered_checks(plan, source, brief, shots, tmp_path / "from_end.mp4")
    for name in ("duration", pick):
        assert results[name].passed, (name, results[name].measured)


def test_a_scene_counted_past_the_first_is_noted() -> None:
    """The fifth scene from the end of four names none: the plan says so."""
    brief = Brief(
        end_on=ShotPick(kind="scene_from_end", scene=5),
        speeds=[SpeedAsk(factor=0.5, applies_to="part", pick=ShotPick(kind="scene", scene=6))],
    )
    plan = plan_edit(brief, source_shots(), [8.0])
    assert plan.notes == [
        "end on the 5th-to-last scene asked, but the footage has only 4 scenes",
        "0.5x speed of scene 6 asked, but the footage has only 4 scenes",
    ]
