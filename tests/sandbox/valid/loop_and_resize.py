# expect-duration: 3.0
# expect-size: 80x60
from moviepy import vfx


def edit(source):
    beat = source.subclipped(0, 1).with_effects([vfx.Loop(n=3)])
    return beat.resized(0.5)
