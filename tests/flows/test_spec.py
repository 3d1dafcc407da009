from __future__ import annotations

from pathlib import Path

import pytest

from core.exceptions import ConfigError
from flows.spec import DEFAULT_STEPS, load_spec

GOOD = """\
name: teaser
request: A short teaser.
footage: clip.mp4
output_dir: out
sample_frames:
  strategy: uniform
  max_frames: 6
generate_edit: {mode: edl, max_repairs: 1}
models: {coder: coder-big}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "clip.mp4").write_bytes(b"not really a video, but a file")
    return tmp_path


def _write(folder: Path, text: str, name: str = "job.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_spec_resolves_paths_against_its_folder(folder: Path) -> None:
    spec = load_spec(_write(folder, GOOD))
    assert spec.footage == [folder / "clip.mp4"]
    assert spec.output_dir == folder / "out"
    assert spec.steps == DEFAULT_STEPS
    assert spec.sample_frames.max_frames == 6
    assert spec.generate_edit.mode == "edl"
    assert spec.models == {"coder": "coder-big"}


def test_footage_list_and_absolute_path_outside_folder(
    folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = tmp_path_factory.mktemp("elsewhere") / "b.mp4"
    other.write_bytes(b"x")
    text = GOOD.replace("footage: clip.mp4", f"footage: [clip.mp4, {other}]")
    spec = load_spec(_write(folder, text))
    assert spec.footage == [folder / "clip.mp4", other]


def test_unknown_key_names_key_and_line(folder: Path) -> None:
    text = GOOD + "sample_frame: {max_frames: 2}\n"
    with pytest.raises(ConfigError) as err:
        load_spec(_write(folder, text))
    assert str(err.value) == "job.yaml line 10: sample_frame: unknown key"


def test_unknown_nested_key_names_its_own_line(folder: Path) -> None:
    text = GOOD.replace("  max_frames: 6", "  max_frames: 6\n  max_frame: 3")
    with pytest.raises(
        ConfigError, match=r"^job.yaml line 8: sample_frames.max_frame: unknown key$"
    ):
        load_spec(_write(folder, text))


def test_missing_footage_file_is_one_clear_line(folder: Path) -> None:
    text = GOOD.replace("footage: clip.mp4", "footage: gone.mp4")
    with pytest.raises(ConfigError) as err:
        load_spec(_write(folder, text))
    message = str(err.value)
    assert message.startswith("job.yaml line 3: footage: file not found:")
    assert "\n" not in message


def test_missing_required_key(folder: Path) -> None:
    text = GOOD.replace("request: A short teaser.\n", "")
    with pytest.raises(ConfigError, match=r"request: required key is missing"):
        load_spec(_write(folder, text))


def test_bad_value_names_key_and_line(folder: Path) -> None:
    text = GOOD.replace("max_repairs: 1", "max_repairs: 9")
    with pytest.raises(ConfigError, match=r"^job.yaml line 8: generate_edit.max_repairs: .*5"):
        load_spec(_write(folder, text))


def test_relative_path_may_not_escape_the_folder(folder: Path) -> None:
    text = GOOD.replace("output_dir: out", "output_dir: ../../out")
    with pytest.raises(ConfigError, match=r"line 4: output_dir: relative path .* escapes"):
        load_spec(_write(folder, text))


def test_steps_must_be_ordered_and_complete(folder: Path) -> None:
    text = GOOD + "steps: [understand_intent, render]\n"
    with pytest.raises(ConfigError, match=r"line 10: steps: step 'render' needs generate_edit"):
        load_spec(_write(folder, text))
    text = GOOD + "steps: [sample_frames, understand_intent]\n"
    with pytest.raises(ConfigError, match=r"must keep the order"):
        load_spec(_write(folder, text))
    ok = load_spec(_write(folder, GOOD + "steps: [sample_frames, analyze_frames, report]\n"))
    assert ok.steps == ("sample_frames", "analyze_frames", "report")


def test_set_overrides_apply_typed_values(folder: Path) -> None:
    spec = load_spec(
        _write(folder, GOOD),
        ["sample_frames.max_frames=3", "analyze_frames.focus=colour only", "name=other"],
    )
    assert spec.sample_frames.max_frames == 3
    assert spec.analyze_frames.focus == "colour only"
    assert spec.name == "other"


def test_bad_override_is_reported_as_coming_from_set(folder: Path) -> None:
    with pytest.raises(ConfigError, match=r"^job.yaml \(--set\): sample_frames.max_frames: "):
        load_spec(_write(folder, GOOD), ["sample_frames.max_frames=lots"])
    with pytest.raises(ConfigError, match=r"expected key=value"):
        load_spec(_write(folder, GOOD), ["sample_frames.max_frames"])


def test_yaml_syntax_error_and_non_mapping(folder: Path) -> None:
    with pytest.raises(ConfigError, match=r"^job.yaml line \d+: "):
        load_spec(_write(folder, "name: [unclosed\nrequest: x\n"))
    with pytest.raises(ConfigError, match=r"must be a mapping"):
        load_spec(_write(folder, "- a\n- b\n"))
    with pytest.raises(ConfigError, match=r"job spec not found"):
        load_spec(folder / "absent.yaml")


def test_unknown_model_role_rejected(folder: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"^job.yaml line 9: models.painter: Input should be 'reasoning'"
    ):
        load_spec(_write(folder, GOOD.replace("coder: coder-big", "painter: x")))


def test_subtitles_default_none_and_bad_value_is_one_line(folder: Path) -> None:
    assert load_spec(_write(folder, GOOD)).subtitles == "none"
    assert load_spec(_write(folder, GOOD + "subtitles: burn\n")).subtitles == "burn"
    with pytest.raises(ConfigError, match=r"^job.yaml line 10: subtitles: Input should be 'none'"):
        load_spec(_write(folder, GOOD + "subtitles: ass\n"))
    with pytest.raises(ConfigError, match=r"^job.yaml \(--set\): subtitles: "):
        load_spec(_write(folder, GOOD), ["subtitles=yes"])
