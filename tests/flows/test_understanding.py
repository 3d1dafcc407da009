"""The job's brief times the request's frames at its footage's rate (``flows._understanding``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from flows._understanding import footage_fps, understand_request
from flows.spec import JobSpec


def _clip(path: Path, fps: float) -> Path:
    """A few flat frames at ``fps``: only the header's rate matters here."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (64, 48))
    assert writer.isOpened()
    for shade in range(0, 240, 20):
        writer.write(np.full((48, 64, 3), shade, np.uint8))
    writer.release()
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rates")
    return {
        "10": _clip(folder / "ten.avi", 10.0),
        "24": _clip(folder / "twenty-four.avi", 24.0),
        "24b": _clip(folder / "twenty-four-b.avi", 24.0),
    }


def _spec(request: str, footage: list[Path], tmp_path: Path) -> JobSpec:
    # No understand_intent step: the brief is the parse alone, and no model is asked.
    return JobSpec(
        name="frames",
        request=request,
        footage=footage,
        output_dir=tmp_path,
        steps=("sample_frames",),
    )


def test_the_footage_rate_is_one_rate_or_none(clips: dict[str, Path]) -> None:
    assert footage_fps([clips["10"]]) == 10.0
    assert footage_fps([clips["24"], clips["24b"]]) == 24.0
    assert footage_fps([clips["24"], clips["10"]]) is None  # a frame of which clip?


def test_the_job_reads_frames_at_its_footage_rate(clips: dict[str, Path], tmp_path: Path) -> None:
    request = "00:00:12:05 - 00:00:18:05, then frames 480-500, with 6-frame dissolves"
    brief = understand_request(_spec(request, [clips["10"]], tmp_path), None).brief
    assert brief.use is not None and brief.use.ranges == [(12.5, 18.5), (48.0, 50.0)]
    assert brief.transition_s == 0.6 and brief.free_text == []


def test_clips_of_different_rates_leave_frames_to_the_request(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    footage = [clips["24"], clips["10"]]
    brief = understand_request(_spec("frames 48-96", footage, tmp_path), None).brief
    assert brief.use is None and brief.free_text == ["frames 48-96"]
    said = understand_request(
        _spec("frames 48-96 (the clips run at 24 fps)", footage, tmp_path), None
    )
    assert said.brief.use is not None and said.brief.use.ranges == [(2.0, 4.0)]
