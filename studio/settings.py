"""Moved to :mod:`core.settings`; kept only for modules of unmerged branches.

``sandbox/runner.py`` still imports ``studio.settings``; it switches to ``core.settings`` when
its branch merges, and this module goes.
"""

from core.settings import *  # noqa: F403
from core.settings import __all__ as __all__
