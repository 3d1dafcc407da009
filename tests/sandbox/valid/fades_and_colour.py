# expect-duration: 4.0
from moviepy import vfx


def edit(source):
    look = [vfx.MirrorX(), vfx.BlackAndWhite(), vfx.MultiplyColor(1.2)]
    return source.with_effects(look).with_effects([vfx.FadeIn(0.5), vfx.FadeOut(0.5)])
