"""Visual tokens: the pixel budget of a frame on Qwen2.5-VL's 28-pixel patch grid."""

from __future__ import annotations

import math

__all__ = ["DEFAULT_MAX_PIXELS", "PATCH", "target_size", "visual_tokens"]

PATCH = 28
DEFAULT_MAX_PIXELS = 448 * 448


def visual_tokens(width: int, height: int) -> int:
    """Qwen2.5-VL image tokens for a ``width`` x ``height`` image (one per 28x28 patch).

    Args:
        width: Image width in pixels.
        height: Image height in pixels.

    Returns:
        ``ceil(height / 28) * ceil(width / 28)``.
    """
    return math.ceil(height / PATCH) * math.ceil(width / PATCH)


def target_size(width: int, height: int, max_pixels: int) -> tuple[int, int]:
    """Output size under a pixel budget, sides on the 28-pixel grid, never upscaled.

    Args:
        width: Source width.
        height: Source height.
        max_pixels: Upper bound on ``width * height`` of the result.

    Returns:
        ``(width, height)``, each a multiple of 28 and at least 28.
    """
    scale = min(1.0, math.sqrt(max_pixels / float(width * height)))
    out_w = max(PATCH, int(width * scale) // PATCH * PATCH)
    out_h = max(PATCH, int(height * scale) // PATCH * PATCH)
    return out_w, out_h
