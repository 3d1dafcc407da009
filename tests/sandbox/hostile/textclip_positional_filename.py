# ruff: noqa
# TextClip's third positional parameter is a filename: read a host file into the video.
# The slash comes from str() of an allowed module, so no literal looks like a path.
from moviepy import TextClip
import math

PARTS = ["etc", "passwd"]


def edit(source):
    text = str(math)
    sep = text[text.index("from ") + 6]
    path = sep + sep.join(PARTS)
    return TextClip(None, None, path, font_size=12).with_duration(1)
