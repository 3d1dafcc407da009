# expect-duration: 2.0
import math


def flip(frame):
    return frame[:, ::-1]


def edit(source):
    half = math.floor(source.duration / 2)
    return source.subclipped(0, half).image_transform(flip)
