# ruff: noqa
# moviepy.config swaps the ffmpeg binary for a shell.
import moviepy.config as config


def edit(source):
    config.FFMPEG_BINARY = "/bin/sh"
    return source
