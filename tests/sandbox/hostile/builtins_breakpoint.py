# ruff: noqa
# Interactive escape hatches.
def edit(source):
    breakpoint()
    help()
    return source
