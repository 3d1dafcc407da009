# expect-duration: 5.0
from moviepy import ColorClip, CompositeVideoClip, TextClip, concatenate_videoclips


def edit(source):
    card = ColorClip(size=(source.w, source.h), color=(20, 20, 60), duration=1)
    words = TextClip(text="Chapter one", font_size=16, color="white").with_duration(1)
    card = CompositeVideoClip([card, words.with_position("center")])
    return concatenate_videoclips([card, source], method="compose")
