"""The sound a piece of the render plays: its source moment heard at an output time.

The render's and the sources' audio are decoded once (``tasks.audio.read_audio``, 16 kHz)
and kept in the evidence's cache; a segment's sound is matched in its source (``_sync``) at
its mapped speed and the round speed near it.
"""

from __future__ import annotations

import math
from typing import Any

from tasks.audio import SAMPLE_RATE, read_audio

from ._evidence import Evidence
from ._segments import Segment
from ._sync import Heard, heard_at

__all__ = ["hear", "heard_side", "render_sound", "source_sound", "speeds"]

_SPEED_STEP = 0.05
# A still picture's mapped moments may be further off than the sound is searched.
_FAR_S = 0.6


def render_sound(ev: Evidence) -> Any:
    """The render's decoded audio (None without a track)."""
    if "sound" not in ev.cache:
        ev.cache["sound"] = read_audio(ev.render.path)
    return ev.cache["sound"]


def source_sound(ev: Evidence, source: int) -> Any:
    """Clip ``source``'s decoded audio (None without a track)."""
    key = ("audio", source)
    if key not in ev.cache:
        ev.cache[key] = read_audio(ev.sources[source].path)
    return ev.cache[key]


def heard_side(ev: Evidence, seg: Segment, at: float, to: float) -> Heard | None:
    """``seg``'s sound heard from output ``at`` (towards ``to``, where it plays alone)."""
    source = source_sound(ev, seg.source)
    mapped = seg.speed if seg.speed is not None else 1.0
    if source is None or mapped <= 0 or to - at < 0.05:
        return None  # a reversed shot, or too little sound clear of the cuts
    found = []
    # A still picture's mapped moments may be further off than the sound is searched
    # (Megamind's last scene by 0.5 s): nothing heard there, it is sought either side.
    for shift in (0.0, -_FAR_S, _FAR_S):
        for speed in speeds(mapped):
            guess = seg.src_start + (at - seg.out_start) * speed + shift
            found_at = hear(render_sound(ev), source, at, guess, speed, to)
            if found_at is not None:
                found.append((found_at[0], Heard(source.mono, at, found_at[1], speed, to)))
        if found:
            break
    return min(found, key=lambda f: f[0])[1] if found else None


def speeds(mapped: float | None) -> list[float]:
    """The speeds a segment's sound is tried at: its mapped speed and the round ones about it.

    The picture's slope is a few per cent off (0.755 for a 0.75x piece, 0.54 for a near-still
    face slowed to 0.5x), which the sound, matched over 0.4 s, does not forgive; planned
    speeds are round (0.05 steps), the one below or the one above the slope. A still shot's
    mapped speed is noise: the normal speed is tried too.
    """
    if mapped is None or mapped <= 0:
        return [1.0]
    below = math.floor(mapped / _SPEED_STEP + 1e-6) * _SPEED_STEP
    above = below + (_SPEED_STEP if mapped - below > 1e-3 else 0.0)
    rounds = {round(max(_SPEED_STEP, s), 2) for s in (below, above)}
    return sorted({1.0, mapped, *rounds})


def hear(
    render: Any, source: Any, out_t: float, guess: float, speed: float, out_end: float
) -> tuple[float, float] | None:
    """``heard_at`` on decoded audio: (-score, source time) heard at ``out_t``, or None."""
    return heard_at(
        render.mono,
        source.mono,
        SAMPLE_RATE,
        out_t,
        max(0.0, guess),
        speed=speed,
        span_s=out_end - out_t,
    )
