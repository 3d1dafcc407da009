# ruff: noqa
# MoviePy's ffmpeg helpers write arbitrary files.
from moviepy import ffmpeg_tools


def edit(source):
    ffmpeg_tools.ffmpeg_extract_subclip("/etc/passwd", 0, 1, outputfile="/tmp/x.mp4")
    return source
