# ruff: noqa
# getattr with a name assembled at run time.
def edit(source):
    name = "__cl" + "ass__"
    klass = getattr(source, name)
    return getattr(klass, "write_" + "videofile")
