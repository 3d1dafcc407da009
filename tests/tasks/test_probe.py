"""``tasks.probe`` and ``studio footage probe``: on the real clips, synthetic ones and bad input."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.exceptions import FootageError
from tasks.probe import VideoProbe, declared_fps, fingerprint, probe
from tests.tasks.conftest import BAD_INPUT_MESSAGES, Clip

STUDIO = Path(sys.executable).with_name("studio")


def _decode_count(path: Path) -> int:
    import cv2

    capture = cv2.VideoCapture(str(path))
    count = 0
    while capture.read()[0]:
        count += 1
    capture.release()
    return count


def test_probe_megamind(megamind: Path) -> None:
    result = probe(megamind)
    assert (result.width, result.height) == (720, 528)
    assert result.frames == 270 == _decode_count(megamind)
    assert result.fps == pytest.approx(23.976, abs=1e-3)
    assert result.duration == pytest.approx(270 / 23.976, abs=1e-3)
    assert result.codec == "mpeg4/XVID"
    assert result.size_bytes == megamind.stat().st_size
    assert result.sha256 == hashlib.sha256(megamind.read_bytes()).hexdigest()
    assert result.lost_frames == 0


def test_probe_vtest(vtest: Path) -> None:
    result = probe(vtest)
    assert (result.width, result.height, result.fps) == (768, 576, 10.0)
    assert result.frames == 795
    assert result.duration == pytest.approx(79.5)
    assert result.codec == "msmpeg4/div3"


def test_the_declared_rate_is_the_probed_one_read_from_the_header(
    megamind: Path, vtest: Path, cut_clip: Clip
) -> None:
    for clip in (megamind, vtest, cut_clip.path):
        assert declared_fps(clip) == probe(clip).fps
    assert declared_fps(vtest) == 10.0 and declared_fps(cut_clip.path) == 24.0


def test_probe_synthetic_clip(cut_clip: Clip) -> None:
    result = probe(cut_clip.path)
    assert (result.width, result.height) == (160, 120)
    assert result.frames == result.declared_frames == cut_clip.frames
    assert result.codec == "mjpeg/MJPG"


def test_probe_trusts_decoding_over_the_header(truncated_clip: Path, cut_clip: Clip) -> None:
    result = probe(truncated_clip)
    assert result.declared_frames == cut_clip.frames
    assert 0 < result.frames < cut_clip.frames
    assert result.frames == _decode_count(truncated_clip)
    assert result.lost_frames == cut_clip.frames - result.frames
    assert result.duration == pytest.approx(result.frames / result.fps)


def test_probe_damaged_middle_keeps_what_decodes_after_it(
    damaged_clip: Path, cut_clip: Clip
) -> None:
    result = probe(damaged_clip)
    # The noise covers 40..60% of the bytes: frames past 60% decode again and are counted.
    assert cut_clip.frames * 0.6 < result.frames < cut_clip.frames
    assert result.lost_frames == cut_clip.frames - result.frames


@pytest.mark.parametrize("kind", sorted(BAD_INPUT_MESSAGES))
def test_probe_bad_input_is_a_one_line_footage_error(
    bad_inputs: dict[str, Path], kind: str
) -> None:
    with pytest.raises(FootageError) as caught:
        probe(bad_inputs[kind])
    message = str(caught.value)
    assert BAD_INPUT_MESSAGES[kind] in message
    assert "\n" not in message
    assert str(bad_inputs[kind]) in message


def test_probe_unreadable_file(unreadable_clip: Any) -> None:
    import cv2  # noqa: F401 - imported before dropping privileges: nobody cannot read the venv

    with unreadable_clip() as locked, pytest.raises(FootageError, match="permission denied"):
        probe(locked)


def test_fingerprint_is_the_probe_sha_without_decoding(
    cut_clip: Clip, bad_inputs: dict[str, Path]
) -> None:
    assert fingerprint(cut_clip.path) == probe(cut_clip.path).sha256
    with pytest.raises(FootageError, match="empty file"):
        fingerprint(bad_inputs["empty"])


def test_probe_json_round_trips(megamind: Path) -> None:
    result = probe(megamind)
    again = VideoProbe.model_validate_json(result.model_dump_json())
    assert again == result


def _studio(*args: str) -> subprocess.CompletedProcess[str]:
    if not STUDIO.exists():
        pytest.skip(f"the studio command is not installed next to {sys.executable}")
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [str(STUDIO), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_cli_probe_json(megamind: Path) -> None:
    done = _studio("footage", "probe", str(megamind), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"frames", "fps", "duration", "width", "height", "sha256"} <= set(data)
    assert data["frames"] == 270
    assert data["sha256"] == hashlib.sha256(megamind.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ["missing", "text", "absurd_frame_size"])
def test_cli_probe_bad_input_one_line_no_traceback(bad_inputs: dict[str, Path], kind: str) -> None:
    done = _studio("footage", "probe", str(bad_inputs[kind]))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and BAD_INPUT_MESSAGES[kind] in lines[0]
    assert "Traceback" not in done.stderr
