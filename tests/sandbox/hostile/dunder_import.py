# ruff: noqa
# __import__ builtin.
def edit(source):
    __import__("os").system("id")
    return source
