"""The parser's working state: the normalised request and which spans are already read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from ._frames import request_rate
from ._patterns import Quantity, clause_end, clause_start, negated, normalise, quantities
from ._typos import correct_typos
from .model import ShotPick

__all__ = ["Scan"]


class Scan:
    """A request being read: rules take the spans they understood, so no word counts twice."""

    def __init__(self, raw: str, fps: float | None = None) -> None:
        # Typos first: they change lengths, and every span below indexes both texts.
        self.raw = correct_typos(raw)
        self.text = normalise(self.raw)
        # The rate frames are counted at: the request's own, else the footage's (``fps``).
        self.fps = request_rate(self.text, fps)
        self.taken: list[tuple[int, int]] = []
        # The asks (``Brief`` fields) each taken span was read for, in ``taken``'s order.
        self.owners: list[frozenset[str]] = []
        self._reading: frozenset[str] = frozenset()
        self.fields: dict[str, Any] = {}
        # Asks that were recognised but lost to a stronger one; reported, never dropped.
        self.extra_free: list[str] = []
        # The rows of a shot list, (start, end, the shot each shows): a speed said in a row is
        # that shot's (see :mod:`tasks.brief._shot_list`).
        self.shot_rows: list[tuple[int, int, ShotPick | None]] = []

    def is_free(self, a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in self.taken)

    def read_as(self, a: int, b: int) -> frozenset[str]:
        """The asks the taken spans overlapping ``[a, b)`` were read for."""
        keys = [k for (x, y), k in zip(self.taken, self.owners, strict=True) if a < y and x < b]
        return frozenset().union(*keys)

    def take(self, a: int, b: int, *keys: str) -> None:
        """Mark ``[a, b)`` read, for the asks ``keys`` (default: those the rule reads)."""
        self.taken.append((a, b))
        self.owners.append(frozenset(keys) or self._reading)

    @contextmanager
    def reading(self, *keys: str) -> Iterator[None]:
        """Spans taken inside the block were read for the asks ``keys`` (unless told)."""
        self._reading = frozenset(keys)
        try:
            yield
        finally:
            self._reading = frozenset()

    def left_for(self, key: str) -> str:
        """The text with every word read as another ask blanked out (same length).

        Words the parse read as one ask ("9:16" the aspect, "the opening third" the footage
        used) are no ground for a different one (a length, the opening shot).
        """
        chars = list(self.text)
        for (a, b), keys in zip(self.taken, self.owners, strict=True):
            if key not in keys:
                chars[a:b] = " " * (b - a)
        return "".join(chars)

    def find(self, rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches of ``rx`` that do not touch a span already taken (checked lazily)."""
        for m in rx.finditer(self.text):
            if self.is_free(m.start(), m.end()):
                yield m

    def negated(self, start: int) -> bool:
        return negated(self.text, start)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return clause_start(self.text, start), clause_end(self.text, end)

    @cached_property
    def _all_quantities(self) -> list[Quantity]:
        return quantities(self.text, self.fps)

    def quantities(self) -> list[Quantity]:
        """Durations written in the request that no rule has read yet."""
        return [q for q in self._all_quantities if self.is_free(q.start, q.end)]

    def before(self, pos: int, chars: int = 60) -> str:
        """Text of the clause just before ``pos`` (at most ``chars`` characters)."""
        return self.text[max(clause_start(self.text, pos), pos - chars) : pos]

    def rule(self, key: str, value: object, when_negated: object, rx: str) -> None:
        """Record ``value`` for every free match of ``rx`` (``when_negated`` after a "no").

        A phrase that carries its own "no" ("no transitions", "no colour") is not negated;
        a negated phrase with nothing to record is still taken.
        """
        for m in self.find(re.compile(rf"\b(?:{rx})")):
            own = re.match(r"(?:no|without)\b", m.group(0)) is not None
            chosen = when_negated if self.negated(m.start()) and not own else value
            if chosen is not None:
                self.set(key, chosen, m.group(0))
            self.take(m.start(), m.end(), key)

    def set(self, key: str, value: Any, text: str) -> None:
        """Record a field; a second, different answer for it is kept as free text."""
        if key in self.fields and self.fields[key] != value:
            self.extra_free.append(text.strip())
            return
        self.fields[key] = value
