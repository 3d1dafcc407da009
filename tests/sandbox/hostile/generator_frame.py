# ruff: noqa
# Generator frame introspection: gi_frame.f_back.f_globals.
def edit(source):
    gen = (x for x in [1])
    frame = gen.gi_frame.f_back
    frame.f_globals["__builtins__"]["exec"]("import os")
    return source
