from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sandbox.edl import EditDecisionList, compile_edl, expected_duration
from sandbox.policy import check
from sandbox.runner import run_script


def edl(**segment: object) -> EditDecisionList:
    return EditDecisionList.model_validate({"segments": [{"start": 0, "end": 1, **segment}]})


@pytest.mark.parametrize(
    "bad",
    [
        {"start": 2, "end": 1},
        {"speed": 10},
        {"repeat": 0},
        {"transition": "wipe"},
        {"caption": "x" * 81},
        {"source": -1},
        {"shell": "rm -rf /"},
    ],
)
def test_invalid_segments_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        edl(**bad)


def test_empty_list_is_rejected() -> None:
    with pytest.raises(ValidationError):
        EditDecisionList.model_validate({"segments": []})


def test_captions_cannot_smuggle_paths_or_code() -> None:
    code = compile_edl(edl(caption="see /etc/passwd or out.mp4 '); import os #"))
    assert check(code) == []
    assert "/etc/passwd" not in code
    assert "import os" not in code.split("SEGMENTS")[0]


def test_schema_is_constrained_for_the_server() -> None:
    schema = EditDecisionList.model_json_schema()
    segment = schema["$defs"]["Segment"]
    assert segment["additionalProperties"] is False
    assert segment["properties"]["transition"]["enum"] == ["cut", "fade", "crossfade"]


def test_compiled_edl_runs_with_the_planned_duration(clip: Path, tmp_path: Path) -> None:
    plan = EditDecisionList.model_validate(
        {
            "segments": [
                {"start": 0, "end": 1.5, "caption": "Intro"},
                {"start": 1, "end": 3, "speed": 2, "reverse": True, "transition": "crossfade"},
                # end beyond the 4 s clip is clamped by the compiled script
                {"start": 3, "end": 9, "repeat": 2, "transition": "fade"},
            ],
            "transition_s": 0.5,
        }
    )
    code = compile_edl(plan)
    # 1.5 + (1.0 - 0.5 crossfade overlap) + 2 x 1.0 = 4.0
    checked = run_script(code, [clip], None, validate_only=True)
    assert checked.ok, checked.reason
    assert checked.duration_s == pytest.approx(4.0, abs=0.05)
    out = tmp_path / "edl.mp4"
    rendered = run_script(code, [clip], out)
    assert rendered.ok, rendered.reason
    assert rendered.duration_s == pytest.approx(4.0, abs=0.15)


def test_two_inputs_of_different_heights(clip: Path, tmp_path: Path) -> None:
    from tests.sandbox.clips import make_clip

    tall = make_clip(tmp_path / "tall.mp4", seconds=1.0, size="96x240", pattern="smptebars")
    plan = EditDecisionList.model_validate(
        {"segments": [{"source": 0, "start": 0, "end": 1}, {"source": 1, "start": 0, "end": 1}]}
    )
    checked = run_script(compile_edl(plan), [clip, tall], None, validate_only=True)
    assert checked.ok, checked.reason
    assert checked.duration_s == pytest.approx(2.0, abs=0.05)
    assert checked.height == 120


def test_expected_duration_follows_the_scripts_arithmetic() -> None:
    plan = EditDecisionList.model_validate(
        {
            "segments": [
                {"start": 0, "end": 1.5},
                {"start": 1, "end": 3, "speed": 2, "transition": "crossfade"},
                {"start": 3, "end": 9, "repeat": 2, "transition": "fade"},
                {"start": 0, "end": 0.4, "transition": "crossfade"},
            ],
            "transition_s": 0.5,
        }
    )
    # 1.5 + (1.0 - 0.5) + 2 x 1.0 (clamped to the 4 s source) + (0.4 - 0.2: half a short part)
    assert expected_duration(plan, [4.0]) == pytest.approx(4.2)
    assert expected_duration(plan) == pytest.approx(4.2 + 10.0)


@pytest.mark.parametrize(
    "bad", [{"colour": "purple"}, {"fade_in_s": -1}, {"size": (0, 10)}, {"audio": "loud"}]
)
def test_invalid_finishes_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        EditDecisionList.model_validate({"segments": [{"start": 0, "end": 1}], **bad})


def _decode(path: Path) -> tuple[list[object], bool]:
    import av

    with av.open(str(path)) as container:
        frames: list[object] = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        return frames, bool(container.streams.audio)


