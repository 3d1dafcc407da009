# ruff: noqa
# format_map with attribute access.
def edit(source):
    text = "{clip.reader.filename}".format_map({"clip": source})
    return source
