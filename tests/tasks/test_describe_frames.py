"""``tasks.describe_frames``: each measurement against images whose answer is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tasks.describe_frames import (
    FrameDescriptors,
    describe_frame,
    faces_available,
    gray_thumbnail,
    motion_between,
)


def _flat(value: int | tuple[int, int, int], size: tuple[int, int] = (120, 160)) -> np.ndarray:
    image = np.empty((*size, 3), np.uint8)
    image[:] = value
    return image


def _checkerboard(cell: int = 8, size: tuple[int, int] = (120, 160)) -> np.ndarray:
    ys, xs = np.indices(size)
    board = (((ys // cell) + (xs // cell)) % 2 * 255).astype(np.uint8)
    return np.repeat(board[:, :, None], 3, axis=2)


def test_brightness_and_contrast() -> None:
    black, white, grey = (describe_frame(_flat(v)) for v in (0, 255, 128))
    assert black.brightness == 0.0 and white.brightness == 1.0
    assert grey.brightness == pytest.approx(128 / 255, abs=0.01)
    assert black.contrast == grey.contrast == 0.0
    board = describe_frame(_checkerboard())
    assert board.brightness == pytest.approx(0.5, abs=0.02)
    assert board.contrast == pytest.approx(0.5, abs=0.02)


def test_dominant_colours_are_named_with_shares() -> None:
    image = _flat((0, 0, 0))
    image[:, :80] = (200, 40, 30)  # BGR blue
    image[:, 80:125] = (30, 30, 200)  # red
    image[:, 125:] = (255, 255, 255)
    colours = describe_frame(image).dominant_colours
    named = {c.name: c for c in colours}
    assert list(named) == ["blue", "red", "white"]  # largest share first
    assert named["blue"].share == pytest.approx(0.5, abs=0.03)
    assert named["red"].share == pytest.approx(45 / 160, abs=0.03)
    assert named["white"].hex == "#ffffff"
    assert named["red"].hex == "#c81e1e"
    assert describe_frame(_flat((30, 200, 40))).dominant_colours[0].name == "green"


def test_saturation() -> None:
    assert describe_frame(_flat(128)).saturation == 0.0
    assert describe_frame(_flat((0, 0, 255))).saturation == pytest.approx(1.0)


def test_sharpness_drops_when_blurred() -> None:
    import cv2

    sharp = _checkerboard()
    blurred = cv2.GaussianBlur(sharp, (0, 0), 3)
    assert describe_frame(sharp).sharpness > 10 * describe_frame(blurred).sharpness
    assert describe_frame(_flat(90)).sharpness == 0.0


def test_motion_since_previous_sample() -> None:
    board = _checkerboard(cell=16)
    assert describe_frame(board).motion is None
    assert describe_frame(board, gray_thumbnail(board)).motion == 0.0
    shifted = np.roll(board, 16, axis=1)
    moved = describe_frame(shifted, gray_thumbnail(board)).motion
    assert moved is not None and moved > 0.3
    # Any gray image works as the previous sample: it is resized to the thumbnail.
    import cv2

    big_gray = cv2.cvtColor(cv2.resize(board, (640, 480)), cv2.COLOR_BGR2GRAY)
    assert describe_frame(board, big_gray).motion == pytest.approx(0.0, abs=0.02)
    # The sampler adds motion afterwards with motion_between: the very same number.
    assert motion_between(gray_thumbnail(shifted), gray_thumbnail(board)) == moved


def test_faces_with_the_bundled_haar_cascade(megamind: Path) -> None:
    import cv2

    if not faces_available():
        pytest.skip(
            f"OpenCV {cv2.__version__} ships no Haar cascade (CascadeClassifier moved out of "
            "the main wheels in 5.x): faces are reported as unknown"
        )
    assert describe_frame(_flat(128)).faces == 0
    # Megamind's title character faces the camera in most of the clip, from ~1 s on.
    capture = cv2.VideoCapture(str(megamind))
    counts = []
    index = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if index % 30 == 0:
            counts.append(describe_frame(np.asarray(frame, np.uint8)).faces)
        index += 1
    capture.release()
    assert counts[0] == 0  # the clip opens on black
    assert sum(1 for c in counts[1:] if c) >= 6, counts
    # One character faces the camera at a time: more boxes would be hair, hands or glasses,
    # which the full-size default cascade used to box.
    assert all(c is not None and c <= 1 for c in counts), counts


def test_faces_are_the_same_from_concurrent_threads(megamind: Path) -> None:
    """The sampler describes frames on a thread pool; OpenCV's cascade object is not
    thread-safe, so each thread must get the answer it would get alone."""
    from concurrent.futures import ThreadPoolExecutor

    import cv2

    if not faces_available():
        pytest.skip("this OpenCV ships no Haar cascade")
    capture = cv2.VideoCapture(str(megamind))
    frames = []
    index = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if index % 10 == 0:
            # Two sizes, so concurrent scans also differ in their buffers' shapes.
            width = 720 if index % 20 else 504
            frames.append(cv2.resize(frame, (width, width * 528 // 720)))
        index += 1
    capture.release()
    alone = [describe_frame(frame).faces for frame in frames]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            assert list(pool.map(lambda f: describe_frame(f).faces, frames)) == alone


def test_faces_unknown_not_zero_without_cascade() -> None:
    result = describe_frame(_flat(128))
    assert result.faces == (0 if faces_available() else None)
    assert ("faces n/a" in result.to_text()) == (not faces_available())


def test_to_text_is_one_compact_line(megamind: Path) -> None:
    import cv2

    capture = cv2.VideoCapture(str(megamind))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 120)
    ok, frame = capture.read()
    capture.release()
    assert ok
    frame = np.asarray(frame, np.uint8)
    text = describe_frame(frame, gray_thumbnail(frame)).to_text()
    assert "\n" not in text and len(text) < 300
    for word in ("720x528", "colours", "#", "motion", "faces"):
        assert word in text
    dark = describe_frame(_flat(10)).to_text()
    assert "very dark" in dark and "first sample" in dark and "blurred" in dark


def test_round_trips_as_json() -> None:
    result = describe_frame(_checkerboard())
    assert FrameDescriptors.model_validate_json(result.model_dump_json()) == result


@pytest.mark.parametrize(
    "image",
    [np.zeros((10, 10), np.uint8), np.zeros((0, 10, 3), np.uint8), np.zeros((4, 4, 3), np.float32)],
)
def test_rejects_non_bgr_images(image: np.ndarray) -> None:
    with pytest.raises(ValueError, match="BGR uint8"):
        describe_frame(image)
