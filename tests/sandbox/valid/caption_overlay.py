# expect-duration: 4.0
from moviepy import CompositeVideoClip, TextClip


def edit(source):
    title = TextClip(text="Hello, world!", font_size=18, color="white", stroke_color="black")
    title = title.with_duration(2).with_position(("center", "bottom"))
    return CompositeVideoClip([source, title.with_start(1)])
