"""A start or end on "a face" is read from the render's own first or last frames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tasks.brief import Brief, CheckResult, ShotPick
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

from .conftest import half_faced_shots, render, write_half_faced


@pytest.fixture(scope="module")
def half_faced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_half_faced(tmp_path_factory.mktemp("half_faced") / "source.mp4")


def _shots() -> list[Shot]:
    return half_faced_shots()


def _check(
    source: Path, tmp_path: Path, name: str, ranges: list[tuple[float, float]]
) -> dict[str, CheckResult]:
    out = render(source, tmp_path / f"{name}.mp4", ranges)
    brief = Brief(start_on=ShotPick(kind="faces"), end_on=ShotPick(kind="faces"))
    return {r.criterion.id: r for r in verify_edit(out, [source], brief, _shots())}


def test_an_end_on_a_face_needs_the_face_on_the_last_frames(
    half_faced: Path, tmp_path: Path
) -> None:
    """Both edits end on shot 3, the shot with a face; only the one ending in its first half
    shows the face at the end. Likewise for the opening."""
    on_face = _check(half_faced, tmp_path, "face", [(4.0, 5.0), (0.5, 1.5), (4.0, 5.0)])
    for pick in ("start_on", "end_on"):
        assert on_face[pick].passed is True, on_face[pick].measured
        assert "scene 3" in on_face[pick].measured
    faceless = _check(half_faced, tmp_path, "no-face", [(5.0, 6.0), (0.5, 1.5), (5.0, 6.0)])
    for pick in ("start_on", "end_on"):
        assert faceless[pick].passed is False, faceless[pick].measured
        assert "scene 3" in faceless[pick].measured
    assert "a face in 0/4 frames of the first 0.5 s" in faceless["start_on"].measured
    assert on_face["end_on"].measured.endswith(
        "a shot with a face: a face in 4/4 frames of the last 0.5 s"
    ), on_face["end_on"].measured


def test_a_black_tail_is_not_the_close_looked_at(half_faced: Path, tmp_path: Path) -> None:
    """The closing frames a face is looked for on are the last that show the source: black
    held after the face (longer than the span looked at) shows nothing, and is no face gone."""

    def black_tail(clip: Any, src: Any) -> Any:
        from moviepy import ColorClip, concatenate_videoclips

        tail = ColorClip(clip.size, (0, 0, 0), duration=0.75)
        return concatenate_videoclips([clip, tail])

    out = render(half_faced, tmp_path / "tail.mp4", [(0.5, 1.5), (3.9, 5.0)], extra=black_tail)
    brief = Brief(end_on=ShotPick(kind="faces"))
    results = {r.criterion.id: r for r in verify_edit(out, [half_faced], brief, _shots())}
    assert results["end_on"].passed is True, results["end_on"].measured
