# ruff: noqa
# Save a frame to disk.
def edit(source):
    source.save_frame("frame.png", t=0)
    return source
