"""Accept a render from the jail: open it safely, size it, probe it, copy it once.

The jail writes the render and result files itself, so they may hold anything; and though
it can no longer create or replace a name in the scratch directory (``sandbox.jail``),
trusted code (often root) still opens them as if any could be a symlink, a FIFO or a
device: it never follows one anywhere else or blocks on it. A render is accepted only
when its size is under the cap, its probed facts (``sandbox.probe``) agree with the
limits and with what the harness reported, and its frames are the ones the validation
saw (``sandbox.samples``).
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # probing is imported by accept_render: a dry run reads only its result
    from .probe import MediaFacts

__all__ = ["RenderRejected", "accept_render", "read_untrusted"]

_DURATION_SLACK_S = 0.5  # AAC priming and rounding; far below any useful smuggled content


class RenderRejected(ValueError):
    """The render is missing, too large, unreadable or not what was asked for."""


def _open_untrusted(path: Path) -> int | None:
    if path.parent.is_symlink():
        return None
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        return None
    return handle


def read_untrusted(path: Path, limit: int) -> bytes | None:
    """At most ``limit`` bytes of a regular file the jail wrote (None if not one)."""
    handle = _open_untrusted(path)
    if handle is None:
        return None
    with os.fdopen(handle, "rb") as stream:
        return stream.read(limit)


def _check(
    facts: MediaFacts, reported: dict[str, object], max_duration_s: float, max_fps: float
) -> None:
    if facts.duration_s > max_duration_s + _DURATION_SLACK_S:
        raise RenderRejected(
            f"the render runs {facts.duration_s:.1f} s; the limit is {max_duration_s:g} s"
        )
    if facts.video_streams != 1 or facts.audio_streams > 1 or facts.other_streams:
        raise RenderRejected("the render holds unexpected streams")
    if facts.fps > max_fps + 0.01:
        raise RenderRejected(f"the render is {facts.fps:g} fps; the limit is {max_fps:g}")
    size = (reported.get("width"), reported.get("height"))
    if size != (facts.width, facts.height):
        raise RenderRejected(
            f"the render is {facts.width}x{facts.height}, not the {size[0]}x{size[1]} reported"
        )
    expected = reported.get("duration_s")
    if not isinstance(expected, float) or abs(facts.duration_s - expected) > _DURATION_SLACK_S:
        raise RenderRejected(
            f"the render runs {facts.duration_s:.2f} s, not the {expected} s of the clip"
        )


def _check_frames(path: Path, facts: MediaFacts, reported: dict[str, object]) -> None:
    from .samples import mismatch, parse_samples

    samples = parse_samples(reported.get("samples"))
    if samples is None:
        raise RenderRejected("the render came without the frames it was validated on")
    reason = mismatch(path, samples, facts.fps)
    if reason is not None:
        raise RenderRejected(reason)


def accept_render(
    rendered: Path,
    output: Path,
    reported: dict[str, object],
    *,
    max_duration_s: float,
    max_fps: float,
    max_bytes: int,
) -> MediaFacts:
    """Copy ``rendered`` to ``output`` once, probe the copy, and publish it atomically.

    Raises:
        RenderRejected: With a one-line reason; nothing is left at ``output``.
    """
    handle = _open_untrusted(rendered)
    if handle is None:
        raise RenderRejected("the render produced no output")
    size = os.fstat(handle).st_size
    if size == 0 or size > max_bytes:
        os.close(handle)
        raise RenderRejected(
            "the render produced no output" if size == 0 else f"the render is {size} bytes"
        )
    output = Path(output)
    # Copy next to the destination (the jail could still change its own file), probe the
    # copy, then rename: the destination only ever holds a complete, checked video.
    partial = output.with_name(f".{output.name}.partial")
    try:
        with os.fdopen(handle, "rb") as source:
            output.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
                if target.tell() > max_bytes:
                    raise RenderRejected("the render grew while it was copied")
    except (OSError, RenderRejected) as exc:
        partial.unlink(missing_ok=True)  # a full disk must not leave half a video behind
        if isinstance(exc, RenderRejected):
            raise
        raise RenderRejected(f"cannot write the render to {output}: {exc.strerror or exc}") from exc
    from .probe import probe_media

    try:
        facts = probe_media(partial)
        _check(facts, reported, max_duration_s, max_fps)
        _check_frames(partial, facts, reported)
    except RenderRejected:
        partial.unlink(missing_ok=True)
        raise
    except Exception as exc:  # an unreadable render is a failed run
        partial.unlink(missing_ok=True)
        raise RenderRejected(f"the render is not a readable video: {exc}") from exc
    os.replace(partial, output)
    return facts
