"""What the script is handed, and the frame fingerprints that tie the render to its check.

Runs inside the jail (bound next to the harness) and imports nothing from the project.

The script never gets the trusted ``VideoFileClip``: each input is handed over as a fresh
``VideoClip`` (and ``AudioClip``) that reads frames from the trusted reader through a
closure and shares no mutable state with it. Its ``size`` is a new tuple, its ``fps`` and
``duration`` are plain numbers, its video frames are read-only views and its audio frames
copies. Whatever the script does to the object it holds (``source.size``, ``fps``,
``duration``, ``audio``, a frame's pixels), the reader keeps decoding what it was opened
with, and the harness sizes the render from the clip the script *returns*, then checks
every frame against that size. The reader is reachable only through dunder attributes,
which the policy refuses; without the policy, the jail and the parent's probe still hold.

``fingerprint`` reduces a frame to a small grid of block means; the parent computes the
same on the delivered file (``sandbox.samples``) to prove the render shows the frames the
validation saw.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GRID", "fingerprint", "hand_over"]

GRID = 12  # fingerprint cells per side (fewer for tiny frames)


def _video_frames(reader: Any) -> Any:
    read = reader.get_frame

    def frame(t: Any) -> Any:
        image = read(t).view()
        image.flags.writeable = False  # the reader's own buffer: look, do not touch
        return image

    return frame


def _audio_frames(reader: Any) -> Any:
    import numpy as np

    read = reader.get_frame

    def frame(t: Any) -> Any:
        return np.array(read(t), copy=True)  # a slice of the reader's buffer otherwise

    return frame


def _handed_audio(trusted: Any) -> Any:
    from moviepy import AudioClip

    clip = AudioClip(
        frame_function=_audio_frames(trusted.reader),
        duration=float(trusted.duration),
        fps=int(trusted.fps),
    )
    clip.nchannels = int(trusted.nchannels)
    clip.buffersize = int(trusted.buffersize)
    return clip


def hand_over(trusted: Any) -> Any:
    """A clip showing ``trusted``'s frames and sound, sharing nothing mutable with it.

    Args:
        trusted: A ``VideoFileClip`` opened by the harness (kept by the harness).

    Returns:
        A plain ``VideoClip`` for the script.
    """
    from moviepy import VideoClip

    duration = float(trusted.duration)
    clip = VideoClip(frame_function=_video_frames(trusted.reader), duration=duration)
    clip.fps = float(trusted.fps)
    clip.size = tuple(int(v) for v in clip.size)
    if trusted.audio is not None:
        clip.audio = _handed_audio(trusted.audio)
    return clip


def fingerprint(frame: Any) -> list[int]:
    """Block means of an ``(h, w, >=3)`` uint8 frame's RGB planes, row by row.

    Lossy encoding moves single pixels, not the means of blocks a tenth of the frame
    wide; different content moves them a lot.
    """
    import numpy as np

    image = np.asarray(frame)[:, :, :3].astype(np.float64)
    height, width = image.shape[:2]
    cells = max(1, min(GRID, height, width))
    rows = [height * i // cells for i in range(cells + 1)]
    cols = [width * j // cells for j in range(cells + 1)]
    means = [
        image[rows[i] : rows[i + 1], cols[j] : cols[j + 1]].mean(axis=(0, 1))
        for i in range(cells)
        for j in range(cells)
    ]
    return [round(float(v)) for mean in means for v in mean]
