"""Probe a rendered file before it is accepted (trusted code, PyAV).

The file came out of the jail, so nothing about it is taken on trust: every packet of every
stream is demuxed (no decoding) to find where the last one ends, whatever the header
claims, and the first video frame is decoded to prove the stream is readable and to read
its real size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MediaFacts", "probe_media"]


@dataclass(frozen=True)
class MediaFacts:
    """What a rendered file really holds.

    Attributes:
        duration_s: End of the longest stream (packets, not the header), seconds.
        width: Decoded width of the first video frame.
        height: Decoded height of the first video frame.
        fps: Average frame rate of the video stream.
        video_streams: Number of video streams.
        audio_streams: Number of audio streams.
        other_streams: Number of any other streams (data, subtitles...).
    """

    duration_s: float
    width: int
    height: int
    fps: float
    video_streams: int
    audio_streams: int
    other_streams: int


def probe_media(path: Path) -> MediaFacts:
    """Demux every packet and decode the first video frame of ``path``.

    Raises:
        ValueError: No video stream, no decodable frame, or no timestamps.
        av.FFmpegError: The container cannot be read.
    """
    import av

    with av.open(str(path), mode="r") as container:
        streams = list(container.streams)
        video = [s for s in streams if s.type == "video"]
        audio = [s for s in streams if s.type == "audio"]
        if not video:
            raise ValueError("no video stream")
        end = 0.0
        for packet in container.demux():
            if packet.pts is None or packet.time_base is None:
                continue
            finish = packet.pts + (packet.duration or 0)
            end = max(end, float(finish * packet.time_base))
        if not math.isfinite(end) or end <= 0:
            raise ValueError("no timestamped packets")
        rate = video[0].average_rate
        fps = float(rate) if rate else 0.0
    with av.open(str(path), mode="r") as container:
        frame = next(container.decode(video=0), None)
        if frame is None:
            raise ValueError("no decodable video frame")
        width, height = int(frame.width), int(frame.height)
    return MediaFacts(
        duration_s=end,
        width=width,
        height=height,
        fps=fps,
        video_streams=len(video),
        audio_streams=len(audio),
        other_streams=len(streams) - len(video) - len(audio),
    )
