"""What a script may name: the allowlist data of the policy (no logic here).

``ALLOWED_IMPORTS`` (module -> names), ``ALLOWED_BUILTINS``, the escape hatches refused by
name (``FORBIDDEN_NAMES``), the syntax nodes a script may contain (``ALLOWED_NODES``) and
what module level may hold. Attribute and call data live with their checks
(``sandbox.policy.attributes``, ``sandbox.policy.calls``).
"""

from __future__ import annotations

import ast

__all__ = [
    "AFX",
    "ALLOWED_BUILTINS",
    "ALLOWED_IMPORTS",
    "ALLOWED_NODES",
    "FORBIDDEN_NAMES",
    "MATH",
    "TOPLEVEL",
    "VFX",
]

VFX = [
    "AccelDecel",
    "BlackAndWhite",
    "Blink",
    "Crop",
    "CrossFadeIn",
    "CrossFadeOut",
    "EvenSize",
    "FadeIn",
    "FadeOut",
    "Freeze",
    "FreezeRegion",
    "GammaCorrection",
    "HeadBlur",
    "InvertColors",
    "Loop",
    "LumContrast",
    "MakeLoopable",
    "Margin",
    "MaskColor",
    "MasksAnd",
    "MasksOr",
    "MirrorX",
    "MirrorY",
    "MultiplyColor",
    "MultiplySpeed",
    "Painting",
    "Resize",
    "Rotate",
    "Scroll",
    "SlideIn",
    "SlideOut",
    "SuperSample",
    "TimeMirror",
    "TimeSymmetrize",
]
AFX = [
    "AudioDelay",
    "AudioFadeIn",
    "AudioFadeOut",
    "AudioLoop",
    "AudioNormalize",
    "MultiplyStereoVolume",
    "MultiplyVolume",
]
MATH = [
    "pi",
    "e",
    "tau",
    "inf",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "atan2",
    "sqrt",
    "floor",
    "ceil",
    "fabs",
    "exp",
    "log",
    "log2",
    "log10",
    "pow",
    "radians",
    "degrees",
    "hypot",
    "fmod",
    "trunc",
    "copysign",
    "isclose",
]

#: Module -> names a script may import from it. ``import math`` is the only plain import.
#: Deliberately absent: ``VideoFileClip``/``AudioFileClip``/``ImageClip``/
#: ``ImageSequenceClip`` (they open paths), ``ffmpeg_tools``/``videotools`` (subprocess
#: helpers), and every ``moviepy.tools``/``moviepy.config`` name.
ALLOWED_IMPORTS: dict[str, frozenset[str]] = {
    "moviepy": frozenset(
        {
            "VideoClip",
            "ColorClip",
            "TextClip",
            "CompositeVideoClip",
            "clips_array",
            "concatenate_videoclips",
            "CompositeAudioClip",
            "concatenate_audioclips",
            "vfx",
            "afx",
        }
    ),
    "moviepy.video.fx": frozenset(VFX),
    "moviepy.audio.fx": frozenset(AFX),
    "math": frozenset(MATH),
}

#: Builtins a script may call or name. Everything else in ``builtins`` is unknown.
ALLOWED_BUILTINS: frozenset[str] = frozenset(
    [
        "abs",
        "all",
        "any",
        "bool",
        "dict",
        "divmod",
        "enumerate",
        "filter",
        "float",
        "int",
        "isinstance",
        "len",
        "list",
        "map",
        "max",
        "min",
        "print",
        "range",
        "reversed",
        "round",
        "sorted",
        "str",
        "sum",
        "tuple",
        "zip",
        "True",
        "False",
        "None",
    ]
)

#: Escape hatches, named explicitly so the refusal message says why.
FORBIDDEN_NAMES: frozenset[str] = frozenset(
    [
        "exec",
        "eval",
        "compile",
        "open",
        "getattr",
        "setattr",
        "delattr",
        "hasattr",
        "vars",
        "globals",
        "locals",
        "dir",
        "type",
        "object",
        "super",
        "memoryview",
        "bytearray",
        "bytes",
        "input",
        "breakpoint",
        "help",
        "format",
        "Formatter",
        "classmethod",
        "staticmethod",
        "property",
        "id",
        "hash",
        "iter",
        "next",
        "callable",
        "chr",
        "ord",
        "exit",
        "quit",
        "__import__",
        "__builtins__",
        "__loader__",
        "__spec__",
    ]
)


ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Module,
    ast.Expr,
    ast.Import,
    ast.ImportFrom,
    ast.alias,
    ast.FunctionDef,
    ast.arguments,
    ast.arg,
    ast.Return,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.For,
    ast.While,
    ast.If,
    ast.Break,
    ast.Continue,
    ast.Pass,
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.Lambda,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.Starred,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.ListComp,
    ast.GeneratorExp,
    ast.comprehension,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Load,
    ast.Store,
    ast.expr_context,
    ast.boolop,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
)


#: Statements module level may hold (imports, assignments, functions, a docstring).
TOPLEVEL = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Assign, ast.AnnAssign, ast.Expr)
