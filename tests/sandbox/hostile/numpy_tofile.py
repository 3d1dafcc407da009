# ruff: noqa
# Write through a numpy array method.
def edit(source):
    source.get_frame(0).tofile("dump")
    return source
