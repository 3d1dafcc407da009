from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sandbox.edl import EditDecisionList, compile_edl
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
