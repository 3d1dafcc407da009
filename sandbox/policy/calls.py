"""Calls and paths in a script: how it may call, and that it never names a file.

* calls go through a plain name or an allowed attribute, never ``**`` unpacking, never a
  path-carrying or side-channel keyword (``FORBIDDEN_KEYWORDS``);
* constructors with path-typed parameters (``PATH_POSITIONS``) are refused those
  parameters by position too, take no ``*args``, and may only be called where they are
  named, never renamed or passed on;
* no string constant looks like a file path, and there are no bytes literals.
"""

from __future__ import annotations

import ast
import re

from .finding import Finding

__all__ = [
    "FORBIDDEN_KEYWORDS",
    "PATH_POSITIONS",
    "call_findings",
    "constant_findings",
    "path_callable_findings",
]

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

#: Constructors with path-typed parameters: the positions of those parameters.
PATH_POSITIONS: dict[str, frozenset[int]] = {"TextClip": frozenset({0, 2})}

# A path: a separator, a home/dot prefix, or a file-like extension at the end.
_PATHISH = re.compile(r"[/\\]|^~|^\.\.?$|\.[A-Za-z][A-Za-z0-9]{1,4}$")


def call_findings(node: ast.Call, aliases: dict[str, str]) -> list[Finding]:
    """Why the call itself is refused (its arguments are checked as any expression).

    Args:
        node: The call.
        aliases: Local name -> imported name, to recognise a renamed constructor.
    """
    line = node.lineno
    findings = []
    if not isinstance(node.func, ast.Name | ast.Attribute):
        message = "calls are allowed only through a plain name or an allowed attribute"
        findings.append(Finding(line, "call", message))
    if isinstance(node.func, ast.Name):
        findings += _path_positions(node, aliases.get(node.func.id, ""))
    for kw in node.keywords:
        if kw.arg is None:
            message = "'**' keyword unpacking is not allowed in calls"
            findings.append(Finding(line, "keyword", message))
        elif kw.arg.startswith("_"):
            findings.append(Finding(line, "underscore", f"keyword {kw.arg!r} starts with '_'"))
        elif kw.arg in FORBIDDEN_KEYWORDS:
            hint = " (TextClip uses its built-in font)" if kw.arg == "font" else ""
            findings.append(Finding(line, "keyword", f"keyword {kw.arg!r} is not allowed{hint}"))
    return findings


def _path_positions(node: ast.Call, name: str) -> list[Finding]:
    positions = PATH_POSITIONS.get(name)
    if positions is None:
        return []
    findings = []
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        findings.append(Finding(node.lineno, "positional", f"{name}() may not take '*' arguments"))
    for index in sorted(positions):
        if index < len(node.args):
            message = f"{name}() argument {index + 1} is a file path; pass text= by keyword"
            findings.append(Finding(node.lineno, "positional", message))
    return findings


def path_callable_findings(tree: ast.Module, aliases: dict[str, str]) -> list[Finding]:
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


def constant_findings(node: ast.Constant) -> list[Finding]:
    """A string that looks like a path, or a bytes literal."""
    if isinstance(node.value, str) and _PATHISH.search(node.value.strip()):
        message = (
            f"string {node.value[:40]!r} looks like a file path; scripts never name "
            "files (the input clip is passed in as `source`)"
        )
        return [Finding(node.lineno, "path", message)]
    if isinstance(node.value, bytes):
        return [Finding(node.lineno, "node", "bytes literals are not allowed")]
    return []
