from __future__ import annotations

import pytest

from sandbox.hints import HINTS, hints_for


@pytest.mark.parametrize(
    ("code", "errors", "expected"),
    [
        ("from moviepy.editor import *", [], "moviepy.editor` is gone"),
        ("clip = source.subclip(0, 2)", [], "subclipped(a, b)"),
        ("x.set_duration(3)", [], "with_duration"),
        ("", ["AttributeError: 'VideoFileClip' object has no attribute 'set_position'"], "with_*"),
        ("source.fx(vfx.speedx, 2)", [], "vfx.MultiplySpeed(2)"),
        ("source.resize(0.5)", [], "resized"),
        ("TextClip('Hi', fontsize=30, font='Arial')", [], "font_size"),
        ("vfx.fadein(1)", [], "vfx.FadeIn(d)"),
        ("source.volumex(2)", [], "with_volume_scaled"),
        ("", ["line 3: [path] string 'out.mp4' looks like a file path"], "never open or write"),
        ("", ["line 4: [underscore] name '_' starts with '_' (private names)"], "for i in range"),
        ("", ["line 5: [attribute] attribute 'speedx' is not on the allowlist"], "with_effects"),
    ],
)
def test_hint_matches(code: str, errors: list[str], expected: str) -> None:
    assert any(expected in advice for advice in hints_for(code, errors))


def test_modern_code_gets_no_hints() -> None:
    code = (
        "from moviepy import vfx\n\ndef edit(source):\n"
        "    return source.subclipped(0, 1).with_effects([vfx.FadeIn(0.5)])\n"
    )
    assert hints_for(code, []) == []


def test_hint_names_are_unique() -> None:
    names = [h.name for h in HINTS]
    assert len(names) == len(set(names))


def test_modernise_renames_moviepy1_methods_only_after_a_dot() -> None:
    from sandbox.hints import modernise

    old = (
        "from moviepy.editor import vfx\n"
        "def edit(source):\n"
        '    # subclip stays in comments; "x.subclip(" stays in strings\n'
        "    a = source.subclip(0, 2).set_duration(2); subclip = 1\n"
        "    return a.resize(0.5).set_position('center')\n"
    )
    new = modernise(old)
    assert new.splitlines()[0] == "from moviepy import vfx"
    assert '"x.subclip("' in new and "# subclip stays" in new and "subclip = 1" in new
    assert "source.subclipped(0, 2).with_duration(2)" in new
    assert "a.resized(0.5).with_position('center')" in new


def test_modernise_leaves_code_that_does_not_tokenize() -> None:
    from sandbox.hints import modernise

    broken = "def edit(source:\n    return source.subclip(0, 1\n"
    assert modernise(broken) == broken


def test_modernise_passes_textclip_text_by_keyword_and_drops_file_clip_imports() -> None:
    from sandbox.hints import modernise

    old = (
        "from moviepy import VideoFileClip, vfx, TextClip\n"
        "def edit(source):\n"
        '    a = TextClip("Hi", font_size=20)\n'
        '    b = TextClip(text="kept", font_size=20)\n'
        "    return source\n"
    )
    new = modernise(old)
    assert new.splitlines()[0] == "from moviepy import vfx, TextClip"
    assert 'TextClip(text="Hi", font_size=20)' in new
    assert 'TextClip(text="kept", font_size=20)' in new
