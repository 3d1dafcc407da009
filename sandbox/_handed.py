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

An input's sound is read by a ``LazySound``: its ffmpeg decoder starts on the first sample
asked of it, so a dry run, which hears nothing, starts no process for it.

``fingerprint`` reduces a frame to a small grid of block means; the parent computes the
same on the delivered file (``sandbox.samples``) to prove the render shows the frames the
validation saw.

``align_sound`` puts the inputs' sound on the picture's clock before any input is opened.

``fade_to_the_last_frame`` makes the script's ``vfx.FadeOut`` reach its colour on the last
frame the render writes (``last_written``), not at the clip's end, which no frame shows.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "GRID",
    "LazySound",
    "align_sound",
    "fade_to_the_last_frame",
    "fingerprint",
    "frames_written",
    "hand_over",
    "last_written",
    "on_the_grid",
    "open_input",
]

GRID = 12  # fingerprint cells per side (fewer for tiny frames)
# What VideoFileClip's own audio reader decodes to (AudioFileClip's defaults).
_AUDIO_FPS = 44100
_AUDIO_BUFFER = 200_000
# FFmpeg's resampler, told that the first sample belongs at 0 (the file's start, where the
# picture's constant-rate output starts too): it pads the start with silence up to the first
# decoded sample's timestamp, and later gaps over 0.1 s (lost packets) likewise.
_ON_THE_CLOCK = "aresample=async=1:first_pts=0"
_LEAD_S = 1.0  # a seek decodes this much before its time (MoviePy's own choice)
_RENDER: dict[str, float] = {}  # the render's frame rate, once the harness has fixed it


class LazySound:
    """An input's audio reader, started on the first sample asked of it.

    ``VideoFileClip(audio=True)`` starts two ffmpeg processes per input for the sound (a
    probe and a decoder) whether or not anything is heard. Here the facts the handed clip
    needs come from the video reader's probe of the same file (what AudioFileClip would
    derive from its own), and the decoder starts only when a sample is read.
    """

    def __init__(self, path: str, infos: dict[str, Any]) -> None:
        self.path, self.infos = path, infos
        self.fps, self.nchannels = _AUDIO_FPS, 2
        self.duration = float(infos["duration"])
        self.buffersize = min(int(self.fps * self.duration) + 1, _AUDIO_BUFFER)
        self.reader: Any = None

    def get_frame(self, t: Any) -> Any:
        """Samples at ``t`` (seconds, scalar or array), from the decoder."""
        if self.reader is None:
            from moviepy.audio.io import readers

            probe = readers.ffmpeg_parse_infos
            # The file was probed already, with the same arguments: no second ffmpeg -i.
            readers.ffmpeg_parse_infos = lambda filename, decode_file=False: self.infos
            try:
                self.reader = readers.FFMPEG_AudioReader(
                    self.path, buffersize=_AUDIO_BUFFER, fps=_AUDIO_FPS, nbytes=2
                )
            finally:
                readers.ffmpeg_parse_infos = probe
        return self.reader.get_frame(t)


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


def _handed_audio(sound: LazySound) -> Any:
    from moviepy import AudioClip

    # Built without a frame function, which AudioClip would read at t=0 to count the
    # channels: that would start the decoder LazySound defers.
    clip = AudioClip(duration=float(sound.duration), fps=int(sound.fps))
    clip.frame_function = _audio_frames(sound)
    clip.nchannels = int(sound.nchannels)
    clip.buffersize = int(sound.buffersize)
    return clip


def align_sound() -> None:
    """Make MoviePy's audio reader place samples at their timestamps, as the picture is.

    MoviePy pipes FFmpeg's samples from the first one that decodes, wherever it sits. A
    track whose first packet does not decode (Megamind.avi's AC-3: the tail of a frame cut
    before the file began) or that starts after the picture came out early by that gap,
    32 ms there, while the picture kept its place. This is MoviePy 2.2's ``initialize``
    with the resampler filter added, and no fast seek within two seconds of the start.
    """
    import subprocess

    import numpy as np
    from moviepy.audio.io import readers
    from moviepy.tools import cross_platform_popen_params, ffmpeg_escape_filename

    def initialize(self: Any, start_time: float = 0) -> None:
        self.close()
        source = ffmpeg_escape_filename(self.filename)
        head = ["-i", source]
        if start_time >= 2 * _LEAD_S:
            # A fast seek short of the time, then an exact one (decoding the rest).
            head = ["-ss", f"{start_time - _LEAD_S:.05f}", *head, "-ss", f"{_LEAD_S:.05f}"]
        elif start_time != 0:
            # No fast seek near the start: into a track's undecodable lead (Megamind's
            # first packet) FFmpeg lands it 20-50 ms off. Decoding from the start is exact.
            head += ["-ss", f"{start_time:.05f}"]
        command = [readers.FFMPEG_BINARY, *head, "-vn", "-af", _ON_THE_CLOCK, "-loglevel"]
        command += ["error", "-f", self.format, "-acodec", self.codec, "-ar", str(self.fps)]
        command += ["-ac", str(self.nchannels), "-"]
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        params = {"bufsize": self.buffersize, **pipes, "stdin": subprocess.DEVNULL}
        self.proc = subprocess.Popen(command, **cross_platform_popen_params(params))
        self.pos = np.round(self.fps * start_time)

    readers.FFMPEG_AudioReader.initialize = initialize


