"""Caches whose value is computed once, however many threads first ask for it together.

``functools.cache`` and ``lru_cache`` take no lock: threads that miss at the same moment each
compute the value, and one of them is kept. That is harmless for a cheap value and costly
for an expensive one asked for by several threads at once, which is exactly how a footage
batch starts: its first clip's six scene requests each built the inference tier's TLS
context (certifi's CA bundle loaded, ~30 ms of CPU) and compiled the analysis prompt, six
times over on the way to the batch's first model request. ``locked_cache`` is ``lru_cache``
behind a lock: the first caller computes, the others wait for its value. The lock is held
for hits too (a dictionary look-up), so it suits values that are slow to make and quick
to use, not hot tight loops.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Generic, ParamSpec, TypeVar

__all__ = ["Locked", "locked_cache"]

P = ParamSpec("P")
T = TypeVar("T")


class Locked(Generic[P, T]):
    """A cached function called under a lock; ``cache_clear`` empties it."""

    def __init__(self, cached: Any) -> None:
        self._cached = cached
        self._lock = threading.Lock()
        self.__wrapped__ = cached.__wrapped__
        self.__doc__ = cached.__doc__

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        """The cached value, computed now by this caller if no other has it or is making it."""
        with self._lock:
            value: T = self._cached(*args, **kwargs)
            return value

    def cache_clear(self) -> None:
        """Forget every value (the next call computes again)."""
        with self._lock:
            self._cached.cache_clear()


def locked_cache(maxsize: int | None = None) -> Callable[[Callable[P, T]], Locked[P, T]]:
    """``functools.lru_cache(maxsize)`` whose misses are computed by one thread at a time.

    A call that raises caches nothing, as with ``lru_cache``: the next caller tries again.
    """

    def wrap(function: Callable[P, T]) -> Locked[P, T]:
        return Locked(lru_cache(maxsize=maxsize)(function))

    return wrap
