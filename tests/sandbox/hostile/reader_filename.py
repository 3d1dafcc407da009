# ruff: noqa
# Private-ish clip internals: the reader holds paths and subprocesses.
def edit(source):
    proc = source.reader.proc
    return source.with_duration(len(source.filename))