def frames_written(duration: float, fps: float) -> int:
    """How many frames a render writes of a ``duration`` s clip (at least one).

    MoviePy writes frames at ``i / fps`` while ``i < int(duration * fps)``.
    """
    return max(1, int(duration * fps))


def last_written(duration: float, fps: float) -> float:
    """When the last frame a render writes of a ``duration`` s clip is shown, seconds.

    Up to two frames before the clip's end (see :func:`frames_written`).
    """
    return (frames_written(duration, fps) - 1) / fps


def on_the_grid(fps: float) -> None:
    """Tell the fades the render's frame rate (the harness calls it once the rate is fixed)."""
    _RENDER["fps"] = float(fps)


def fade_to_the_last_frame() -> None:
    """Make ``vfx.FadeOut`` end on the last frame written, so a fade to black shows black.

    MoviePy's fade reaches its colour at the clip's end, which no frame shows: at 10 fps the
    last frame of a 2.05 s clip is 1.9 s, where a half-second fade still shows 30% of the
    picture. This one is the same fade moved to end on the last frame the render writes of
    the clip it is applied to (on the render's frame rate once known, else the clip's own).
    Compiled edit decision lists use it too: one fade for every script.
    """
    import numpy as np
    from moviepy.video.fx.FadeOut import FadeOut

    def apply(self: Any, clip: Any) -> Any:
        if clip.duration is None:
            raise ValueError("Attribute 'duration' not set")
        colour = self.final_color
        final = np.array((0 if clip.is_mask else [0, 0, 0]) if colour is None else colour)
        duration, fade, own_fps = float(clip.duration), float(self.duration), clip.fps

        def filter_(get_frame: Any, t: Any) -> Any:
            fps = _RENDER.get("fps") or own_fps
            end = last_written(duration, fps) if fps else duration
            if end - t >= fade:
                return get_frame(t)
            fading = min(1.0, max(0.0, (end - t) / fade)) if fade > 0 else 0.0
            return fading * get_frame(t) + (1 - fading) * final

        return clip.transform(filter_)

    FadeOut.apply = apply


def hand_over(trusted: Any, sound: LazySound | None = None) -> Any:
    """A clip showing ``trusted``'s frames and ``sound``, sharing nothing mutable with them.

    Args:
        trusted: A ``VideoFileClip`` opened by the harness (kept by the harness).
        sound: The same input's audio reader (kept by the harness), or None.

    Returns:
        A plain ``VideoClip`` for the script.
    """
    from moviepy import VideoClip

    duration = float(trusted.duration)
    clip = VideoClip(frame_function=_video_frames(trusted.reader), duration=duration)
    clip.fps = float(trusted.fps)
    clip.size = tuple(int(v) for v in clip.size)
    if sound is not None:
        clip.audio = _handed_audio(sound)
    return clip


def open_input(path: str, audio: bool) -> tuple[tuple[Any, LazySound | None], Any]:
    """The trusted readers of one input (for the harness to keep) and the clip handed over."""
    from moviepy import VideoFileClip

    trusted = VideoFileClip(path, audio=False)
    infos = trusted.reader.infos
    sound = LazySound(path, infos) if audio and infos.get("audio_found") else None
    return (trusted, sound), hand_over(trusted, sound)


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
    # Block sums in two passes (a Python loop over blocks cost ~35 ms a 1080p frame).
    sums = np.add.reduceat(np.add.reduceat(image, rows[:-1], axis=0), cols[:-1], axis=1)
    means = sums / np.outer(np.diff(rows), np.diff(cols))[:, :, None]
    return [round(float(v)) for v in means.reshape(-1)]
