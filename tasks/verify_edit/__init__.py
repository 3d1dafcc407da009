"""Verify a render against its brief (see ``verify``)."""

from .verify import verification_key, verify_edit

__all__ = ["verification_key", "verify_edit"]
