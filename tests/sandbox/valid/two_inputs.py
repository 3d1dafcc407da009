# expect-duration: 2.5
# inputs: 2
from moviepy import concatenate_videoclips


def edit(source):
    first, second = source[0], source[1]
    parts = [first.subclipped(0, 1), second.subclipped(0, 1.5)]
    return concatenate_videoclips(parts, method="compose")
