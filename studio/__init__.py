"""Animation AI Studio: declarative creative jobs over one inference tier."""

from studio.exceptions import StudioError
from studio.settings import Settings, get_settings

__all__ = ["Settings", "StudioError", "get_settings"]
__version__ = "0.1.0"
