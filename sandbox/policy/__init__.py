"""The static policy for generated edit scripts: an AST allowlist, not a blocklist.

A script is allowed only when every syntax node, import, name, attribute, call and keyword
in it is on one of the lists below. Anything not listed is refused with a reason and the
line it is on, so the Coder can repair it. The contract a script must meet:

* it defines ``edit(source)`` at module level and returns the clip to render;
* it imports only from the public MoviePy 2 names in ``ALLOWED_IMPORTS`` (and ``math``);
* it never names a file path, never writes, never opens anything: trusted code opens the
  input clips and renders the returned clip.

The checks live in one module per concept: ``allowlist`` (the data: imports, builtins,
forbidden names, node kinds), ``syntax`` (the walk: nodes, imports, identifiers, stores),
``attributes``, ``calls`` (keywords, path-typed parameters, path strings) and ``scope``
(scope-aware name resolution).

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

from core.exceptions import PolicyViolation

from .allowlist import ALLOWED_BUILTINS, ALLOWED_IMPORTS, ALLOWED_NODES, FORBIDDEN_NAMES
from .attributes import ALLOWED_ATTRIBUTES
from .calls import FORBIDDEN_KEYWORDS, PATH_POSITIONS, path_callable_findings
from .finding import Finding
from .scope import name_findings
from .syntax import walk_syntax

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_BUILTINS",
    "ALLOWED_IMPORTS",
    "ALLOWED_NODES",
    "FORBIDDEN_KEYWORDS",
    "FORBIDDEN_NAMES",
    "PATH_POSITIONS",
    "Finding",
    "check",
    "ensure_allowed",
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
    walked = walk_syntax(tree)
    findings = list(walked.findings)
    findings += name_findings(tree, walked.imported)
    findings += path_callable_findings(tree, walked.aliases)
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
