# ruff: noqa
# exec/eval/compile of built-up code.
def edit(source):
    exec(compile("import os", "x", "exec"))
    return eval("source")
