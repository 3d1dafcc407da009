"""MoviePy's import in the jail, without ``importlib.metadata`` (trusted, runs in the jail).

Bound next to the harness; imports nothing from the project. Two of MoviePy's
dependencies ask ``importlib.metadata`` for their own version as they are imported (tqdm,
through proglog, and imageio). That module pulls in ``email``, ``zipfile``, ``csv`` and
more, and each answer parses a whole ``METADATA`` file with the email parser: together
about a tenth of the CPU time of MoviePy's import, in every run. For the duration of that
import only, ``import_moviepy`` puts a stand-in in its place that answers ``version()``
from the names of the ``*.dist-info`` directories bound under ``/sandbox/lib``; anything
else asked of it loads the real module. Afterwards the real module is what
``import importlib.metadata`` finds again.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import types
from typing import Any

__all__ = ["import_moviepy"]

_NAME = "importlib.metadata"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed(directory: str) -> dict[str, str]:
    """``{normalised name: version}`` from ``<name>-<version>.dist-info`` entries."""
    found = {}
    for entry in os.listdir(directory):
        if entry.endswith(".dist-info"):
            name, _, version = entry[: -len(".dist-info")].partition("-")
            if version:
                found[_normal(name)] = version
    return found


class _PackageNotFoundError(ModuleNotFoundError):
    """Raised by the stand-in's ``version()`` for a distribution that is not bound."""


def _stand_in(versions: dict[str, str], loaded: dict[str, Any]) -> types.ModuleType:
    module = types.ModuleType(_NAME)

    def version(distribution_name: str) -> str:
        try:
            return versions[_normal(distribution_name)]
        except KeyError:
            raise _PackageNotFoundError(distribution_name) from None

    def real(attribute: str) -> Any:
        # Anything but version(): the real module, imported once from its own file. Not
        # for dunders: the import system asks every module for ``__path__`` and the like.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if _NAME not in loaded:
            del sys.modules[_NAME]
            try:
                import importlib.metadata as metadata
            finally:
                sys.modules[_NAME] = module
            loaded[_NAME] = metadata
        return getattr(loaded[_NAME], attribute)

    module.version = version  # type: ignore[attr-defined]
    module.PackageNotFoundError = _PackageNotFoundError  # type: ignore[attr-defined]
    module.__getattr__ = real  # type: ignore[method-assign]
    return module


def import_moviepy(lib: str) -> None:
    """Import ``moviepy`` (its dependencies bound under ``lib``) with the stand-in in place."""
    if _NAME in sys.modules or "moviepy" in sys.modules:
        importlib.import_module("moviepy")  # the real module is loaded: nothing to save
        return
    loaded: dict[str, Any] = {}
    sys.modules[_NAME] = _stand_in(_installed(lib), loaded)
    try:
        importlib.import_module("moviepy")
    finally:
        del sys.modules[_NAME]
        if _NAME in loaded:  # the real one was needed: it stays the one imports find
            sys.modules[_NAME] = loaded[_NAME]
