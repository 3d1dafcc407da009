"""Text on screen, read by OCR (``tasks.ocr``: RapidOCR, whose ONNX models ship in its wheel).

Captions are matched tolerantly: OCR drops and confuses characters, so texts are compared
after normalisation with a fuzzy ratio; but a read that changes a digit or a word of the
caption is another caption (``_caption_match``). Text the render shows is only "unasked"
when the source frame behind it does not show it too (a shop sign in the footage is not a
caption).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from numpy.typing import NDArray

from tasks._video import import_cv2
from tasks.brief import Brief, CheckResult, Criterion
from tasks.ocr import read_text

from ._caption_match import same_text
from ._evidence import BLACK, Evidence, result, span
from ._footage import frame_at

__all__ = [
    "added_region",
    "check_caption",
    "check_no_text",
    "normalise",
    "read_text",
    "similarity",
]

CAPTION_MATCH = 0.8
SOURCE_MATCH = 0.7
# A frame whose worst block differs from its source by less than this (0-255, after fitting
# levels locally) shows nothing new: re-encoding leaves ~3, grey grading ~12, a caption ~55.
ADDED_DETAIL = 20.0
_FIT = 7  # pixels of the small grey picture: about a letter's height
_BLOCK = _FIT


def normalise(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded.lower()).split())


def similarity(wanted: str, read: str) -> float:
    """Fuzzy ratio of ``wanted`` against ``read`` or its best window of the same length."""
    a, b = normalise(wanted), normalise(read)
    if not a or not b:
        return 0.0
    best = SequenceMatcher(None, a, b).ratio()
    if len(b) > len(a):
        for start in range(len(b) - len(a) + 1):
            window = b[start : start + len(a)]
            best = max(best, SequenceMatcher(None, a, window).ratio())
    return best


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class _Reading:
    t: float
    box: Box | None  # where the frame adds to its source (fractions), None: nowhere
    lines: list[str]


def _readings(ev: Evidence) -> list[_Reading]:
    if "render_text" not in ev.cache:
        found = []
        for t, picture in zip(ev.render.ocr_times, ev.render.ocr_frames, strict=True):
            index = int(np.argmin(np.abs(ev.render.times - t)))
            # OCR is most of the verifier's time: read only what a frame adds to its source.
            box = added_region(ev, index)
            found.append(_Reading(t, box, read_text(_crop(picture, box)) if box else []))
        ev.cache["render_text"] = found
    readings: list[_Reading] = ev.cache["render_text"]
    return readings


def _render_text(ev: Evidence) -> list[tuple[float, list[str]]]:
    return [(r.t, r.lines) for r in _readings(ev)]


def _whole_text(ev: Evidence) -> list[tuple[float, list[str]]]:
    """OCR of whole frames, less the lines the source frame behind shows itself.

    The added-detail map is SMALL_WIDTH wide: a caption a person and OCR read plainly can be
    too small there to count (a 16:9 frame's bottom line of letters h/10 tall is ~3 pixels).
    """
    if "whole_text" not in ev.cache:
        found = []
        for t, picture in zip(ev.render.ocr_times, ev.render.ocr_frames, strict=True):
            index = int(np.argmin(np.abs(ev.render.times - t)))
            if ev.render.luma[index] < BLACK:
                continue
            lines = read_text(picture)
            own = _source_text(ev, t, (0.0, 0.0, 1.0, 1.0)) if lines else None
            if own:
                lines = [x for x in lines if all(similarity(x, y) < SOURCE_MATCH for y in own)]
            found.append((t, lines))
        ev.cache["whole_text"] = found
    whole: list[tuple[float, list[str]]] = ev.cache["whole_text"]
    return whole


def _first_seen(ev: Evidence, caption: str) -> tuple[list[float], float, str]:
    """Times a caption is read, its best ratio and what was read there.

    Read where frames add detail to their source; only when it is read nowhere there, in
    whole frames (``_whole_text``).
    """
    seen = _seen_in(_render_text(ev), caption)
    return seen if seen[0] else _seen_in(_whole_text(ev), caption)


def _seen_in(
    readings: list[tuple[float, list[str]]], caption: str
) -> tuple[list[float], float, str]:
    times: list[float] = []
    best, best_text = 0.0, ""
    for t, lines in readings:
        candidates = [*lines, " ".join(lines)] if lines else []
        for text in candidates:
            ratio = similarity(caption, text)
            if ratio > best:
                best, best_text = ratio, text
            if ratio >= CAPTION_MATCH and same_text(normalise(caption), normalise(text)):
                times.append(t)
                break
    return times, best, best_text


def check_caption(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    number = int(c.id.split("-")[1])
    caption = brief.captions[number - 1]
    times, best, best_text = _first_seen(ev, caption)
    asks = f'the caption "{caption}" on screen'
    if not times:
        read = _all_read(ev)
        measured = f'no text close to "{caption}" was read' + (
            f" (read: {read})" if read else " (no text read)"
        )
        if best >= CAPTION_MATCH:  # close, but another number or word: another caption
            measured = (
                f'"{caption}" was not read: the closest text, "{best_text}" ({best:.0%} alike), '
                "differs from it in a digit or a word"
            )
        return result(c, False, measured, asks)
    measured = f'"{caption}" is on screen at {span(times)} (read "{best_text}", {best:.0%} match)'
    if number > 1:
        before, _, _ = _first_seen(ev, brief.captions[number - 2])
        if before and min(times) < min(before):
            measured += f", before caption {number - 1} ({min(before):.1f} s)"
            return result(c, False, measured, asks + " after the previous one")
    return result(c, True, measured, asks)


def _all_read(ev: Evidence) -> str:
    seen: dict[str, list[float]] = {}
    for t, lines in _render_text(ev):
        for line in lines:
            seen.setdefault(line, []).append(t)
    return ", ".join(f'"{text}" at {span(ts)}' for text, ts in list(seen.items())[:5])


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def check_no_text(c: Criterion, brief: Brief, ev: Evidence) -> CheckResult:
    """Text of 3+ letters on screen that the source frame at that moment does not show."""
    foreign: dict[str, list[float]] = {}
    from_source = 0
    for reading in _readings(ev):
        t = reading.t
        wordy = [line for line in reading.lines if _letters(line) >= 3]
        if not wordy or reading.box is None:
            continue
        own = _source_text(ev, t, reading.box)
        for line in wordy:
            if own is not None and any(similarity(line, s) >= SOURCE_MATCH for s in own):
                from_source += 1
            else:
                foreign.setdefault(line, []).append(t)
    if foreign:
        shown = ", ".join(f'"{text}" at {span(ts)}' for text, ts in list(foreign.items())[:5])
        measured = f"the edit shows {shown}, which the source does not"
        return result(c, False, measured, "no text that the request did not ask for")
    measured = "no text on screen" if not from_source else "only text that the source shows itself"
    return result(c, True, measured, c.text)


def _source_text(ev: Evidence, t: float, box: Box) -> list[str] | None:
    """OCR of ``box`` in the source frame behind output time ``t`` (None: frame unmatched)."""
    near = min(ev.matches, key=lambda m: abs(m.output_t - t), default=None)
    if near is None or near.source is None or abs(near.output_t - t) > 0.1:
        return None
    key = ("source_text", near.source, near.source_frame, box)
    if key not in ev.cache:
        picture = frame_at(ev.sources[near.source].path, near.source_t)
        ev.cache[key] = read_text(_crop(picture, box)) if picture is not None else []
    lines: list[str] = ev.cache[key]
    return lines


def added_region(ev: Evidence, index: int) -> Box | None:
    """Where output frame ``index`` shows detail its source frame lacks, or None if nowhere.

    Burnt-in text is local detail the source frame lacks. Levels are fitted first (fades
    and grey or sepia grading change levels, not detail). The box is (x0, y0, x1, y1) as
    fractions of the frame; an unmatched frame that is not black is new all over.
    """
    match = ev.matches[index]
    if match.source is None:
        return (0.0, 0.0, 1.0, 1.0) if ev.render.luma[index] >= BLACK else None
    cv2 = import_cv2()
    shown = ev.render.smalls[index].astype(np.float32)
    source = ev.sources[match.source].smalls[match.source_frame].astype(np.float32)
    if source.shape != shown.shape:
        size = (shown.shape[1], shown.shape[0])
        source = cv2.resize(source, size, interpolation=cv2.INTER_AREA)

    # A local linear fit (a guided filter) of the source to the output: fades, grey and
    # sepia grading, whatever their colour weights, map levels region by region; letters
    # are structure no such map makes.
    def mean(x: NDArray[np.float32]) -> NDArray[np.float32]:
        blurred: NDArray[np.float32] = cv2.blur(x, (_FIT, _FIT))
        return blurred

    mean_s, mean_o = mean(source), mean(shown)
    gain = (mean(source * shown) - mean_s * mean_o) / (mean(source * source) - mean_s**2 + 25.0)
    offset = mean_o - gain * mean_s
    residual = mean(np.abs(shown - (mean(gain) * source + mean(offset))))
    ys, xs = np.nonzero(residual >= ADDED_DETAIL)
    if len(ys) == 0:
        return None
    height, width = residual.shape
    pad = _BLOCK
    return (
        max(0, int(xs.min()) - pad) / width,
        max(0, int(ys.min()) - pad) / height,
        min(width, int(xs.max()) + 1 + pad) / width,
        min(height, int(ys.max()) + 1 + pad) / height,
    )


def _crop(picture: NDArray[np.uint8], box: Box) -> NDArray[np.uint8]:
    height, width = picture.shape[:2]
    x0, y0, x1, y1 = box
    top, bottom = int(y0 * height), max(int(y0 * height) + 32, int(np.ceil(y1 * height)))
    return picture[top:bottom, int(x0 * width) : int(np.ceil(x1 * width))]
