# ruff: noqa
# Floods stdout (the parent once kept all of it in memory: 1.5 GB -> 7.4 GB peak RSS).
# policy-legal: the parent keeps only the last 1 MiB of the output
def edit(source):
    line = "x" * 1048575
    for i in range(600):
        print(line)
    return source.subclipped(0, 1)
