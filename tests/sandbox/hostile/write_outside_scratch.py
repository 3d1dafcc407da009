# ruff: noqa
# Write a file outside the scratch directory (contained: read-only filesystem).
def edit(source):
    with open("/tmp/studio-sandbox-escape-marker", "w") as handle:
        handle.write("escaped")
    return source
