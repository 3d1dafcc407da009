"""A deterministic parse of a request's own words into a ``Brief``.

The model's proposal is cross-checked against this parse (see :mod:`tasks.brief.merge`):
numbers, units and the fixed vocabulary of editing ("2x", "monochrome", "hard cuts",
"end on the brightest shot") are read here by rules, so they can never be lost or invented.
Rules run in a fixed order and each takes the words it understood; whatever still asks
something is kept as free text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from ._corrections import take_back
from ._except import read_except
from ._fade_lengths import read_fade_lengths
from ._fades import read_fades
from ._frames import read_rate
from ._free import read_free_text
from ._kept import read_kept
from ._length import read_bounds, read_share, read_target
from ._order import read_order
from ._picks import read_picks
from ._relative import read_relative
from ._rules import read_audio, read_captions, read_format, read_looks
from ._scan import Scan
from ._shot_list import read_shot_list
from ._sound import read_sound
from ._speeds import read_speeds
from ._stops import read_stops
from ._timing import read_use
from ._trims import read_trims
from ._whole_source import read_whole_source
from ._whole_speed import read_whole_sped
from .model import Brief, DurationAsk, SourceUse, SpeedAsk

__all__ = ["default_tolerance", "parse_request", "read_request"]


def default_tolerance(target_s: float) -> float:
    """Allowed error on a target length: 5%, never under 0.3 s (about a frame at 10 fps)."""
    return round(max(0.3, 0.05 * target_s), 3)


def _assemble(scan: Scan) -> Brief:
    f = scan.fields
    data: dict[str, Any] = {
        k: f[k]
        for k in ("colour", "transitions", "fade_in", "fade_out", "fade_in_s", "fade_out_s",
                  "transition_s", "captions", "order", "playback",
                  "aspect", "size", "audio", "speeds", "start_on", "end_on")
        if k in f
    }  # fmt: skip
    target, low, high, share, less = (
        f.get(f"duration_{k}") for k in ("target", "min", "max", "share", "shorter_by")
    )
    if low is not None and high is not None and low > high:
        low, high = high, low
    if any(v is not None for v in (target, low, high, share, less)):
        data["duration"] = DurationAsk(
            target_s=target,
            min_s=low,
            max_s=high,
            tolerance_s=default_tolerance(target) if target else 0.3,
            share_of_source=share,
            shorter_by_s=less if target is None and share is None else None,
        )
    if "use" in f:
        data["use"] = SourceUse(**f["use"])
    data["speeds"] = [SpeedAsk(**s) for s in f.get("speeds", [])]
    if "sound" in f:
        data["sound"] = f["sound"]
    for end in ("fade_in", "fade_out"):  # "a 2 s fade in" asks for one
        if f"{end}_s" in data:
            data.setdefault(end, True)
    data["free_text"] = read_free_text(scan)
    return Brief(**data)


def parse_request(text: str, fps: float | None = None) -> Brief:
    """Read the checkable asks of a request, by rules, and keep the rest as free text.

    Args:
        text: The creative request, as the user wrote it.
        fps: The footage's frame rate, to time frames and timecodes with ("frames 48-96",
            "00:00:03:12"); a rate the request states wins. None: times in frames stay free
            text.

    Returns:
        The brief the request's own words support; fields the request is silent on stay empty.
    """
    return _assemble(read_request(text, fps))


def read_request(text: str, fps: float | None = None) -> Scan:
    """The request read by every rule: the fields found and which words each ask took.

    An ask taken back by a correction ("8 s... actually 6 s") is left out.
    """
    return take_back(_collapse(text), partial(_read, fps=fps))


def _collapse(text: str) -> str:
    """Runs of white space made one space, or one line break where they hold one.

    Line breaks are kept: a row of a shot list or a field of a spec ends at its line.
    """
    return re.sub(r"\s+", lambda m: "\n" if "\n" in m.group(0) else " ", text.strip())


def _read(text: str, taken_back: Sequence[tuple[int, int]], fps: float | None) -> Scan:
    scan = Scan(text, fps)
    for a, b in taken_back:
        scan.take(a, b)  # read, for no ask
    read_rate(scan)  # the footage's rate, said: no length, no speed
    with scan.reading("captions"):  # first: quoted text may hold any words ("Slow motion 2x")
        read_captions(scan)
    with scan.reading("aspect", "size"):  # before times: "9:16" is not nine minutes
        read_format(scan)
    with scan.reading("fade_in_s", "fade_out_s", "transition_s"):  # before any length
        read_fade_lengths(scan)
    with scan.reading("start_on", "end_on"):
        read_shot_list(scan)  # before lengths: a shot's length is not the edit's
    with scan.reading("audio"):
        read_kept(scan)  # before the single nouns: "keep the colour and sound" keeps both
        read_audio(scan)
    with scan.reading("order", "playback"):
        read_order(scan)
    with scan.reading("sound"):
        read_sound(scan)
    with scan.reading("use", "duration"):
        read_trims(scan)  # before heads and tails: "lose the first 2 s" is no head
        read_stops(scan)  # before picks at a time: "nothing before 0:30" places no shot
        read_except(scan)  # before picks: "leave out the last scene" ends on no shot
        read_use(scan)
        read_whole_sped(scan)
        read_whole_source(scan)
    with scan.reading("duration"):
        read_relative(scan)  # before shares: "take a third off" is two thirds of it
        read_share(scan)
        read_bounds(scan)
    with scan.reading("colour", "transitions", "fade_in", "fade_out"):
        read_looks(scan)
        read_fades(scan)  # before picks: "end with a fade" is a fade, not a shot
    with scan.reading("start_on", "end_on"):
        read_picks(scan)
    with scan.reading("speeds"):
        read_speeds(scan)
    with scan.reading("duration"):
        read_target(scan)
    return scan
