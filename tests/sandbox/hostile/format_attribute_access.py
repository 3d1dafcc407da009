# ruff: noqa
# Format strings reach attributes: "{0.__class__}".format(x).
def edit(source):
    secret = "{0.__init__.__globals__}".format(source)
    return source.with_duration(len(secret))
