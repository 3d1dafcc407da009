# ruff: noqa
# Open /etc/passwd as a clip.
from moviepy import VideoFileClip


def edit(source):
    return VideoFileClip("/etc/passwd")
