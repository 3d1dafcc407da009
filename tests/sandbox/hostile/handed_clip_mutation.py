# ruff: noqa
# Rewrites everything the trusted reader and writer size themselves by, through the clip
# it is handed: the reader's frame size and rate (when it can reach the reader), the
# clip's size, fps, duration and its audio's rate and channels. Then returns a 1 s cut
# taken before. Policy off (attribute stores and getattr are refused by the policy).
def edit(source):
    clip = source.subclipped(0, 1)
    reader = getattr(source, "reader", None)
    if reader is not None:  # handed the trusted VideoFileClip itself
        reader.size[0] = 40
        reader.fps = 5.0
        reader.n_frames = 10**6
        reader.duration = 1e6
    source.size = [40, 120]
    source.fps = 1000.0
    source.duration = 1e6
    source.end = 1e6
    if source.audio is not None:
        audio_reader = getattr(source.audio, "reader", None)
        if audio_reader is not None:
            audio_reader.fps = 8000
            audio_reader.nchannels = 7
        source.audio.fps = 8000
        source.audio.duration = 1e6
        source.audio.nchannels = 7
    return clip