def test_monochrome_fades_size_and_mute_render(clip: Path, tmp_path: Path) -> None:
    import numpy as np

    plan = EditDecisionList.model_validate(
        {
            "segments": [{"start": 0, "end": 2}],
            "colour": "monochrome",
            "fade_in_s": 0.5,
            "fade_out_s": 0.5,
            "size": (60, 100),
            "audio": "mute",
            "caption": "The end",
        }
    )
    code = compile_edl(plan)
    assert check(code) == []
    out = run_script(code, [clip], tmp_path / "mono.mp4")
    assert out.ok, out.reason
    frames, audio = _decode(tmp_path / "mono.mp4")
    assert not audio
    assert frames[0].shape == (100, 60, 3)  # type: ignore[attr-defined]
    middle = np.asarray(frames[len(frames) // 2], dtype=np.int16)
    assert np.abs(middle - middle.mean(axis=2, keepdims=True)).mean() < 3  # no colour left
    assert np.asarray(frames[0]).mean() < 20 and np.asarray(frames[-1]).mean() < 40
    assert middle.mean() > 60


def test_black_and_white_keeps_every_colour_as_bright_as_it_was(tmp_path: Path) -> None:
    """Blind holdout11 case 1: MoviePy's plain mean of R, G and B made a blue-green shot a
    tenth darker than its luma and a yellow one brighter, so the fade-out's gain over the
    source changed shot by shot and a 1 s fade was read as 1.5 s."""
    import numpy as np

    from tests.sandbox.clips import make_clip

    source = make_clip(tmp_path / "bars.mp4", seconds=1.0, pattern="smptebars")
    plan = EditDecisionList.model_validate(
        {"segments": [{"start": 0, "end": 0.5}], "colour": "monochrome"}
    )
    out = run_script(compile_edl(plan), [source], tmp_path / "grey.mp4")
    assert out.ok, out.reason
    before, _ = _decode(source)
    after, _ = _decode(tmp_path / "grey.mp4")
    rgb = np.asarray(before[5], dtype=float)
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    grey = np.asarray(after[5], dtype=float).mean(axis=2)
    assert np.abs(grey - luma).mean() < 4, np.abs(grey - luma).mean()


@pytest.mark.parametrize("end", [1.99, 2.05, 2.13])
def test_a_fade_out_is_black_on_the_last_frame_written(tmp_path: Path, end: float) -> None:
    """Blind holdout4 case 8: an 8.996 s edit at 10 fps wrote its last frame at 8.8 s, where
    a fade to 8.996 s still showed 40% of the picture (luma 44, not black)."""
    import numpy as np

    from tests.sandbox.clips import make_clip

    source = make_clip(tmp_path / "ten.mp4", seconds=3.0, rate=10)
    plan = EditDecisionList.model_validate(
        {"segments": [{"start": 0, "end": end}], "fade_out_s": 0.5}
    )
    out = run_script(compile_edl(plan), [source], tmp_path / "faded.mp4")
    assert out.ok, out.reason
    frames, _ = _decode(tmp_path / "faded.mp4")
    luma = [float(np.asarray(f).mean()) for f in frames]
    assert luma[-1] < 8, luma[-6:]  # black
    assert luma[-6] > 1.5 * luma[-3] > 0, luma[-6:]  # reached gradually


def test_sepia_aspect_and_kept_audio_render(clip: Path, tmp_path: Path) -> None:
    import numpy as np

    plan = EditDecisionList.model_validate(
        {
            "segments": [{"start": 0, "end": 1}, {"start": 2, "end": 3}],
            "colour": "sepia",
            "aspect": (1, 1),
        }
    )
    out = run_script(compile_edl(plan), [clip], tmp_path / "sepia.mp4")
    assert out.ok, out.reason
    frames, audio = _decode(tmp_path / "sepia.mp4")
    assert audio  # the segments' sound is kept
    assert frames[0].shape == (120, 120, 3)  # type: ignore[attr-defined]
    red, green, blue = np.asarray(frames[len(frames) // 2], dtype=float).reshape(-1, 3).mean(axis=0)
    assert red > green > blue


@pytest.mark.parametrize(
    ("aspect", "ratio"), [((9, 16), 9 / 16), ((18, 32), 9 / 16), ((4, 5), 0.8)]
)
def test_aspect_is_exact_with_even_sides(
    clip: Path, tmp_path: Path, aspect: tuple[int, int], ratio: float
) -> None:
    # 160x120 cropped to 9:16 is 67.5 wide: an encoder would round it to 66 (0.55, not 0.5625).
    plan = EditDecisionList.model_validate(
        {"segments": [{"start": 0, "end": 1}], "aspect": aspect, "audio": "mute"}
    )
    out = run_script(compile_edl(plan), [clip], tmp_path / "aspect.mp4")
    assert out.ok, out.reason
    frames, _ = _decode(tmp_path / "aspect.mp4")
    height, width = frames[0].shape[:2]  # type: ignore[attr-defined]
    assert width / height == pytest.approx(ratio, rel=1e-9)
    assert width % 2 == 0 and height % 2 == 0
    assert 100 <= height <= 140  # about the source's height: no big rescale


def test_caption_sits_inside_the_title_safe_band(tmp_path: Path) -> None:
    import numpy as np

    from tests.sandbox.clips import make_clip

    dark = make_clip(tmp_path / "dark.mp4", seconds=1.0, size="320x240", pattern="color")
    plan = EditDecisionList.model_validate(
        {"segments": [{"start": 0, "end": 1, "caption": "Out Now"}]}
    )
    out = run_script(compile_edl(plan), [dark], tmp_path / "caption.mp4")
    assert out.ok, out.reason
    frames, _ = _decode(tmp_path / "caption.mp4")
    luma = np.asarray(frames[len(frames) // 2], dtype=np.float32).mean(axis=2)
    lit = np.nonzero((luma > 150).any(axis=1))[0]  # rows with the caption's white letters
    assert lit.size, "no caption drawn"
    assert lit.max() < 240 - 240 // 20  # the bottom twentieth stays clear
    assert lit.min() > 240 // 2  # still in the lower half
