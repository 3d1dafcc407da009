"""A start or end on "a face" is read from the render's own first or last frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tasks.brief import Brief, CheckResult, ShotPick
from tasks.shots import Shot
from tasks.verify_edit import verify_edit

from .conftest import FPS, SHOT_S, render, source_shots, write_source

# Shot 3 (4-6 s) shows a face, a Megamind close-up pasted top left, in its first half only.
_FACE_FROM, _FACE_TO = 2 * SHOT_S, 2.5 * SHOT_S
_CLOSE_UP = 150  # Megamind's frames from here on show one character facing the camera


def _close_ups(megamind: Path, count: int, width: int) -> list[np.ndarray]:
    import cv2

    capture = cv2.VideoCapture(str(megamind))
    capture.set(cv2.CAP_PROP_POS_FRAMES, _CLOSE_UP)
    pictures = []
    for _ in range(count):
        ok, bgr = capture.read()
        assert ok
        height = round(bgr.shape[0] * width / bgr.shape[1])
        small = cv2.resize(bgr, (width, height), interpolation=cv2.INTER_AREA)
        pictures.append(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
    capture.release()
    return pictures


@pytest.fixture(scope="module")
def half_faced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tasks.footage import faces_available

    from ...conftest import MEGAMIND

    if not MEGAMIND.exists():
        pytest.skip(f"shared footage missing: {MEGAMIND}")
    if not faces_available():
        pytest.skip("no face detector (BlazeFace model or Haar cascade) is installed")
    # Moving pictures, so every frame of the face half still has a fingerprint of its own.
    faces = _close_ups(MEGAMIND, round((_FACE_TO - _FACE_FROM) * FPS), 160)

    def paint(t: float, rgb: np.ndarray) -> np.ndarray:
        if _FACE_FROM <= t < _FACE_TO:
            face = faces[min(len(faces) - 1, round((t - _FACE_FROM) * FPS))]
            rgb[8 : 8 + face.shape[0], 8 : 8 + face.shape[1]] = face
        return rgb

    folder = tmp_path_factory.mktemp("half_faced")
    return write_source(folder / "source.mp4", (320, 180), 8.0, audio=False, paint=paint)


def _shots() -> list[Shot]:
    # As measure_shots counts them (one frame every 0.5 s): shot 3's 4.25 and 4.75 s frames
    # show the face, so the shot is one "with a face"; no other shot has one.
    return [s.model_copy(update={"faces": int(s.index == 3)}) for s in source_shots()]


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
