"""The report's pictures, decoded: grid size, which shot each thumbnail shows, bounded bytes."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.exceptions import FootageError
from sandbox.edl import EditDecisionList, Segment
from tasks.plan_edit import EditPlan, PlannedSegment
from tasks.report import contact_sheet, inline_images, shot_sheet
from tests.tasks.shot_clips import SIZE, Look, write_shots

# Grey shots far from each other and from the sheet's dark background; 2 s each.
GREYS = (60, 110, 170, 230)
OTHER = (90, 200)  # a second clip, to check segments find their own source


def _greys(levels: tuple[int, ...], seconds: float = 2.0) -> tuple[Look, ...]:
    return tuple(Look((g, g, g), seconds) for g in levels)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_shots(tmp_path_factory.mktemp("contact") / "four.mp4", _greys(GREYS), audio=False)


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_shots(tmp_path_factory.mktemp("contact") / "two.mp4", _greys(OTHER), audio=False)


def _tiles(sheet: Path, columns: int, count: int) -> tuple[np.ndarray, list[float]]:
    """The sheet as grey pixels and the mean of each thumbnail's central area.

    Thumbnails are found from the sheet itself: columns bright over a fifth of their height
    (labels are sparse text, thumbnails are solid), then tall runs of bright rows.
    """
    grey = np.asarray(Image.open(sheet).convert("L"), dtype=np.float64)
    lit_cols = _runs((grey > 45).mean(axis=0) > 0.2)
    first = lit_cols[0]
    lit_rows = _runs(grey[:, first[0] : first[1]].mean(axis=1) > 45)
    # A label's text lights rows too: thumbnails are the tall runs.
    tall = max(b - a for a, b in lit_rows)
    rows = [r for r in lit_rows if r[1] - r[0] > tall // 2]
    assert len(lit_cols) == columns
    assert len(rows) == -(-count // columns)
    means = []
    for index in range(count):
        (y0, y1), (x0, x1) = rows[index // columns], lit_cols[index % columns]
        dy, dx = (y1 - y0) // 4, (x1 - x0) // 4
        means.append(float(grey[y0 + dy : y1 - dy, x0 + dx : x1 - dx].mean()))
    return grey, means


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True at least 8 long."""
    runs, start = [], None
    for i, value in enumerate([*mask.tolist(), False]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            if i - start >= 8:
                runs.append((start, i))
            start = None
    return runs


def test_contact_sheet_shows_evenly_spaced_frames(clip: Path, tmp_path: Path) -> None:
    out = contact_sheet(clip, tmp_path / "sheet.jpg", columns=4, frames=8, width=1024)
    assert out == tmp_path / "sheet.jpg"
    grey, means = _tiles(out, columns=4, count=8)
    assert grey.shape[1] == 1024
    # Frames at 0.5, 1.5, ... 7.5 s: two per 2-second shot, in order.
    expected = [GREYS[i // 2] for i in range(8)]
    assert means == pytest.approx(expected, abs=12)
    # Thumbnails keep the clip's 4:3 aspect, and the whole sheet is two rows of them.
    assert grey.shape[0] < 2 * (1024 / 4) * SIZE[1] / SIZE[0] + 100


def test_contact_sheet_other_layout(clip: Path, tmp_path: Path) -> None:
    out = contact_sheet(clip, tmp_path / "sheet.jpg", columns=3, frames=4, width=600)
    grey, means = _tiles(out, columns=3, count=4)
    assert grey.shape[1] == 600
    assert means == pytest.approx(list(GREYS), abs=12)


def test_sheet_sizes_are_bounded(clip: Path, tmp_path: Path) -> None:
    default = contact_sheet(clip, tmp_path / "a.jpg")
    assert default.stat().st_size < 100_000
    big = contact_sheet(clip, tmp_path / "b.jpg", columns=6, frames=48, width=1600)
    assert Image.open(big).size[0] == 1600
    # Eight rows of 4:3 thumbnails a sixth of the width, each with a label line.
    assert Image.open(big).size[1] < 8 * (1600 / 6 * SIZE[1] / SIZE[0] + 40)
    assert big.stat().st_size < 400_000
    assert not list(tmp_path.glob(".*partial"))


def _plan(parts: list[tuple[int, int, float, float, float]]) -> EditPlan:
    segments = [Segment(source=s, start=a, end=b, speed=v) for s, _, a, b, v in parts]
    provenance = [PlannedSegment(source=s, shot=k, why=f"shot {k} because") for s, k, *_ in parts]
    return EditPlan(
        edl=EditDecisionList(segments=segments),
        provenance=provenance,
        expected_duration_s=5.0,
        target_s=5.0,
    )


def test_shot_sheet_shows_each_segments_source_shot(
    clip: Path, other: Path, tmp_path: Path
) -> None:
    # Out of source order, across two clips, with a speed change: (source, shot, in, out, speed).
    # The first starts in shot 2 but its middle (4.4 s) is in shot 3: the middle is shown.
    plan = _plan(
        [
            (0, 3, 3.2, 5.6, 1.0),
            (1, 2, 2.5, 3.5, 2.0),
            (0, 1, 0.0, 1.5, 1.0),
            (1, 1, 0.5, 1.5, 0.5),
            (0, 4, 6.0, 8.0, 1.0),
        ]
    )
    out = shot_sheet(plan, [clip, other], tmp_path / "shots.jpg", columns=3, width=900)
    grey, means = _tiles(out, columns=3, count=5)
    assert grey.shape[1] == 900
    assert means == pytest.approx([GREYS[2], OTHER[1], GREYS[0], OTHER[0], GREYS[3]], abs=12)


def test_shot_sheet_refuses_a_missing_source(clip: Path, tmp_path: Path) -> None:
    plan = _plan([(0, 1, 0.0, 1.0, 1.0), (1, 1, 0.0, 1.0, 1.0)])
    with pytest.raises(FootageError, match="clip 2"):
        shot_sheet(plan, [clip], tmp_path / "shots.jpg")
    assert not (tmp_path / "shots.jpg").exists()


def test_unreadable_video_and_bad_layout(tmp_path: Path, clip: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all")
    with pytest.raises(FootageError):
        contact_sheet(junk, tmp_path / "x.jpg")
    with pytest.raises(ValueError):
        contact_sheet(clip, tmp_path / "x.jpg", columns=0)
    with pytest.raises(ValueError):
        contact_sheet(clip, tmp_path / "x.jpg", columns=40, width=200)


def test_inline_images_inlines_within_budget_then_links(tmp_path: Path) -> None:
    small = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(small, format="PNG")
    (tmp_path / "a.png").write_bytes(small.getvalue())
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8" + b"x" * 3000)
    (tmp_path / "c.jpg").write_bytes(b"\xff\xd8" + b"y" * 10)
    text = inline_images(tmp_path, ["a.png", "b.jpg", "missing.jpg", "c.jpg"], max_bytes=1000)
    lines = text.split("\n\n")
    assert len(lines) == 3
    head, data = lines[0].split("](data:image/png;base64,")
    assert head == "![a.png"
    assert base64.b64decode(data.rstrip(")")) == small.getvalue()
    assert lines[1] == "![b.jpg](b.jpg)"  # over the budget: a relative link
    assert lines[2].startswith("![c.jpg](data:image/jpeg;base64,")  # still fits after b
    linked = inline_images(tmp_path, ["b.jpg"], max_bytes=0, link_base="report/")
    assert linked == "![b.jpg](report/b.jpg)"
