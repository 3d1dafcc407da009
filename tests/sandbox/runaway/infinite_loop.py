# ruff: noqa
# Spin forever (contained: RLIMIT_CPU / wall-clock timeout).
def edit(source):
    n = 0
    while True:
        n += 1
