"""Words several readers of the request share."""

from __future__ import annotations

__all__ = ["FOOTAGE"]

# The footage the edit is cut from, by the nouns a request calls it ("of the street clip",
# "the trailer's sound", "the whole video").
FOOTAGE = r"(?:clip|video|footage|source|trailer|film|movie|recording)"
