"""Moved to :mod:`core.exceptions`; kept only for modules of unmerged branches.

``sandbox/`` and ``tasks/brief``/``tasks/shots.py`` still import ``studio.exceptions``; they
switch to ``core.exceptions`` when their branches merge, and this module goes.
"""

from core.exceptions import *  # noqa: F403
from core.exceptions import __all__ as __all__
