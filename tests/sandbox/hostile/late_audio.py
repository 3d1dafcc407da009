# ruff: noqa
# A 1 s picture whose audio starts at 1500 s: the file would run 1501 s.
# policy-legal: the harness cuts audio to the video; the parent probes every stream
from moviepy import CompositeAudioClip


def edit(source):
    late = CompositeAudioClip([source.audio.subclipped(0, 1).with_start(1500)])
    return source.subclipped(0, 1).with_audio(late)
