# ruff: noqa
# Render straight to a path of the script's choosing.
def edit(source):
    source.write_videofile("/work/main/pwned.mp4")
    return source
