# expect-duration: 3.0
from moviepy import concatenate_videoclips, vfx


def edit(source):
    fast = source.subclipped(0, 2).with_effects([vfx.MultiplySpeed(2)])
    back = source.subclipped(2, 4).with_effects([vfx.TimeMirror()])
    return concatenate_videoclips([fast, back])
