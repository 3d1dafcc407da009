# ruff: noqa
# A clip so long the render never ends (stopped by the duration guard, then the wall clock).
from moviepy import vfx


def edit(source):
    return source.without_audio().with_effects([vfx.Loop(n=100000)])
