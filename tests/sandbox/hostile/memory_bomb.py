# ruff: noqa
# Allocate without bound (contained: RLIMIT_AS).
def edit(source):
    hog = []
    while True:
        hog.append(bytearray(256 * 1024 * 1024))
