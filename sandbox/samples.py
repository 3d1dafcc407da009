"""The render shows what was validated: the delivered file's frames against the dry run's.

Trusted, host-side (PyAV). A render run starts with exactly the validation a dry run makes
(``sandbox/_harness.py``): three frames of the clip as it will be written, on the render's
own frame grid, each reduced to a grid of block means (``sandbox._handed.fingerprint``).
The parent decodes the same frames from the delivered file and compares. A script that
counts its calls, shows ordinary frames to the validation and other content to the render
is refused: the render is judged on its own frames, not on the dry run's word.

Lossy encoding moves block means by a few levels; other content moves them by tens.
"""

from __future__ import annotations

import math
from pathlib import Path

from ._handed import GRID, fingerprint

__all__ = ["MAX_SAMPLES", "Sample", "mismatch", "parse_samples"]

MAX_SAMPLES = 3
_TOLERANCE = 12.0  # mean absolute difference of block means, 0..255

Sample = tuple[int, list[int]]


def parse_samples(value: object) -> list[Sample] | None:
    """Samples from the (untrusted) result, or None when they are malformed."""
    if not isinstance(value, list) or not 0 < len(value) <= MAX_SAMPLES:
        return None
    parsed = []
    for item in value:
        if not isinstance(item, dict):
            return None
        index, cells = item.get("index"), item.get("cells")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < 10**7:
            return None
        if not isinstance(cells, list) or not 0 < len(cells) <= GRID * GRID * 3:
            return None
        if not all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= 255 for c in cells):
            return None
        parsed.append((index, cells))
    return parsed


def _frames_at(path: Path, indexes: list[int], fps: float) -> dict[int, list[int]]:
    """Fingerprints of the frames at ``indexes`` (on a ``fps`` grid) of the file at ``path``."""
    import av

    found: dict[int, list[int]] = {}
    with av.open(str(path), mode="r") as container:
        stream = container.streams.video[0]
        base = stream.time_base
        for index in sorted(set(indexes)):
            target = index / fps
            if base is not None:
                container.seek(int(target / base), stream=stream, backward=True)
            for frame in container.decode(stream):
                if frame.time is not None and frame.time >= target - 0.5 / fps:
                    found[index] = fingerprint(frame.to_ndarray(format="rgb24"))
                    break
    return found


def mismatch(path: Path, samples: list[Sample], fps: float) -> str | None:
    """Why the file at ``path`` does not show the validated frames (None when it does).

    Args:
        path: The delivered render (a copy outside the jail).
        samples: ``(frame index, fingerprint)`` pairs from the validation.
        fps: The render's frame rate, as probed.
    """
    if not (math.isfinite(fps) and fps > 0):
        return "the render has no frame rate to find its validated frames by"
    frames = _frames_at(path, [index for index, _ in samples], fps)
    for index, cells in samples:
        seen = frames.get(index)
        if seen is None:
            return f"the render has no frame {index}, which was validated"
        if len(seen) != len(cells):
            return f"frame {index} of the render is not the size that was validated"
        difference = sum(abs(a - b) for a, b in zip(seen, cells, strict=True)) / len(cells)
        if difference > _TOLERANCE:
            return (
                f"the render is not what was validated: frame {index} (t={index / fps:.2f} s) "
                f"differs by {difference:.0f} levels on average"
            )
    return None
