"""Animation AI Studio: declarative creative jobs over one inference tier."""

from core.exceptions import StudioError
from core.settings import Settings, get_settings

__all__ = ["Settings", "StudioError", "get_settings"]
__version__ = "0.1.0"
