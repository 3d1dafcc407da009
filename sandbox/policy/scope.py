"""Names in a script, scope by scope: every loaded name must be bound where it is used.

A name is known in a scope when that scope or an enclosing one binds it (an assignment, a
parameter, a ``for`` target, a function), when it is imported, or when it is one of the
``ALLOWED_BUILTINS``. Binding a name inside one function does not make it known in
another: a parameter called ``open`` in an unused helper leaves ``open`` unknown elsewhere.
"""

from __future__ import annotations

import ast
import builtins

from .allowlist import ALLOWED_BUILTINS, FORBIDDEN_NAMES
from .finding import Finding

__all__ = ["name_findings"]

_BUILTIN_NAMES = frozenset(dir(builtins))
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


def name_findings(tree: ast.Module, imported: set[str]) -> list[Finding]:
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
