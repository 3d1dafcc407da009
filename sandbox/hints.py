"""MoviePy 1.x -> 2.x repair hints, matched against a failed script and its errors.

Small code models mostly know MoviePy 1.x. When a script fails the policy or the run, the
repair prompt carries the exact reasons plus the hints below whose pattern matches the
script or the error text, so the Coder learns the 2.x spelling it needs and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["HINTS", "Hint", "hints_for", "modernise"]


@dataclass(frozen=True)
class Hint:
    """One known migration problem.

    Attributes:
        name: Short id (used in tests and reports).
        pattern: Regex searched in the script and the error text.
        advice: What to write instead (MoviePy 2.2 spelling).
    """

    name: str
    pattern: re.Pattern[str]
    advice: str


def _hint(name: str, pattern: str, advice: str) -> Hint:
    return Hint(name, re.compile(pattern), advice)


HINTS: tuple[Hint, ...] = (
    _hint(
        "editor-module",
        r"moviepy\.editor",
        "`moviepy.editor` is gone in MoviePy 2: write `from moviepy import vfx, "
        "concatenate_videoclips, TextClip, CompositeVideoClip, ColorClip`.",
    ),
    _hint(
        "subclip",
        r"\.subclip\(|has no attribute 'subclip'",
        "`clip.subclip(a, b)` is now `clip.subclipped(a, b)`.",
    ),
    _hint(
        "set-methods",
        r"\.set_(duration|position|start|end|fps|audio|mask|opacity)\(|"
        r"has no attribute 'set_",
        "`set_*` methods are now `with_*`: `clip.with_duration(d)`, `clip.with_position(p)`, "
        "`clip.with_start(t)`, `clip.with_audio(a)`.",
    ),
    _hint(
        "fx-call",
        r"\.fx\(|vfx\.speedx|speedx|has no attribute 'fx'",
        "`clip.fx(vfx.speedx, 2)` is now `clip.with_effects([vfx.MultiplySpeed(2)])`; "
        "effects are classes passed in a list.",
    ),
    _hint(
        "lowercase-effects",
        r"vfx\.(fadein|fadeout|mirror_x|mirror_y|time_mirror|resize|crop|loop|"
        r"blackwhite|colorx|rotate|freeze|invert_colors)\b",
        "effects are CamelCase classes: vfx.FadeIn(d), vfx.FadeOut(d), vfx.MirrorX(), "
        "vfx.MirrorY(), vfx.TimeMirror(), vfx.Resize(f), vfx.Crop(...), vfx.Loop(n=..), "
        "vfx.BlackAndWhite(), vfx.MultiplyColor(f), vfx.Rotate(a), vfx.InvertColors().",
    ),
    _hint(
        "resize",
        r"\.resize\(|has no attribute 'resize'",
        "`clip.resize(x)` is now `clip.resized(x)` (or `vfx.Resize(x)`).",
    ),
    _hint(
        "crop-rotate",
        r"\.(crop|rotate)\(|has no attribute '(crop|rotate)'",
        "`clip.crop(...)`/`clip.rotate(a)` are now `clip.cropped(...)`/`clip.rotated(a)`.",
    ),
    _hint(
        "textclip",
        r"TextClip\(|\bfontsize\b|'font'|keyword 'font'",
        "TextClip in MoviePy 2: `TextClip(text='Hello', font_size=40, color='white')` "
        "then `.with_duration(d)`; `text=` is a keyword, `fontsize` is now `font_size`, and "
        "do not pass `font` (the built-in font is used).",
    ),
    _hint(
        "volumex",
        r"volumex|has no attribute 'volumex'",
        "`clip.volumex(f)` is now `clip.with_volume_scaled(f)`.",
    ),
    _hint(
        "without-audio",
        r"\.without_audio\b|set_audio\(None\)",
        "to drop audio write `clip.without_audio()`.",
    ),
    _hint(
        "file-clips",
        r"VideoFileClip|AudioFileClip|ImageClip|write_videofile|\[path\]|\[attribute\] .*write",
        "never open or write files: the input clip arrives as the `source` argument and the "
        "studio renders the clip that `edit(source)` returns.",
    ),
    _hint(
        "concatenate",
        r"concatenate\(|has no attribute 'concatenate'",
        "use `concatenate_videoclips([a, b], method='compose')` from `moviepy`.",
    ),
    _hint(
        "underscore",
        r"\[underscore\]",
        "names may not start with '_': write `for i in range(3)`, not `for _ in range(3)`, "
        "and never use dunder attributes.",
    ),
    _hint(
        "attribute-allowlist",
        r"not on the allowlist",
        "use only the MoviePy 2 clip API: subclipped, with_effects, with_duration, "
        "with_start, with_position, resized, cropped, rotated, with_speed_scaled, "
        "without_audio, and the properties duration, w, h, size, fps.",
    ),
    _hint(
        "duration-overflow",
        r"(subclipped|end_time|t_end).*(should|must) be|exceeds|is after the end|"
        r"greater than.*duration",
        "times must lie inside the clip: use `min(t, source.duration)` for ends.",
    ),
)


def hints_for(code: str, errors: list[str]) -> list[str]:
    """Return the advice of every hint matching ``code`` or ``errors``, in table order.

    Args:
        code: The failed script.
        errors: Policy findings and run failures, as text.

    Returns:
        Advice lines (empty when nothing matches).
    """
    haystack = code + "\n" + "\n".join(errors)
    return [h.advice for h in HINTS if h.pattern.search(haystack)]


# MoviePy 1.x method names with a 2.x spelling that means the same thing (same arguments).
_RENAMED = {
    "subclip": "subclipped",
    "set_duration": "with_duration",
    "set_position": "with_position",
    "set_start": "with_start",
    "set_end": "with_end",
    "set_fps": "with_fps",
    "set_audio": "with_audio",
    "set_mask": "with_mask",
    "set_opacity": "with_opacity",
    "resize": "resized",
    "rotate": "rotated",
    "crop": "cropped",
}


def modernise(code: str) -> str:
    """The script with MoviePy 1.x method names renamed to their 2.x spelling.

    Trusted and mechanical: only attribute names right after a ``.`` change, token by token
    (strings and comments are untouched), and ``moviepy.editor`` imports become ``moviepy``.
    The result is checked by the policy like any draft; code that does not tokenize is
    returned as it came.
    """
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return code
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []  # start, end, new text
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME or i == 0 or tokens[i - 1].string != ".":
            continue
        if tok.string in _RENAMED:
            edits.append((tok.start, tok.end, _RENAMED[tok.string]))
        elif tok.string == "editor" and i >= 2 and tokens[i - 2].string == "moviepy":
            edits.append((tokens[i - 1].start, tok.end, ""))  # "moviepy.editor" -> "moviepy"
    edits += _textclip_text_keyword(tokens) + _file_clip_imports(tokens)
    lines = code.splitlines(keepends=True)
    for (row, col), (end_row, end_col), new in sorted(edits, reverse=True):
        if row != end_row:
            continue
        line = lines[row - 1]
        lines[row - 1] = line[:col] + new + line[end_col:]
    return "".join(lines)


# Clip classes that open files: an edit never may (its clips arrive as ``source``), and a
# 1.x habit imports them anyway, unused.
_FILE_CLIPS = {"VideoFileClip", "AudioFileClip", "ImageClip", "ImageSequenceClip"}


def _textclip_text_keyword(tokens: list[Any]) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """``TextClip("Hi", ...)`` (1.x: text first) becomes ``TextClip(text="Hi", ...)``.

    In 2.x the first positional parameter is the font file, so the 1.x call is wrong either way.
    """
    import tokenize

    edits = []
    for i, tok in enumerate(tokens[:-2]):
        if tok.type != tokenize.NAME or tok.string != "TextClip" or tokens[i + 1].string != "(":
            continue
        first = tokens[i + 2]
        keyword = (
            first.type == tokenize.NAME and i + 3 < len(tokens) and tokens[i + 3].string == "="
        )
        if first.string != ")" and not keyword and first.string not in ("*", "**"):
            edits.append((first.start, first.start, "text="))
    return edits


def _file_clip_imports(tokens: list[Any]) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Drop file-opening clip classes from ``from moviepy import ...`` (never usable here)."""
    import tokenize

    edits = []
    for i, tok in enumerate(tokens):
        if tok.string != "import" or i < 2 or tokens[i - 2].string != "from":
            continue
        if tokens[i - 1].string != "moviepy":
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
            name = tokens[j]
            if name.type == tokenize.NAME and name.string in _FILE_CLIPS:
                after = tokens[j + 1] if j + 1 < len(tokens) else None
                if after is not None and after.string == ",":
                    edits.append((name.start, tokens[j + 2].start, ""))
                elif tokens[j - 1].string == ",":
                    edits.append((tokens[j - 1].start, name.end, ""))
            j += 1
    return edits
