"""One reason a script is refused (shared by every check of the policy)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding"]


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
