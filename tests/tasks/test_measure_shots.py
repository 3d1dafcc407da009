from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from core.exceptions import FootageError
from tasks.brief import ShotPick
from tasks.measure_shots import measure_shots
from tasks.shots import Shot, pick_shot
from tests.tasks.shot_clips import FOUR_SHOTS, Look, write_shots

EXAMPLE = Path(__file__).parents[2] / "examples" / "clip.mp4"


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory) -> list[Shot]:
    path = write_shots(tmp_path_factory.mktemp("shots") / "four.mp4", FOUR_SHOTS)
    return measure_shots(path, source=2)


def test_cuts_land_on_the_shot_boundaries(four: list[Shot]) -> None:
    assert [s.index for s in four] == [1, 2, 3, 4]
    assert all(s.source == 2 for s in four)
    bounds = [round(s.start_s, 2) for s in four] + [round(four[-1].end_s, 2)]
    assert bounds == pytest.approx([0.0, 2.0, 4.0, 6.0, 8.0], abs=1 / 24 + 1e-6)
    assert all(a.end_s == b.start_s for a, b in itertools.pairwise(four))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("brightest", 3),
        ("darkest", 1),
        ("most_motion", 2),
        ("most_colourful", 4),
        ("least_motion", 1),
    ],
)
def test_superlatives_resolve_to_the_known_shot(four: list[Shot], kind: str, expected: int) -> None:
    shot = pick_shot(four, ShotPick(kind=kind))  # type: ignore[arg-type]
    assert shot is not None and shot.index == expected


def test_measurements_have_the_known_values(four: list[Shot]) -> None:
    dark, busy, bright, red = four
    assert dark.luma < 40 < busy.luma < 150 < bright.luma
    assert dark.motion < 0.5 and bright.motion < 0.5 and busy.motion > 2
    assert red.colourfulness > 200 > 20 > max(dark.colourfulness, bright.colourfulness)
    assert dark.faces == 0


def test_peak_is_where_the_motion_is(four: list[Shot]) -> None:
    busy = four[1]
    # The box only moves in the second half of shot 2 (source 3.0-4.0 s).
    assert 3.0 <= busy.peak_s < 4.0


def test_a_long_take_is_split_into_parts(tmp_path: Path) -> None:
    clip = write_shots(tmp_path / "take.mp4", (Look((90, 90, 90), 10.0, box_speed=2),), audio=False)
    shots = measure_shots(clip)
    assert len(shots) == 3
    assert shots[0].start_s == 0 and shots[-1].end_s == pytest.approx(10.0)
    assert all(3.2 < s.duration_s < 3.5 for s in shots)
    assert all(s.start_s <= s.peak_s < s.end_s for s in shots)
    # The parts are one scene as a viewer counts scenes: "scene 1" opens on the first part.
    assert [s.scene_no for s in shots] == [1, 1, 1]
    assert pick_shot(shots, ShotPick(kind="scene", scene=1)) == shots[0]
    assert pick_shot(shots, ShotPick(kind="scene", scene=2)) is None


def test_parts_of_a_long_take_keep_the_scene_between_its_cuts(tmp_path: Path) -> None:
    looks = (Look((30, 30, 30), 2.0), Look((200, 200, 200), 9.0, box_speed=2))
    shots = measure_shots(write_shots(tmp_path / "two.mp4", looks, audio=False))
    assert [s.scene_no for s in shots] == [1, 2, 2, 2]
    assert [s.index for s in shots] == [1, 2, 3, 4]
    assert pick_shot(shots, ShotPick(kind="scene", scene=2)) == shots[1]


def test_faces_are_counted_per_shot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The measure pass counts faces on frames of every shot (here: a bright frame has one)."""
    import numpy as np

    from tasks.footage import faces

    seen: list[tuple[int, int]] = []

    def count(small: np.ndarray, gray: np.ndarray) -> tuple[int, str]:
        seen.append(gray.shape)
        return (1 if gray.mean() > 200 else 0), "fake"

    monkeypatch.setattr(faces, "count_faces", count)
    monkeypatch.setattr(faces, "faces_available", lambda: True)
    shots = measure_shots(write_shots(tmp_path / "four.mp4", FOUR_SHOTS, audio=False))
    assert [s.faces for s in shots] == [0, 0, 1, 0]
    assert pick_shot(shots, ShotPick(kind="faces")) == shots[2]
    # Where in the shot a face was seen: every counted frame of the bright shot, inside it.
    assert [bool(s.face_s) for s in shots] == [False, False, True, False]
    bright = shots[2]
    assert all(bright.start_s <= t < bright.end_s for t in bright.face_s), bright
    assert list(bright.face_s) == sorted(bright.face_s) and len(bright.face_s) >= 2
    assert 8 <= len(seen) <= 24  # a frame or two a second, not every frame


def test_faces_in_the_trailer_and_none_in_the_street_crowd(megamind: Path, vtest: Path) -> None:
    from tasks.footage import faces_available

    if not faces_available():
        pytest.skip("no face detector installed")
    trailer = measure_shots(megamind)
    assert sum(s.faces > 0 for s in trailer) >= 2, [s.faces for s in trailer]
    assert all(s.faces == 0 for s in measure_shots(vtest))


def test_not_a_video_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 10)
    with pytest.raises(FootageError):
        measure_shots(junk)


@pytest.mark.skipif(not EXAMPLE.is_file(), reason="examples/clip.mp4 missing")
def test_the_example_clip_measures_in_well_under_a_second() -> None:
    measure_shots(EXAMPLE)  # warm imports
    began = time.perf_counter()
    shots = measure_shots(EXAMPLE)
    elapsed = time.perf_counter() - began
    assert len(shots) >= 2
    assert elapsed < 1.0, f"measure_shots took {elapsed:.2f} s"
