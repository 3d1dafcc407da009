"""The syntax walk of the policy: node kinds, imports, identifiers, stores.

One pass over the tree refuses any node kind not in ``ALLOWED_NODES``, decorators, names
starting with ``_`` or in ``FORBIDDEN_NAMES``, imports off ``ALLOWED_IMPORTS``, attribute
stores and item stores through anything but a plain local name; it hands attributes,
calls and constants to their own checks (``attributes``, ``calls``) and records what the
later passes need: the imported names and the local aliases of imported names.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .allowlist import ALLOWED_IMPORTS, ALLOWED_NODES, FORBIDDEN_NAMES, TOPLEVEL
from .attributes import attribute_findings
from .calls import call_findings, constant_findings
from .finding import Finding

__all__ = ["SyntaxFacts", "walk_syntax"]


@dataclass(frozen=True)
class SyntaxFacts:
    """What one walk found.

    Attributes:
        findings: Every refusal of the walk.
        imported: Names bound by imports.
        aliases: Local name -> the imported name it stands for.
    """

    findings: list[Finding]
    imported: set[str]
    aliases: dict[str, str]


def walk_syntax(tree: ast.Module) -> SyntaxFacts:
    """Walk ``tree`` once with the syntax checks."""
    walker = _Walker()
    walker.visit(tree)
    return SyntaxFacts(walker.findings, walker.imported, walker.aliases)


class _Walker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.imported: set[str] = set()
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
            if not isinstance(stmt, TOPLEVEL):
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
        for child in node.decorator_list:
            self.visit(child)
        self.visit(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        for stmt in node.body:
            self.visit(stmt)

    def visit_arg(self, node: ast.arg) -> None:
        self._identifier(node, node.arg, "argument")
        if node.annotation is not None:
            self.visit(node.annotation)

    # --- expressions --------------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        self._identifier(node, node.id, "name")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.findings += attribute_findings(node)
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        self.findings += call_findings(node, self.aliases)
        self.generic_visit(node)

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
        self.findings += constant_findings(node)
