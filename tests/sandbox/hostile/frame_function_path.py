# ruff: noqa
# A frame function returning a string: to_ImageClip() hands it to imageio as a path.
# policy-legal: the harness checks every frame is a numeric array
from moviepy import VideoClip
import math

PARTS = ["etc", "passwd"]


def edit(source):
    text = str(math)
    sep = text[text.index("from ") + 6]
    path = sep + sep.join(PARTS)
    return VideoClip(lambda t: path, duration=1).to_ImageClip().with_duration(1)
