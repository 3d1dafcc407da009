# expect-duration: 3.5
from moviepy import CompositeVideoClip, vfx


def edit(source):
    first = source.subclipped(0, 2)
    second = source.subclipped(2, 4).with_effects([vfx.CrossFadeIn(0.5)]).with_start(1.5)
    return CompositeVideoClip([first, second])
