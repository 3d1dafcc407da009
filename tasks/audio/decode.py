"""Audio decoded alongside the video: packets in, 16 kHz float samples out.

The footage pass demuxes the audio stream together with the video one (``VideoReader.listen``)
and hands each audio packet to an ``AudioCollector``: the file is read once. Samples are
resampled by FFmpeg to 16 kHz (what Whisper and Silero VAD take; beats and loudness are
measured there too), keeping two channels at most so loudness sums channels as BS.1770 does.
Each decoded frame is placed at its own timestamp on the video's clock, so a packet lost to
damage leaves silence of its length instead of pulling everything after it early.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.exceptions import FootageError
from tasks._video import check_readable, import_av
from tasks.audio.model import AudioStream

if TYPE_CHECKING:
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]

__all__ = ["SAMPLE_RATE", "AudioCollector", "DecodedAudio", "read_audio"]

SAMPLE_RATE = 16_000
# A decoded frame this much later than the samples so far (a lost packet) is preceded by
# silence; closer than this is codec jitter and resampler delay, left alone.
_GAP_S = 0.02


@dataclass(frozen=True)
class DecodedAudio:
    """A clip's audio at ``SAMPLE_RATE``: ``samples`` is (channels, n), channels 1 or 2."""

    samples: Samples
    stream: AudioStream
    notes: list[str]

    @property
    def mono(self) -> Samples:
        """The channels averaged."""
        mixed: Samples = self.samples.mean(axis=0, dtype=np.float32)
        return mixed

    @property
    def duration_s(self) -> float:
        """Seconds of samples."""
        return int(self.samples.shape[1]) / SAMPLE_RATE


class AudioCollector:
    """Decodes one audio stream's packets as they are demuxed; damage is counted, never raised."""

    def __init__(self, stream: Any, origin_s: float = 0.0) -> None:
        """Prepare to decode ``stream``.

        Args:
            stream: The PyAV audio stream whose packets ``feed`` will get.
            origin_s: The time (stream clock, seconds) that is 0 on the output: the video
                stream's start, so audio times are video times.
        """
        context = stream.codec_context
        self._stream = stream
        self._origin = origin_s
        self._codec = str(context.name or "unknown")
        self._rate = int(context.sample_rate or 0)
        self._channels = int(context.channels or 0)
        self._resampler: Any = None
        self._format: tuple[str, str, int] | None = None
        self._chunks: list[Samples] = []
        self._written = 0
        self._width = 0  # output channels, fixed by the first frame
        self._drop = 0  # leading samples still to drop (audio before the video's start)
        self.packets = 0
        self.failed = 0

    def feed(self, packet: Any) -> None:
        """Decode one demuxed packet (a flush packet at the end drains the decoder)."""
        av = import_av()
        if packet.size:
            self.packets += 1
        try:
            frames = packet.decode()
        except (av.FFmpegError, ValueError):
            # A container's first audio chunk may hold the tail of a frame cut before the
            # file began (the shared trailer's AVI does): not damage, nothing was lost.
            if self.packets > 1 or self._chunks:
                self.failed += 1
            return
        for frame in frames:
            self._add(frame)

    def _add(self, frame: Any) -> None:
        av = import_av()
        layout = str(frame.layout.name)
        key = (str(frame.format.name), layout, int(frame.sample_rate))
        if self._width == 0:
            self._width = 2 if len(frame.layout.channels) >= 2 else 1
            self._rate = self._rate or int(frame.sample_rate)
            self._channels = self._channels or len(frame.layout.channels)
        if key != self._format:
            # A stream may change layout or rate midway (damage does that too): FFmpeg's
            # resampler is built for one input format, so a new one is made.
            self._format = key
            self._resampler = av.AudioResampler(
                format="fltp", layout="stereo" if self._width == 2 else "mono", rate=SAMPLE_RATE
            )
        if frame.time is not None:
            at = round((float(frame.time) - self._origin) * SAMPLE_RATE)
            if at - self._written > _GAP_S * SAMPLE_RATE:
                self._append(np.zeros((self._width, at - self._written), np.float32))
            elif at < 0 and self._written == 0:
                # Audio that starts before the first video frame: its lead is dropped.
                self._drop = max(self._drop, -at)
        try:
            for out in self._resampler.resample(frame):
                self._append(out.to_ndarray())
        except (av.FFmpegError, ValueError):
            self.failed += 1

    def _append(self, chunk: Samples) -> None:
        if self._drop and chunk.size:
            cut = min(self._drop, chunk.shape[-1])
            chunk, self._drop = chunk[..., cut:], self._drop - cut
        if chunk.size:
            self._chunks.append(np.asarray(chunk, np.float32).reshape(self._width, -1))
            self._written += self._chunks[-1].shape[1]

    def finish(self) -> DecodedAudio:
        """The samples decoded so far (none, with a note, when not one frame decoded)."""
        av = import_av()
        if self._resampler is not None:
            try:
                for out in self._resampler.resample(None):
                    self._append(out.to_ndarray())
            except (av.FFmpegError, ValueError):
                pass
        notes: list[str] = []
        if self.failed:
            notes.append(
                f"audio stream damaged: {self.failed} of {self.packets} audio packets did not "
                "decode (silence in their place)"
            )
        if not self._chunks:
            notes.append(f"audio stream ({self._codec}) present but no audio decoded")
            return DecodedAudio(_empty(), self._facts(0.0), notes)
        samples = np.concatenate(self._chunks, axis=1)
        return DecodedAudio(samples, self._facts(samples.shape[1] / SAMPLE_RATE), notes)

    def _facts(self, duration: float) -> AudioStream:
        return AudioStream(
            codec=self._codec,
            sample_rate=self._rate,
            channels=self._channels,
            duration_s=round(duration, 4),
            packets=self.packets,
            failed_packets=self.failed,
        )


def _empty() -> Samples:
    return np.zeros((1, 0), np.float32)


def read_audio(path: str | os.PathLike[str]) -> DecodedAudio | None:
    """Decode only the audio of a file (``studio footage transcribe``): one audio-only pass.

    Args:
        path: A video or audio file.

    Returns:
        The audio; None when the file has no audio stream.

    Raises:
        FootageError: The file is missing, unreadable or not a media file.
    """
    clip: Path = check_readable(path)
    av = import_av()
    try:
        container = av.open(str(clip), metadata_errors="replace")
    except (av.FFmpegError, UnicodeDecodeError, OSError):
        raise FootageError(f"not a video or audio file: {clip}") from None
    with container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        origin = _start_s(container.streams.video[0]) if container.streams.video else 0.0
        collector = AudioCollector(stream, origin)
        packets = container.demux(stream)
        failures = 0
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except av.FFmpegError:
                failures += 1
                if failures > 8:
                    break
                packets = container.demux(stream)
                continue
            collector.feed(packet)
        return collector.finish()


def _start_s(stream: Any) -> float:
    """A stream's start time in seconds (0 when the container does not say)."""
    if stream.start_time is None or stream.time_base is None:
        return 0.0
    return float(stream.start_time * stream.time_base)
