# ruff: noqa
# TextClip reading an arbitrary file as a font / text file.
from moviepy import TextClip


def edit(source):
    return TextClip(font="/etc/shadow", filename="/etc/passwd").with_duration(1)
