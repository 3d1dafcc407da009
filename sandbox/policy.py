"""The static policy for generated edit scripts: an AST allowlist, not a blocklist.

A script is allowed only when every syntax node, import, name, attribute, call and keyword
in it is on one of the lists below. Anything not listed is refused with a reason and the
line it is on, so the Coder can repair it. The contract a script must meet:

* it defines ``edit(source)`` at module level and returns the clip to render;
* it imports only from the public MoviePy 2 names in ``ALLOWED_IMPORTS`` (and ``math``);
* it never names a file path, never writes, never opens anything: trusted code opens the
  input clips and renders the returned clip.

Rules (``Finding.rule`` values), one check each:

``syntax``          the source must parse.
``node``            only the statement/expression kinds in ``ALLOWED_NODES``
                    (so no classes, ``try``, ``with``, ``global``, ``yield``, ``async`` ...).
``decorator``       functions may not be decorated.
``underscore``      no name, attribute, argument or keyword starting with ``_``.
``import``          only ``ALLOWED_IMPORTS`` (``moviepy.tools``, ``moviepy.config``, ffmpeg
                    helpers, ``os``, ``sys``... are not there).
``forbidden-name``  ``exec``/``eval``/``compile``/``open``/``getattr``/``vars``/``globals``/
                    ``__import__``/``format`` and the other escape hatches in ``FORBIDDEN_NAMES``.
``unknown-name``    a name that is neither an allowed builtin, an allowed import, nor
                    bound in the scope that uses it (or an enclosing one).
``attribute``       ``x.attr`` only for ``attr`` in ``ALLOWED_ATTRIBUTES`` (no ``format``,
                    ``format_map``, ``write_*``, ``save_frame``, ``reader``, ``tofile`` ...).
``attribute-store`` no assignment to attributes (module attributes included).
``call``            calls only through a plain name or an allowed attribute.
``keyword``         no path-carrying keywords (``filename``, ``font``, ``temp_audiofile``...)
                    and no ``**`` keyword unpacking.
``positional``      path-typed parameters are refused by position too (``TextClip``'s font
                    and filename), so those constructors take keywords only, no ``*args``,
                    and may only be called, never passed around or renamed.
``subscript-store`` item assignment only into a plain local name, never through an
                    attribute (``source.size[0] = ...`` would reach trusted objects).
``path``            no string constant that looks like a file path.
``toplevel``        module level holds only imports, assignments, functions and a docstring.
``entrypoint``      a module-level ``def edit(source)`` must exist.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass

from core.exceptions import PolicyViolation

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_BUILTINS",
    "ALLOWED_IMPORTS",
    "FORBIDDEN_NAMES",
    "Finding",
    "check",
    "ensure_allowed",
]

_VFX = [
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
_AFX = [
    "AudioDelay",
    "AudioFadeIn",
    "AudioFadeOut",
    "AudioLoop",
    "AudioNormalize",
    "MultiplyStereoVolume",
    "MultiplyVolume",
]
_MATH = [
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
    "moviepy.video.fx": frozenset(_VFX),
    "moviepy.audio.fx": frozenset(_AFX),
    "math": frozenset(_MATH),
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

#: Attribute names a script may use: clip methods/properties of MoviePy 2, effect classes,
#: ``math`` members and a few list/str/dict/array helpers. Anything reading or writing
#: files (``write_*``, ``save_frame``, ``filename``, ``reader``, ``tofile``) or reaching
#: interpreter internals is absent by construction.
ALLOWED_ATTRIBUTES: frozenset[str] = frozenset(
    [
        # clip methods returning new clips
        "subclipped",
        "with_effects",
        "with_effects_on_subclip",
        "with_duration",
        "with_start",
        "with_end",
        "with_fps",
        "with_position",
        "with_opacity",
        "with_audio",
        "without_audio",
        "with_mask",
        "without_mask",
        "with_layer_index",
        "with_background_color",
        "with_section_cut_out",
        "with_speed_scaled",
        "with_volume_scaled",
        "resized",
        "cropped",
        "rotated",
        "time_transform",
        "image_transform",
        "transform",
        "to_ImageClip",
        "to_RGB",
        "get_frame",
        "copy",
        # clip properties
        "duration",
        "start",
        "end",
        "fps",
        "size",
        "w",
        "h",
        "aspect_ratio",
        "n_frames",
        "audio",
        "mask",
        # numpy frame helpers used inside image_transform callbacks
        "shape",
        "astype",
        "mean",
        # containers and strings
        "append",
        "extend",
        "insert",
        "pop",
        "index",
        "count",
        "reverse",
        "items",
        "keys",
        "values",
        "get",
        "upper",
        "lower",
        "title",
        "capitalize",
        "strip",
        "split",
        "join",
        "replace",
        "startswith",
        "endswith",
        # effect and math modules
        "vfx",
        "afx",
        *_VFX,
        *_AFX,
        *_MATH,
    ]
)

#: Keywords that carry paths or side channels in MoviePy signatures.
FORBIDDEN_KEYWORDS: frozenset[str] = frozenset(
    {
        "filename",
        "font",
        "temp_audiofile",
        "temp_audiofile_path",
        "remove_temp",
        "write_logfile",
        "logger",
        "ffmpeg_params",
        "threads",
    }
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

#: Constructors with path-typed parameters: the positions of those parameters.
PATH_POSITIONS: dict[str, frozenset[int]] = {"TextClip": frozenset({0, 2})}

_TOPLEVEL = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Assign, ast.AnnAssign, ast.Expr)
# A path: a separator, a home/dot prefix, or a file-like extension at the end.
_PATHISH = re.compile(r"[/\\]|^~|^\.\.?$|\.[A-Za-z][A-Za-z0-9]{1,4}$")
_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True)
class Finding:
    """One reason a script is refused.

    Attributes:
        line: 1-based source line (0 when the whole script is concerned).
        rule: Rule id (see the module docstring).
        message: What is wrong and, when obvious, what to do instead.
    """

    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: [{self.rule}] {self.message}"


class _Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.imported: set[str] = set()
        self.bound: set[str] = set()
        self.aliases: dict[str, str] = {}  # local name -> imported name

    def add(self, node: ast.AST | None, rule: str, message: str) -> None:
        self.findings.append(Finding(getattr(node, "lineno", 0), rule, message))

    # --- generic walk: node allowlist, underscores, forbidden identifiers ----------------
    def generic_visit(self, node: ast.AST) -> None:
        if not isinstance(node, ALLOWED_NODES):
            self.add(node, "node", f"{type(node).__name__} is not allowed in edit scripts")
            return  # its children would only repeat the same refusal
        super().generic_visit(node)

    def _identifier(self, node: ast.AST, name: str, what: str) -> None:
        if name.startswith("_"):
            self.add(node, "underscore", f"{what} {name!r} starts with '_' (private names)")
        elif name in FORBIDDEN_NAMES:
            self.add(node, "forbidden-name", f"{what} {name!r} is forbidden in edit scripts")

    # --- statements ---------------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> None:
        for stmt in node.body:
            if not isinstance(stmt, _TOPLEVEL):
                self.add(
                    stmt,
                    "toplevel",
                    f"module level may hold only imports, assignments and functions, "
                    f"not {type(stmt).__name__}",
                )
            elif isinstance(stmt, ast.Expr) and not (
                isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
            ):
                self.add(stmt, "toplevel", "module level may not run expressions or calls")
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name != "math":
                self.add(
                    node,
                    "import",
                    f"import {alias.name!r} is not allowed; use 'from moviepy import ...' "
                    "(allowed: VideoClip, ColorClip, TextClip, CompositeVideoClip, "
                    "concatenate_videoclips, clips_array, vfx, afx) or 'import math'",
                )
            if alias.asname:
                self._identifier(node, alias.asname, "alias")
            self.imported.add(alias.asname or alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        allowed = ALLOWED_IMPORTS.get(module) if node.level == 0 else None
        for alias in node.names:
            if allowed is None:
                self.add(
                    node,
                    "import",
                    f"importing from {'.' * node.level}{module!r} is not allowed "
                    f"(allowed modules: {', '.join(sorted(ALLOWED_IMPORTS))})",
                )
            elif alias.name not in allowed:
                self.add(
                    node,
                    "import",
                    f"{alias.name!r} may not be imported from {module!r} "
                    f"(allowed: {', '.join(sorted(allowed))})",
                )
            if alias.asname:
                self._identifier(node, alias.asname, "alias")
            self.imported.add(alias.asname or alias.name)
            self.aliases[alias.asname or alias.name] = alias.name

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.decorator_list:
            self.add(node, "decorator", f"function {node.name!r} may not have decorators")
        self._identifier(node, node.name, "function name")
        self.bound.add(node.name)
        for child in node.decorator_list:
            self.visit(child)
        self.visit(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        for stmt in node.body:
            self.visit(stmt)

    def visit_arg(self, node: ast.arg) -> None:
        self._identifier(node, node.arg, "argument")
        self.bound.add(node.arg)
        if node.annotation is not None:
            self.visit(node.annotation)

    # --- expressions --------------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        self._identifier(node, node.id, "name")
        if isinstance(node.ctx, ast.Store):
            self.bound.add(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if isinstance(node.ctx, ast.Store):
            self.add(
                node,
                "attribute-store",
                f"assigning to attribute {attr!r} is not allowed (clips are immutable: "
                "use the with_* methods; module attributes are read-only)",
            )
        if attr.startswith("_"):
            self.add(node, "underscore", f"attribute {attr!r} starts with '_' (private names)")
        elif attr in ("format", "format_map"):
            self.add(node, "attribute", f"str.{attr} is forbidden; use an f-string")
        elif attr.startswith("write_") or attr in ("save_frame", "preview", "show"):
            self.add(
                node,
                "attribute",
                f".{attr}() is forbidden: scripts never write or display; return the clip "
                "and the studio renders it",
            )
        elif attr not in ALLOWED_ATTRIBUTES:
            self.add(node, "attribute", f"attribute {attr!r} is not on the allowlist")
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name | ast.Attribute):
            self.add(
                node,
                "call",
                "calls are allowed only through a plain name or an allowed attribute",
            )
        if isinstance(node.func, ast.Name):
            self._path_positions(node, self.aliases.get(node.func.id, ""))
        for kw in node.keywords:
            if kw.arg is None:
                self.add(node, "keyword", "'**' keyword unpacking is not allowed in calls")
            elif kw.arg.startswith("_"):
                self.add(node, "underscore", f"keyword {kw.arg!r} starts with '_'")
            elif kw.arg in FORBIDDEN_KEYWORDS:
                hint = " (TextClip uses its built-in font)" if kw.arg == "font" else ""
                self.add(node, "keyword", f"keyword {kw.arg!r} is not allowed{hint}")
        self.generic_visit(node)

    def _path_positions(self, node: ast.Call, name: str) -> None:
        positions = PATH_POSITIONS.get(name)
        if positions is None:
            return
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            self.add(node, "positional", f"{name}() may not take '*' arguments")
        for index in sorted(positions):
            if index < len(node.args):
                self.add(
                    node,
                    "positional",
                    f"{name}() argument {index + 1} is a file path; pass text= by keyword",
                )

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Store | ast.Del):
            base: ast.expr = node.value
            while isinstance(base, ast.Subscript):
                base = base.value
            if not isinstance(base, ast.Name):
                self.add(
                    node,
                    "subscript-store",
                    "item assignment is allowed only into a plain local variable, "
                    "not through an attribute or call (clips are immutable)",
                )
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _PATHISH.search(node.value.strip()):
            self.add(
                node,
                "path",
                f"string {node.value[:40]!r} looks like a file path; scripts never name "
                "files (the input clip is passed in as `source`)",
            )
        elif isinstance(node.value, bytes):
            self.add(node, "node", "bytes literals are not allowed")


_SCOPES = (ast.FunctionDef, ast.Lambda, ast.ListComp, ast.GeneratorExp)


def _bound_here(nodes: list[ast.AST]) -> set[str]:
    """Names bound directly in a scope (not inside the scopes nested in it)."""
    bound: set[str] = set()
    pending = list(nodes)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name)
        if isinstance(node, ast.FunctionDef):
            bound.add(node.name)
            pending.extend([*node.args.defaults, *node.args.kw_defaults])  # type: ignore[list-item]
            continue
        if isinstance(node, _SCOPES):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return bound


def _scope_parts(node: ast.AST) -> tuple[set[str], list[ast.AST], list[ast.AST]]:
    """(names the scope binds, nodes evaluated outside it, nodes evaluated inside it)."""
    if isinstance(node, ast.FunctionDef | ast.Lambda):
        args = node.args
        names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        outside: list[ast.AST] = [*args.defaults, *(d for d in args.kw_defaults if d)]
        body = node.body if isinstance(node.body, list) else [node.body]
        return names | _bound_here(list(body)), outside, list(body)
    assert isinstance(node, ast.ListComp | ast.GeneratorExp)
    first, *rest = node.generators
    inside: list[ast.AST] = [first.target, *first.ifs, *rest, node.elt]
    return _bound_here(inside), [first.iter], inside


def _check_names(tree: ast.Module, imported: set[str]) -> list[Finding]:
    """Every loaded name must be bound in its own scope or an enclosing one."""
    findings: list[Finding] = []
    module = _bound_here(list(tree.body)) | imported | set(ALLOWED_BUILTINS)

    def visit(node: ast.AST, scopes: list[set[str]]) -> None:
        if isinstance(node, _SCOPES):
            names, outside, inside = _scope_parts(node)
            for part in outside:
                visit(part, scopes)
            for part in inside:
                visit(part, [*scopes, names])
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            name = node.id
            if not any(name in scope for scope in scopes) and not (
                name.startswith("_") or name in FORBIDDEN_NAMES  # reported by the checker
            ):
                where = "a builtin that is not allowed" if name in _BUILTIN_NAMES else "undefined"
                findings.append(
                    Finding(node.lineno, "unknown-name", f"name {name!r} is {where} here")
                )
        for child in ast.iter_child_nodes(node):
            visit(child, scopes)

    visit(tree, [module])
    return findings


def _check_path_callables(tree: ast.Module, aliases: dict[str, str]) -> list[Finding]:
    """Constructors with path parameters may only be called, never renamed or passed on."""
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return [
        Finding(
            node.lineno,
            "positional",
            f"{node.id!r} may only be called directly (it takes a file path)",
        )
        for node in ast.walk(tree)
        if isinstance(node, ast.Name)
        and isinstance(node.ctx, ast.Load)
        and aliases.get(node.id) in PATH_POSITIONS
        and id(node) not in callees
    ]


def check(source: str) -> list[Finding]:
    """Check a script against the policy.

    Args:
        source: Python source of an edit script.

    Returns:
        Every finding, ordered by line; empty when the script is allowed.
    """
    try:
        tree = ast.parse(source, filename="edit_script.py", mode="exec")
    except SyntaxError as exc:
        return [Finding(exc.lineno or 0, "syntax", f"syntax error: {exc.msg}")]
    checker = _Checker()
    checker.visit(tree)
    findings = checker.findings
    findings += _check_names(tree, checker.imported)
    findings += _check_path_callables(tree, checker.aliases)
    entry = [
        stmt for stmt in tree.body if isinstance(stmt, ast.FunctionDef) and stmt.name == "edit"
    ]
    if not entry:
        findings.append(Finding(0, "entrypoint", "define a module-level function edit(source)"))
    elif not (entry[0].args.args or entry[0].args.posonlyargs):
        findings.append(
            Finding(entry[0].lineno, "entrypoint", "edit() must take the source clip argument")
        )
    return sorted(set(findings), key=lambda f: (f.line, f.rule, f.message))


def ensure_allowed(source: str) -> None:
    """Raise unless ``source`` passes the policy.

    Args:
        source: Python source of an edit script.

    Raises:
        PolicyViolation: With every finding in ``reasons`` ("line N: [rule] message").
    """
    findings = check(source)
    if findings:
        reasons = [str(f) for f in findings]
        raise PolicyViolation(
            f"edit script refused by policy ({len(reasons)} finding(s)): {reasons[0]}",
            reasons,
        )
