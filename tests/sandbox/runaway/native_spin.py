# ruff: noqa
# Spin inside one C call: sum() over a range never returns to the interpreter loop, so a
# Python signal handler never runs (contained: the harness's ITIMER_PROF backstop).
def edit(source):
    total = sum(range(10**15))
    return source.subclipped(0, 1 + total * 0)
