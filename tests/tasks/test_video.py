"""The decode pass (``tasks._video``) across the codecs and pixel formats footage arrives in.

The synthetic clips of ``conftest`` are all MJPEG from OpenCV; real footage is H.264, VP9,
FFV1 masters, 4:4:4, 10-bit, gray, odd sizes. Each of those takes a different path through
``sample_frames``: planar 8-bit YUV is read plane by plane, anything else goes through FFmpeg's
converter. These clips are written with PyAV, with three scenes of known colours, so every
path is checked for frame counts, cuts and colours against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.exceptions import FootageError
from tasks._video import open_video
from tasks.footage import decode as footage_decode
from tasks.footage import sample_frames
from tasks.probe import probe

PER_SCENE = 24
# BGR; one clearly red, one green, one blue scene.
SCENE_COLOURS = ((30, 30, 210), (40, 200, 40), (210, 60, 30))


@dataclass(frozen=True)
class _Case:
    name: str
    container: str
    codec: str
    pix_fmt: str
    size: tuple[int, int]


CASES = [
    # The everyday delivery format, at a height that is not a multiple of 4.
    _Case("h264-yuv420p", "mp4", "libx264", "yuv420p", (162, 122)),
    # Odd sides: chroma planes are rounded up, luma is not.
    _Case("ffv1-odd-yuv420p", "mkv", "ffv1", "yuv420p", (161, 121)),
    _Case("ffv1-yuv444p", "mkv", "ffv1", "yuv444p", (160, 120)),
    _Case("vp9-yuv420p", "webm", "libvpx-vp9", "yuv420p", (160, 120)),
    # Not planar 8-bit YUV: FFmpeg's converter makes the detector copy.
    _Case("ffv1-gray", "mkv", "ffv1", "gray", (160, 120)),
    _Case("ffv1-yuv420p10le", "mkv", "ffv1", "yuv420p10le", (160, 120)),
]


def _write(path: Path, case: _Case) -> Path:
    import av

    rng = np.random.default_rng(7)
    width, height = case.size
    with av.open(str(path), "w") as out:
        stream = out.add_stream(case.codec, rate=24)
        stream.width, stream.height, stream.pix_fmt = width, height, case.pix_fmt
        if case.codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        for colour in SCENE_COLOURS:
            texture = rng.integers(0, 25, (height, width, 1), dtype=np.int16)
            look = np.clip(np.array(colour, np.int16) + texture, 0, 255).astype(np.uint8)
            for index in range(PER_SCENE):
                image = look.copy()
                x = index * 3 % (width - 20)
                image[40:70, x : x + 20] = 0  # a moving box: scenes are not still pictures
                frame = av.VideoFrame.from_ndarray(image, format="bgr24")
                for packet in stream.encode(frame):
                    out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def coded_clip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    case: _Case = request.param
    folder = tmp_path_factory.mktemp(case.name)
    return case, _write(folder / f"clip.{case.container}", case)


def test_probe_counts_every_frame(coded_clip: Any) -> None:
    case, path = coded_clip
    result = probe(path)
    assert result.frames == PER_SCENE * len(SCENE_COLOURS)
    assert (result.width, result.height) == case.size
    assert result.lost_frames == 0


def test_sampling_finds_the_cuts_and_keeps_the_colours(coded_clip: Any, tmp_path: Path) -> None:
    import cv2

    case, path = coded_clip
    manifest = sample_frames(path, tmp_path, max_frames=6)
    assert manifest.decoded_frames == PER_SCENE * len(SCENE_COLOURS)
    starts = [s.start_frame for s in manifest.scenes[1:]]
    assert starts == pytest.approx([PER_SCENE, 2 * PER_SCENE], abs=1), starts
    gray = case.pix_fmt == "gray"
    for frame in manifest.frames:
        image = cv2.imread(str(frame.path)).astype(np.float64)
        # Away from the moving box, the picture is the scene's colour (gray: its luma).
        patch = image[int(image.shape[0] * 0.75) :, :].reshape(-1, 3).mean(axis=0)
        expected = np.array(SCENE_COLOURS[frame.scene], np.float64)
        if gray:
            luma = expected @ np.array([0.114, 0.587, 0.299])
            expected = np.full(3, luma)
        # The texture adds 12 on average; chroma subsampling and JPEG blur the rest.
        assert np.abs(patch - (expected + 12)).max() < 30, (frame.scene, patch, expected)


@pytest.mark.parametrize("colour", SCENE_COLOURS)
def test_detector_copy_has_the_frame_colour(colour: tuple[int, int, int]) -> None:
    """The copy built from YUV planes matches FFmpeg's own BGR conversion of the frame."""
    import av

    image = np.empty((120, 160, 3), np.uint8)
    image[:] = colour
    for pix_fmt in ("yuv420p", "yuvj420p", "yuv422p", "yuv444p", "gray", "nv12"):
        frame = av.VideoFrame.from_ndarray(image, format="bgr24").reformat(format=pix_fmt)
        small, luma = footage_decode._small_copy(frame, (96, 72))
        assert small.shape == (72, 96, 3) and luma.shape == (72, 96)
        reference = frame.to_ndarray(format="bgr24").reshape(-1, 3).mean(axis=0)
        assert np.abs(small.reshape(-1, 3).mean(axis=0) - reference).max() < 6, pix_fmt


def test_a_file_with_audio_only_is_not_a_video(tmp_path: Path) -> None:
    import av

    path = tmp_path / "tone.wav"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=8000)
        samples = (np.sin(np.arange(8000) / 10.0) * 8000).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = 8000
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with pytest.raises(FootageError, match="not a video"):
        open_video(path, path.stat().st_size)


@pytest.mark.parametrize("rotation", [90, -90, 180])
def test_phone_footage_is_turned_upright_as_players_show_it(rotation: int, tmp_path: Path) -> None:
    """Portrait phone video is landscape frames plus a display rotation: the frames shown to
    the vision model, their size in the manifest and the probe's size are the upright ones,
    the same picture OpenCV's auto-rotating ``VideoCapture`` gives."""
    import av
    import cv2

    image = np.zeros((120, 160, 3), np.uint8)
    image[:40, :50] = (0, 0, 255)  # a red corner: any turn moves it somewhere else
    image[80:, 100:] = (255, 0, 0)
    path = tmp_path / "phone.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        stream.set_display_rotation(rotation)
        for _ in range(12):
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)

    capture = cv2.VideoCapture(str(path))
    ok, shown = capture.read()
    capture.release()
    assert ok
    upright = (120, 160) if rotation != 180 else (160, 120)
    assert shown.shape[1::-1] == upright, "OpenCV should auto-rotate: the reference is wrong"

    assert (probe(path).width, probe(path).height) == upright
    manifest = sample_frames(path, tmp_path / "out", max_frames=1)
    (frame,) = manifest.frames
    assert (manifest.video.width, manifest.video.height) == upright
    assert frame.width < frame.height if rotation != 180 else frame.width > frame.height
    ours = cv2.imread(str(frame.path)).astype(np.float64)
    theirs = cv2.resize(shown, (frame.width, frame.height), interpolation=cv2.INTER_AREA)
    assert np.abs(ours - theirs).mean() < 12
