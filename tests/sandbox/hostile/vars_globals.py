# ruff: noqa
# vars()/globals() to reach builtins.
def edit(source):
    g = globals()
    v = vars(source)
    return source
