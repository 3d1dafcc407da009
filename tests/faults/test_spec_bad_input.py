"""Issue 13, item 6: every job-spec field, fed anything, gives one ``ConfigError`` line.

Property-based (hypothesis): each field gets values of every YAML type (huge numbers, NaN,
long and control-character text, nested lists and mappings), whole files of arbitrary bytes,
and ``--set`` overrides of arbitrary text. ``load_spec`` either returns a spec whose paths are
checked, or raises ``ConfigError`` with one line naming the file; nothing else escapes and
nothing is written. Hand-written cases cover what random values rarely hit: YAML bombs, deep
nesting, non-UTF-8 bytes, NUL bytes, path traversal and a 1 MB request.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import ConfigError
from flows._progress import slug
from flows.spec import JobSpec, load_spec

EXAMPLE_CLIP = Path(__file__).resolve().parents[2] / "examples" / "clip.mp4"
FIELDS = (
    "name",
    "request",
    "footage",
    "output_dir",
    "steps",
    "sample_frames",
    "analyze_frames",
    "generate_edit",
    "models",
)
NESTED = {
    "sample_frames": ("strategy", "max_frames"),
    "analyze_frames": ("focus",),
    "generate_edit": ("mode", "max_repairs", "revisions"),
    "models": ("reasoning", "vision", "coder"),
}
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=8)  # control characters
    | st.sampled_from(
        [
            "",
            " ",
            "../../etc/passwd",
            "/dev/null",
            "$(touch pwned)",
            "a;rm -rf ~",
            "`id`",
            "~nobody/x",
            "\x00",
            "clip.mp4\x00.txt",
            "x" * 5000,
        ]
    )
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _base(folder: Path) -> dict[str, Any]:
    return {
        "name": "sweep",
        "request": "A short teaser.",
        "footage": str(EXAMPLE_CLIP),
        "output_dir": str(folder / "out"),
    }


def _write(folder: Path, data: Any) -> Path:
    path = folder / "job.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _outcome(path: Path, overrides: tuple[str, ...] = ()) -> JobSpec | str:
    """The spec, or the one-line error; any other exception fails the test."""
    try:
        return load_spec(path, overrides)
    except ConfigError as exc:
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, repr(message)
        assert "Traceback" not in message
        return message


def _nothing_written(folder: Path, before: set[Path]) -> None:
    after = set(folder.rglob("*"))
    assert after == before, f"loading a spec wrote {sorted(map(str, after - before))}"
    assert not (folder / "out").exists()


def _checked(spec: JobSpec) -> None:
    """An accepted spec holds only checked, absolute, existing footage and sane text."""
    assert all(p.is_absolute() and p.is_file() for p in spec.footage)
    assert spec.output_dir.is_absolute()
    for text in (spec.name, spec.request, spec.analyze_frames.focus):
        assert "\x00" not in text and len(text) <= 4000


@BOUNDED
@given(field=st.sampled_from(FIELDS), value=_values)
def test_any_value_in_any_field_is_a_spec_or_one_line(
    tmp_path: Path, field: str, value: Any
) -> None:
    data = _base(tmp_path) | {field: value}
    path = _write(tmp_path, data)
    before = set(tmp_path.rglob("*"))
    result = _outcome(path)
    _nothing_written(tmp_path, before)
    if isinstance(result, str):
        assert result.startswith("job.yaml"), result
        assert field in result or "spec" in result, result
    else:
        _checked(result)


@BOUNDED
@given(data=st.data())
def test_any_value_in_any_option_is_a_spec_or_one_line(tmp_path: Path, data: Any) -> None:
    section = data.draw(st.sampled_from(sorted(NESTED)))
    key = data.draw(st.sampled_from(NESTED[section] + ("unknown",)))
    value = data.draw(_values)
    path = _write(tmp_path, _base(tmp_path) | {section: {key: value}})
    result = _outcome(path)
    if isinstance(result, str):
        assert result.startswith("job.yaml line "), result
        assert f"{section}." in result or f"{section}:" in result, result
    else:
        _checked(result)


@BOUNDED
@given(raw=st.binary(max_size=300))
def test_any_bytes_as_a_spec_file_is_one_line(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "job.yaml"
    path.write_bytes(raw)
    result = _outcome(path)
    assert isinstance(result, str), "random bytes made a valid spec"


@BOUNDED
@given(overrides=st.lists(st.text(max_size=30), max_size=3))
def test_any_override_text_is_a_spec_or_one_line(tmp_path: Path, overrides: list[str]) -> None:
    path = _write(tmp_path, _base(tmp_path))
    result = _outcome(path, tuple(overrides))
    if not isinstance(result, str):
        _checked(result)


@BOUNDED
@given(name=st.text(max_size=60))
def test_a_job_name_never_escapes_the_output_folder(tmp_path: Path, name: str) -> None:
    # The name becomes the video's file name and the staging folder's.
    out = tmp_path / "out"
    stem = slug(name)
    assert stem and set(stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert (out / f"{stem}.mp4").resolve().parent == out


# --- what random values rarely reach -------------------------------------------------------

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
name: bomb
request: *i
footage: clip.mp4
output_dir: out
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(BOMB, "job.yaml: more than 10000 values once YAML aliases are expanded",
                     id="billion-laughs"),
        pytest.param("name: " + "[" * 50_000 + "]" * 50_000, "job.yaml: the YAML nests too deeply",
                     id="deep-nesting"),
        pytest.param("name: a\x00b\n", "job.yaml: character #x0000 at position 7 is not allowed",
                     id="raw-nul-byte"),
    ],
)  # fmt: skip
def test_hostile_yaml_is_one_line_and_quick(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    assert _outcome(path) == expected
    assert time.monotonic() - started < 10


def test_non_utf8_and_oversized_files(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert _outcome(latin) == f"cannot read job spec {latin}: not UTF-8 text (byte 9)"
    huge = _write(tmp_path, _base(tmp_path) | {"request": "x" * (1 << 20)})
    assert _outcome(huge) == f"job spec {huge} is larger than 1048576 bytes"
    assert _outcome(Path("/dev/zero")) == "job spec /dev/zero is larger than 1048576 bytes"
    assert _outcome(tmp_path) == f"cannot read job spec {tmp_path}: Is a directory"
    assert _outcome(tmp_path / "none.yaml") == f"job spec not found: {tmp_path / 'none.yaml'}"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("request", "x" * 4001, "request: String should have at most 4000 characters"),
        ("request", "cut\x00this", "request: contains a control character (a NUL byte, say)"),
        ("name", "n" * 201, "name: String should have at most 200 characters"),
        ("footage", "clip\x00.mp4", "footage: a path cannot contain a NUL byte"),
        ("output_dir", "out\x00", "output_dir: a path cannot contain a NUL byte"),
        ("output_dir", "../../x", "output_dir: relative path '../../x' escapes the spec's folder"),
        ("footage", "../../../etc/passwd", "footage: relative path '../../../etc/passwd' escapes"),
        ("footage", "$(touch pwned).mp4", "footage: file not found: {folder}/$(touch pwned).mp4"),
        ("footage", [], "footage: List should have at least 1 item after validation, not 0"),
        ("models", {"coder": " "}, "models: model override for 'coder' is empty"),
        ("models", {"coder": "a\x1bb"}, "models: contains a control character (a NUL byte, say)"),
    ],
)  # fmt: skip
def test_field_cases(tmp_path: Path, field: str, value: Any, expected: str) -> None:
    path = _write(tmp_path, _base(tmp_path) | {field: value})
    before = set(tmp_path.rglob("*"))
    result = _outcome(path)
    assert isinstance(result, str)
    assert result.split(": ", 1)[1].startswith(expected.format(folder=tmp_path)), result
    _nothing_written(tmp_path, before)
