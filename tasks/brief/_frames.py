"""Times counted in frames: SMPTE timecodes, frame numbers and frame counts.

A frame has a length only at a frame rate: the rate the request states for its footage ("the
clip runs at 24 fps") or else the footage's own (the job reads it from the clips' headers).
Without a rate nothing is guessed: a timecode with frames is kept whole (no part of it may be
read as a clock time) but given no time, and a frame count is no length, so the ask stays in
the free text and is reported rather than misread.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._patterns import NUM, Quantity, clause_start, number

if TYPE_CHECKING:  # the scan holds the request's rate, read here
    from ._scan import Scan

__all__ = ["counts_frames", "frame_times", "read_rate", "request_rate"]

_RATE_NUM = r"(\d+(?:\.\d+)?|\.\d+)"
# "at 24 fps", "24fps", "@ 25 f/s", "25 frames per second", "a frame rate of 23.976".
_RATE = re.compile(
    rf"(?:\b(?:at|@)\s*|@\s*)?\b{_RATE_NUM}\s*-?\s*(?:fps|f/s|frames?\s*(?:per|a|/)\s*"
    r"(?:sec(?:ond)?|s)\b)|\b(?:a\s+|the\s+|its\s+)?frame[- ]?rate\s*(?:of|is|:|=|at)?\s*"
    rf"{_RATE_NUM}(?:\s*fps\b)?"
)
# A rate asked of the edit ("render at 30 fps", "export 60fps") is no rate of the footage:
# the parse has no field for it, so it stays in the free text, and frames are not read at it.
_OUTPUT = re.compile(
    r"\b(?:render|export|deliver|output|encode|convert|conform|transcode|upload|publish|"
    r"save|make\s+it)\w*\b"
)
_PER_SECOND = r"(?!\s*(?:per|a|/)\s*(?:sec(?:ond)?|s)\b)"
# SMPTE hh:mm:ss:ff (";" before the frames: drop-frame), and mm:ss;ff (only ";" says so:
# a bare three-part code is hh:mm:ss).
_TIMECODE = re.compile(
    r"(?<!\d)(?<!\d[:;.])(?:(\d{1,2}):([0-5]\d):([0-5]\d)([:;])|([0-5]?\d):([0-5]\d)(;))"
    r"(\d{2})(?!\d|[:;.]\d)"
)
# "frame 120", "frames 48-96", "frame #12": a frame numbered is a point of the source; a
# number after a dash ("48-96") ends the span it opens.
_UNIT_AFTER = r"\s*-?\s*(?:%|x\b|fps\b|m?s\b|secs?\b|seconds?\b|mins?\b|minutes?\b|frames?\b)"
_NUMBERED = re.compile(
    r"\bframes?\s*(?:#\s*|no\.?\s*|number\s+)?(\d+)(?!\d|[.:;]\d)"
    rf"(?:(\s*(?:-|to|through|thru|until|till|and)\s*)(\d+)(?!\d|[.:;]\d|{_UNIT_AFTER}))?"
    rf"(?!{_UNIT_AFTER})"
)
# "20 frames", "a 12-frame dissolve", "48-72 frames": counts of frames are lengths.
_WORD = rf"(?!an?\b){NUM}"
_COUNTED = re.compile(
    rf"(?<![\d:;.])\b({_WORD})(?:(\s*(?:-|to)\s*)({_WORD}))?\s*-?\s*frames?\b{_PER_SECOND}"
)


def _rates(text: str) -> list[tuple[float, int, int]]:
    """The footage rates ``text`` states: (fps, start, end); rates of the output left out."""
    out = []
    for m in _RATE.finditer(text):
        rate = float(m.group(1) or m.group(2))
        if 0 < rate <= 1000 and not _OUTPUT.search(text, clause_start(text, m.start()), m.start()):
            out.append((rate, m.start(), m.end()))
    return out


def request_rate(text: str, footage_fps: float | None) -> float | None:
    """The rate frames in ``text`` (normalised) are counted at.

    One rate stated of the footage wins over the footage's own; two different ones leave no
    rate (which one a frame is counted at cannot be told).
    """
    stated = {rate for rate, _, _ in _rates(text)}
    if stated:
        return stated.pop() if len(stated) == 1 else None
    return footage_fps if footage_fps and footage_fps > 0 else None


def read_rate(scan: Scan) -> None:
    """Take the words stating the footage's rate: read, for no ask of the edit."""
    for _, start, end in _rates(scan.text):
        if scan.is_free(start, end):
            scan.take(start, end)


def counts_frames(text: str) -> bool:
    """Whether ``text`` (normalised) writes a time in frames, at whatever rate."""
    return any(rx.search(text) for rx in (_TIMECODE, _NUMBERED, _COUNTED))


def _timecode(m: re.Match[str], fps: float) -> float | None:
    """Seconds of an SMPTE timecode at ``fps``, or None when its frames do not fit the rate.

    The frames are counted at the nominal rate (30 for 29.97); with ";" at 29.97 or 59.94 the
    labels dropped each minute but every tenth are left out (drop-frame), so the code is the
    clock time it was made to track.
    """
    hours, minutes, secs = int(m.group(1) or 0), int(m.group(2) or m.group(5)), m.group(3)
    seconds = int(secs) if secs is not None else int(m.group(6))
    frames, nominal = int(m.group(8)), round(fps)
    if frames >= nominal:
        return None  # "00:00:01:30" at 25 fps names no frame
    count = ((hours * 60 + minutes) * 60 + seconds) * nominal + frames
    drop = (m.group(4) or m.group(7)) == ";" and nominal in (30, 60) and abs(fps - nominal) > 0.01
    if drop:
        total = hours * 60 + minutes
        count -= nominal // 15 * (total - total // 10)
    return count / fps


def frame_times(text: str, fps: float | None) -> tuple[list[Quantity], list[tuple[int, int]]]:
    """Times written in frames in ``text`` (normalised), and every span they hold.

    A span holding no time (no rate, or a code whose frames do not fit it) is still held, so
    that its digits are not read as a clock time or a length.
    """
    found: list[Quantity] = []
    spans: list[tuple[int, int]] = []

    def add(start: int, end: int, seconds: float | None, clock: bool) -> None:
        spans.append((start, end))
        if seconds is not None:
            found.append(Quantity(start, end, round(seconds, 6), clock=clock))

    def free(start: int, end: int) -> bool:
        return not any(start < b and a < end for a, b in spans)

    for m in _TIMECODE.finditer(text):
        add(m.start(), m.end(), _timecode(m, fps) if fps else None, True)
    if not fps:
        return found, spans
    for m in _NUMBERED.finditer(text):
        if free(m.start(), m.end()):
            add(m.start(), m.end(1), int(m.group(1)) / fps, True)
            if m.group(3) is not None:
                add(m.start(3), m.end(3), int(m.group(3)) / fps, True)
    for m in _COUNTED.finditer(text):
        if free(m.start(), m.end()):
            if m.group(3) is None:
                add(m.start(), m.end(), number(m.group(1)) / fps, False)
            else:  # "48-72 frames": each end a count of frames
                add(m.start(), m.end(1), number(m.group(1)) / fps, False)
                add(m.start(3), m.end(), number(m.group(3)) / fps, False)
    return found, spans
