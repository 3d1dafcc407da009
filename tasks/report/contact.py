"""Pictures for the report: a contact sheet of the output, and the source shot behind each cut.

People would rather look than read. ``contact_sheet`` lays out evenly spaced frames of the
rendered edit with their output time; ``shot_sheet`` shows, for every planned segment, the
source frame at the middle of its in/out points with its shot, times and the planner's reason.
Both are plain JPEGs written beside ``report.md``; ``inline_images`` turns them into markdown
for places (the Prefect artifact) that cannot follow a relative link.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.exceptions import FootageError
from core.files import write_atomic
from tasks._orientation import quarter_turns
from tasks._video import check_readable, import_av

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont, ImageFont

    from tasks.plan_edit import EditPlan

__all__ = ["contact_sheet", "inline_images", "shot_sheet"]

GAP = 8
FONT_PX = 14
LINE_PX = FONT_PX + 4
BACKGROUND = (24, 24, 24)
INK = (235, 235, 235)
# Enough to read a face at report width while a sheet stays a few hundred KB.
JPEG_QUALITY = 82
MAX_TILES = 48
DASH = "\N{EN DASH}"
_ASCII = str.maketrans({DASH: "-", "·": "|", "…": "..."})
_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def contact_sheet(
    video: Path, out: Path, *, columns: int = 4, frames: int = 8, width: int = 1024
) -> Path:
    """Write a grid of ``frames`` evenly spaced frames of ``video``, each with its time.

    Frames sit at the middle of equal slices of the edit, so a fade's black first frame and
    the last frame's possible repeat are not what the sheet shows.

    Args:
        video: The rendered output.
        out: The JPEG to write (atomically).
        columns: Thumbnails per row.
        frames: How many thumbnails (at most ``MAX_TILES``).
        width: Width of the sheet in pixels.

    Returns:
        ``out``.

    Raises:
        FootageError: The video cannot be read or has no frames.
        ValueError: A layout that cannot fit (no columns, no frames, too narrow).
    """
    _check_layout(columns, frames, width)
    duration = _duration(check_readable(video))
    times = [duration * (i + 0.5) / frames for i in range(frames)]
    pictures = _frames_at(video, times)
    labels = [(f"{t:.1f} s",) for t in times]
    return _write_sheet(out, pictures, labels, columns, width)


def shot_sheet(
    plan: EditPlan, sources: Sequence[Path], out: Path, *, columns: int = 3, width: int = 1024
) -> Path:
    """Write, for every planned segment, the source frame at the middle of its in/out points.

    Each thumbnail is labelled ``"1. scene 3 · 2.0-3.5 s"`` (with an en dash; plus the clip
    when there are several, and the speed when it is not 1x) and, on a second line, why the
    planner chose it.

    Args:
        plan: The edit plan (``tasks.plan_edit``).
        sources: The input clips, indexed like ``Segment.source``.
        out: The JPEG to write (atomically).
        columns: Thumbnails per row.
        width: Width of the sheet in pixels.

    Returns:
        ``out``.

    Raises:
        FootageError: A segment names a missing source, or a source cannot be read.
        ValueError: A layout that cannot fit.
    """
    segments = plan.edl.segments
    _check_layout(columns, len(segments), width)
    wanted: dict[int, list[tuple[int, float]]] = {}
    for index, segment in enumerate(segments):
        if segment.source >= len(sources):
            raise FootageError(f"segment {index + 1} uses clip {segment.source + 1}, not given")
        wanted.setdefault(segment.source, []).append((index, (segment.start + segment.end) / 2))
    pictures: list[Image | None] = [None] * len(segments)
    for source, items in wanted.items():
        found = _frames_at(check_readable(sources[source]), [t for _, t in items])
        for (index, _), picture in zip(items, found, strict=True):
            pictures[index] = picture
    labels = []
    for index, segment in enumerate(segments):
        origin = plan.provenance[index] if index < len(plan.provenance) else None
        clip = f"clip {segment.source + 1} · " if len(sources) > 1 else ""
        scene = f"scene {origin.shot} · " if origin is not None else ""
        speed = f" · {segment.speed:g}x" if segment.speed != 1.0 else ""
        head = f"{index + 1}. {clip}{scene}{segment.start:.1f}{DASH}{segment.end:.1f} s{speed}"
        labels.append((head, origin.why if origin is not None else ""))
    return _write_sheet(out, pictures, labels, columns, width)


def inline_images(
    markdown_dir: Path, names: Sequence[str], max_bytes: int = 200_000, link_base: str = ""
) -> str:
    """Markdown image lines for ``names``: data URIs while they fit ``max_bytes``, else links.

    The Prefect artifact cannot reach files beside ``report.md``, so images go inline, in
    order, while their bytes in total stay under ``max_bytes`` (an artifact is a database
    row); the rest become links relative to ``link_base`` (default: the report's folder).
    Checked in headless Chromium against Prefect 3.9's UI: a markdown artifact shows
    ``data:image/jpeg`` and ``data:image/png`` images (up to a 245 KB JPEG was tried).

    Args:
        markdown_dir: The folder the names are relative to.
        names: Image files (JPEG or PNG), relative to ``markdown_dir``.
        max_bytes: Budget of raw image bytes to inline, all images together.
        link_base: Prefix for links that are not inlined (``""`` for plain relative links).

    Returns:
        One ``![name](...)`` line per existing image, joined by blank lines.
    """
    lines, spent = [], 0
    for name in names:
        path = markdown_dir / name
        if not path.is_file():
            continue
        size = path.stat().st_size
        mime = _MIME.get(path.suffix.lower())
        if mime is not None and spent + size <= max_bytes:
            spent += size
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            lines.append(f"![{name}](data:{mime};base64,{data})")
        else:
            lines.append(f"![{name}]({link_base.rstrip('/') + '/' if link_base else ''}{name})")
    return "\n\n".join(lines)


def _check_layout(columns: int, tiles: int, width: int) -> None:
    if columns < 1 or tiles < 1 or tiles > MAX_TILES:
        raise ValueError(f"a sheet needs 1..{MAX_TILES} tiles in 1 or more columns")
    if (width - GAP) // columns - GAP < 32:
        raise ValueError(f"a sheet {width} px wide cannot hold {columns} columns")


def _duration(video: Path) -> float:
    """The video stream's length in seconds (header, else counted frames)."""
    av = import_av()
    try:
        with av.open(str(video)) as container:
            if not container.streams.video:
                raise FootageError(f"no video stream: {video}")
            stream = container.streams.video[0]
            if stream.duration is not None and stream.time_base is not None:
                return float(stream.duration * stream.time_base)
            if container.duration is not None:
                return float(container.duration) / 1_000_000
            rate = float(stream.average_rate or 25)
            count = sum(1 for _ in container.decode(stream))
    except av.FFmpegError as exc:
        raise FootageError(f"cannot decode {video}: {exc}") from None
    if count == 0:
        raise FootageError(f"no frames in {video}")
    return count / rate


def _frames_at(video: Path, times: Sequence[float]) -> list[Image | None]:
    """The frame shown at each time (s from the first frame), upright; None past the end.

    Seeks to the keyframe before each time and decodes forward, so a long clip costs a few
    GOPs per thumbnail rather than a full decode.
    """
    av = import_av()
    from PIL import Image as PILImage

    pictures: list[Image | None] = []
    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            base = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
            for t in times:
                target = base + max(0.0, t)
                container.seek(max(0, int((target - 0.5) / stream.time_base)), stream=stream)
                best: Any = None
                for frame in container.decode(stream):
                    if frame.time is not None and frame.time > target + 1e-3 and best is not None:
                        break
                    best = frame
                if best is None:
                    pictures.append(None)
                    continue
                image = PILImage.fromarray(best.to_ndarray(format="rgb24"))
                turns = quarter_turns(best)
                pictures.append(image.rotate(90 * turns, expand=True) if turns else image)
    except av.FFmpegError as exc:
        raise FootageError(f"cannot decode {video}: {exc}") from None
    return pictures


def _write_sheet(
    out: Path,
    pictures: Sequence[Image | None],
    labels: Sequence[tuple[str, ...]],
    columns: int,
    width: int,
) -> Path:
    """Lay ``pictures`` out in a grid, each with its label lines below, and write a JPEG."""
    import io

    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageOps

    shown = [p for p in pictures if p is not None]
    if not shown:
        raise FootageError(f"no frames to show in {out.name}")
    columns = min(columns, len(pictures))
    tile_w = (width - GAP) // columns - GAP
    # One aspect for every tile (the first frame's), so rows line up; others are letterboxed.
    tile_h = max(1, round(tile_w * shown[0].height / shown[0].width))
    lines = max(len(label) for label in labels)
    cell_h = tile_h + lines * LINE_PX + GAP
    rows = -(-len(pictures) // columns)
    sheet = PILImage.new("RGB", (width, GAP + rows * (cell_h + GAP)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font, unicode = _font()
    for index, (picture, label) in enumerate(zip(pictures, labels, strict=True)):
        x = GAP + (index % columns) * (tile_w + GAP)
        y = GAP + (index // columns) * (cell_h + GAP)
        if picture is not None:
            thumb = ImageOps.contain(picture, (tile_w, tile_h))  # up or down, keeping aspect
            sheet.paste(thumb, (x + (tile_w - thumb.width) // 2, y + (tile_h - thumb.height) // 2))
        for line_no, text in enumerate(label):
            if not unicode:
                text = text.translate(_ASCII)
            fitted = _fit(draw, text, font, tile_w, "…" if unicode else "...")
            draw.text((x, y + tile_h + 2 + line_no * LINE_PX), fitted, fill=INK, font=font)
    buffer = io.BytesIO()
    sheet.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return write_atomic(out, buffer.getvalue())


def _font() -> tuple[FreeTypeFont | ImageFont, bool]:
    """DejaVu Sans where the system has it, else Pillow's own font.

    The flag says whether the font has the en dash, ellipsis and middle dot the labels use.
    """
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans.ttf", FONT_PX), True
    except OSError:
        return ImageFont.load_default(size=FONT_PX), False


def _fit(draw: Any, text: str, font: FreeTypeFont | ImageFont, width: int, more: str) -> str:
    """``text`` cut, ending in ``more``, to fit ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + more, font=font) > width:
        text = text[:-1]
    return text.rstrip() + more
