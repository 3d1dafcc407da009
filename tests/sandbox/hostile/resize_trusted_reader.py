# ruff: noqa
# Mutates the size list the trusted reader shares: frames and stream desynchronise.
def edit(source):
    source.size[0] = 40
    return source.subclipped(0, 1)
